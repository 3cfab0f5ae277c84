# shellcheck shell=bash
# Private PostgreSQL 15 and RabbitMQ 3.10 servers run as plain processes (no systemd, no
# Docker). Shared by `./microstore up` (long-lived, in .run/ on fixed ports) and
# `./microstore test` (throw-away, in a temporary directory on free ports). Source this file;
# it only defines functions. Entry points: infra::start, infra::stop, infra::pg_create_db.
#
# Layout of a run directory DIR (nothing outside it is written):
#   DIR/pg/data/               the cluster (postmaster.pid: the server's pid)
#   DIR/pg/socket/             its unix socket directory
#   DIR/pg/postgres.log
#   DIR/pg/instance.env        PG_PORT of the cluster, written on start
#   DIR/rabbitmq/home/         HOME of the node and of rabbitmqctl: holds the Erlang cookie
#   DIR/rabbitmq/mnesia/       data
#   DIR/rabbitmq/log/          <node>.log, startup.log, epmd.log
#   DIR/rabbitmq/rabbitmq.pid  the node's pid; epmd.pid: the pid of its epmd, which we start
#   DIR/rabbitmq/instance.env  node name and ports, written on start
#
# Ownership: run as root, the servers run as the Debian users `postgres` and `rabbitmq`
# (initdb refuses root), so DIR's parents must be traversable by them. Run as another user,
# they run as that user.

PG_BIN=/usr/lib/postgresql/15/bin
RABBIT_BIN=/usr/lib/rabbitmq/bin

infra::die() { echo "error: $*" >&2; exit 1; }
infra::log() { echo "==> $*" >&2; }

# ---------------------------------------------------------------------------------------------
# Processes and ports

# Sets the array AS to a command prefix that runs a program as user $1 when we are root (as
# ourselves otherwise) from `/`: initdb fails when it cannot read its working directory.
# setpriv and env exec, so no process stays in between (unlike runuser, which forks).
infra::as_prefix() {
  if [[ $EUID -eq 0 ]]; then
    AS=(setpriv --reuid="$1" --regid="$1" --init-groups -- env -C /)
  else
    AS=(env -C /)
  fi
}

infra::as() {
  local AS
  infra::as_prefix "$1"
  shift
  "${AS[@]}" "$@"
}

# infra::spawn PIDFILE LOGFILE USER COMMAND...: starts COMMAND in the background in a session
# of its own, as USER, output appended to LOGFILE. PIDFILE receives COMMAND's own pid: the
# shell writes its pid and then execs, so it is right whatever forks on the way.
infra::spawn() {
  local pidfile=$1 logfile=$2 AS i
  infra::as_prefix "$3"
  shift 3
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # expanded by the inner shell
  setsid bash -c 'echo $$ >"$0" && exec "$@"' "$pidfile" "${AS[@]}" "$@" \
    </dev/null >>"$logfile" 2>&1 &
  for ((i = 0; i < 100; i++)); do
    [[ -s $pidfile ]] && return 0
    sleep 0.02
  done
}

# True when process $1 exists and is not a zombie. Our servers daemonise, so their parent is
# pid 1; an init that does not reap (as in some sandboxes) leaves them as zombies, which
# `kill -0` still reports as alive.
infra::alive() {
  local stat
  [[ $1 =~ ^[0-9]+$ ]] && read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# infra::pid_alive PIDFILE [PATTERN]: true when the process named by the first line of PIDFILE
# is alive and, given PATTERN, its command line contains it (guards against a recycled pid).
infra::pid_alive() {
  local pidfile=$1 pattern=${2:-} pid=''
  [[ -s $pidfile ]] || return 1
  read -r pid <"$pidfile" || true # RabbitMQ writes its pid without a newline
  infra::alive "$pid" || return 1
  [[ -z $pattern ]] || tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# Prints the pid of a live process whose command line contains $1; fails when there is none.
# Reads /proc: procps is not needed.
infra::find_process() {
  local f args
  for f in /proc/[0-9]*/cmdline; do
    mapfile -d '' -t args 2>/dev/null <"$f" || continue
    if [[ " ${args[*]} " == *"$1"* ]] && infra::alive "${f//[^0-9]/}"; then
      echo "${f//[^0-9]/}"
      return 0
    fi
  done
  return 1
}

infra::process_exists() { infra::find_process "$1" >/dev/null; }

# infra::stop_pids TIMEOUT SIGNAL PIDFILE...: sends SIGNAL to the processes named by the pid
# files, waits up to TIMEOUT seconds for all of them to exit, SIGKILLs the rest, and removes
# the pid files.
infra::stop_pids() {
  local timeout=$1 signal=$2 pidfile pid pids=() alive i
  shift 2
  for pidfile in "$@"; do
    pid=''
    [[ ! -s $pidfile ]] || read -r pid <"$pidfile" || true
    if infra::alive "$pid" && kill -"$signal" "$pid" 2>/dev/null; then pids+=("$pid"); fi
  done
  for ((i = 0; i < timeout * 10 && ${#pids[@]} > 0; i++)); do
    sleep 0.1
    alive=()
    for pid in "${pids[@]}"; do
      if infra::alive "$pid"; then alive+=("$pid"); fi
    done
    pids=("${alive[@]}")
  done
  for pid in "${pids[@]}"; do
    infra::log "pid $pid did not stop within ${timeout}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$@"
}

# infra::stop_pid PIDFILE [TIMEOUT [SIGNAL]]: the same for one process; TIMEOUT 10, SIGNAL TERM.
infra::stop_pid() { infra::stop_pids "${2:-10}" "${3:-TERM}" "$1"; }

# True when something listens on TCP port $1 (any address, IPv4 or IPv6). Reads /proc so that
# neither `ss` nor `netstat` is needed.
infra::port_in_use() {
  local hex
  printf -v hex ':%04X' "$1"
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
    awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }'
}

# infra::require_free_port PORT WHAT HOW: fails when PORT is taken, saying HOW to pick another.
infra::require_free_port() {
  ! infra::port_in_use "$1" || infra::die "port $1 ($2) is already in use by another process; $3"
}

# Prints a TCP port nobody listens on, below the kernel's ephemeral range (so that no outgoing
# connection can be holding it) and not handed out before by this shell. Call it in the
# current shell, not in $(...), or it cannot remember what it handed out: infra::free_port VAR.
INFRA_TAKEN_PORTS=" "
infra::free_port() {
  local low _ port tries
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  ((low > 21000)) || low=61000
  for ((tries = 0; tries < 500; tries++)); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % (low - 20000)))
    [[ $INFRA_TAKEN_PORTS != *" $port "* ]] || continue
    ! infra::port_in_use "$port" || continue
    INFRA_TAKEN_PORTS+="$port "
    printf -v "$1" '%s' "$port"
    return 0
  done
  infra::die "no free TCP port found"
}

# infra::wait_port PORT TIMEOUT [COMMAND...]: waits until PORT listens; fails after TIMEOUT
# seconds, or once COMMAND (a liveness check of the server, when given) has failed for 2 s in a
# row: a server that re-executes itself while starting (RabbitMQ's launcher becoming the VM) can
# be briefly invisible, and a busy machine makes that moment long enough to be seen.
infra::wait_port() {
  local port=$1 timeout=$2 i missing=0
  shift 2
  for ((i = 0; i < timeout * 10; i++)); do
    infra::port_in_use "$port" && return 0
    if (($# > 0)) && ! "$@"; then
      ((++missing < 20)) || return 1
    else
      missing=0
    fi
    sleep 0.1
  done
  return 1
}

infra::tail_log() {
  local file
  for file in "$@"; do
    [[ -f $file ]] || continue
    echo "---- last lines of $file ----" >&2
    tail -n 30 "$file" >&2
  done
}

# infra::own_dir USER DIR: creates DIR, owned by USER when we are root, and checks that USER
# can reach it.
infra::own_dir() {
  local user=$1 dir=$2
  mkdir -p "$dir"
  if [[ $EUID -eq 0 ]]; then
    chown "$user:" "$dir"
    chmod 0700 "$dir"
  fi
  infra::as "$user" test -w "$dir" -a -x "$dir" ||
    infra::die "user '$user' cannot use $dir: a parent directory is not traversable" \
      "(chmod o+x it, or set MICROSTORE_RUN_DIR to a directory under /var/tmp)"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: superuser `postgres`, trust authentication, listening on 127.0.0.1 only.

infra::pg_running() { infra::pid_alive "$1/pg/data/postmaster.pid" postgres; }

# Prints the port of the running cluster in run directory $1.
# shellcheck source=/dev/null
infra::pg_port() { (source "$1/pg/instance.env" && echo "$PG_PORT"); }

# infra::pg_start DIR PORT MODE: creates the cluster on first use and starts it. MODE `test`
# trades durability for speed (the data is thrown away). Does nothing when it already runs.
infra::pg_start() {
  local dir=$1/pg port=$2 mode=$3 socket=$1/pg/socket
  if infra::pg_running "$1"; then
    infra::log "PostgreSQL already running on port $(infra::pg_port "$1")"
    return 0
  fi
  infra::require_free_port "$port" "PostgreSQL" "set MICROSTORE_PG_PORT to another port"
  infra::own_dir postgres "$dir"
  if [[ ! -s $dir/data/PG_VERSION ]]; then
    infra::as postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { infra::tail_log "$dir/initdb.log"; infra::die "initdb failed"; }
    echo "include_if_exists = 'microstore.conf'" |
      infra::as postgres tee -a "$dir/data/postgresql.conf" >/dev/null
  fi
  # A unix socket path is limited to 107 bytes: a deep checkout gets TCP only.
  ((${#socket} < 90)) || socket=
  [[ -z $socket ]] || infra::own_dir postgres "$socket"
  {
    echo "# Written by deploy/local/infra.sh on every start."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$socket'"
    echo "max_connections = 200"
    if [[ $mode == test ]]; then
      printf '%s\n' "fsync = off" "synchronous_commit = off" "full_page_writes = off"
    fi
  } | infra::as postgres tee "$dir/data/microstore.conf" >/dev/null
  echo "PG_PORT=$port" >"$dir/instance.env"
  infra::as postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
    >/dev/null || { infra::tail_log "$dir/postgres.log"; infra::die "PostgreSQL did not start"; }
}

infra::pg_stop() {
  local dir=$1/pg
  infra::pg_running "$1" || return 0
  infra::as postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
    infra::stop_pid "$dir/data/postmaster.pid" 10
}

# infra::pg_create_db DIR NAME: creates database NAME unless it exists.
infra::pg_create_db() {
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$(infra::pg_port "$1")" -U postgres -d postgres
    -XAtq -v ON_ERROR_STOP=1 -v name="$2")
  # psql interpolates :'name' (quoted safely) only in input it reads, not in -c.
  [[ $("${psql[@]}" <<<"SELECT 1 FROM pg_database WHERE datname = :'name'") == 1 ]] ||
    "${psql[@]}" <<<'CREATE DATABASE :"name"' >/dev/null
}

# ---------------------------------------------------------------------------------------------
# RabbitMQ: management plugin on, user guest/guest (loopback only, RabbitMQ's default), every
# listener (AMQP, management, distribution, epmd) on 127.0.0.1.

infra::rabbit_running() { infra::pid_alive "$1/rabbitmq/rabbitmq.pid" beam; }

# Reads the node's settings (RABBIT_NODE AMQP_PORT AMQP_MGMT_PORT AMQP_DIST_PORT EPMD_PORT)
# into the caller's scope.
# shellcheck source=/dev/null
infra::rabbit_settings() { source "$1/rabbitmq/instance.env"; }

# infra::rabbit_env DIR COMMAND...: runs a RabbitMQ script as the node's user with the node's
# private environment only: nothing from /etc/rabbitmq or the caller's RABBITMQ_* variables.
# rabbitmqctl needs the same HOME (for the Erlang cookie) and ERL_EPMD_PORT (to find the node):
#   infra::rabbit_env .run "$RABBIT_BIN/rabbitmqctl" -n microstore@localhost list_queues
infra::rabbit_env() {
  local dir=$1/rabbitmq RABBIT_NODE AMQP_PORT AMQP_MGMT_PORT AMQP_DIST_PORT EPMD_PORT
  shift
  infra::rabbit_settings "$dir/.."
  infra::as rabbitmq env -i \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$dir/home" \
    RABBITMQ_NODENAME="$RABBIT_NODE" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$AMQP_PORT" \
    RABBITMQ_DIST_PORT="$AMQP_DIST_PORT" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    ERL_EPMD_PORT="$EPMD_PORT" \
    "$@"
}

# infra::rabbit_launch DIR NODE AMQP_PORT MGMT_PORT DIST_PORT EPMD_PORT: starts our epmd and
# the node, and returns at once (the node takes ~6 s to boot: see infra::rabbit_await).
# Does nothing when the node already runs.
infra::rabbit_launch() {
  local run=$1 node=$2 amqp=$3 mgmt=$4 dist=$5 epmd=$6 dir=$1/rabbitmq sub
  if infra::rabbit_running "$run"; then
    infra::log "RabbitMQ already running (pid $(cat "$dir/rabbitmq.pid"))"
    return 0
  fi
  infra::require_free_port "$amqp" "RabbitMQ AMQP" "set MICROSTORE_AMQP_PORT to another port"
  infra::require_free_port "$mgmt" "RabbitMQ management" "set MICROSTORE_AMQP_MGMT_PORT to another port"
  infra::require_free_port "$dist" "RabbitMQ distribution" "set MICROSTORE_AMQP_DIST_PORT to another port"
  infra::own_dir rabbitmq "$dir"
  for sub in home mnesia log; do infra::own_dir rabbitmq "$dir/$sub"; done

  infra::as rabbitmq tee "$dir/rabbitmq.conf" >/dev/null <<EOF
# Written by deploy/local/infra.sh on every start.
listeners.tcp.default = 127.0.0.1:$amqp
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt
vm_memory_high_watermark.relative = 0.2
log.console = false
log.file.level = info
EOF
  # Without this the distribution port listens on every interface.
  echo '[{kernel, [{inet_dist_use_interface, {127,0,0,1}}]}].' |
    infra::as rabbitmq tee "$dir/advanced.config" >/dev/null
  echo '[rabbitmq_management].' | infra::as rabbitmq tee "$dir/enabled_plugins" >/dev/null
  infra::as rabbitmq touch "$dir/rabbitmq-env.conf"
  printf '%s\n' "RABBIT_NODE=$node" "AMQP_PORT=$amqp" "AMQP_MGMT_PORT=$mgmt" \
    "AMQP_DIST_PORT=$dist" "EPMD_PORT=$epmd" >"$dir/instance.env"
  chmod 0644 "$dir/instance.env"

  # Left to itself the node would start an epmd daemon that nobody tracks and that outlives it.
  if ! infra::pid_alive "$dir/epmd.pid" epmd; then
    infra::require_free_port "$epmd" "epmd" "set MICROSTORE_EPMD_PORT to another port"
    infra::spawn "$dir/epmd.pid" "$dir/log/epmd.log" rabbitmq \
      /usr/bin/epmd -address 127.0.0.1 -port "$epmd"
    infra::wait_port "$epmd" 10 infra::pid_alive "$dir/epmd.pid" ||
      { infra::tail_log "$dir/log/epmd.log"; infra::die "epmd did not start"; }
  fi

  rm -f "$dir/rabbitmq.pid"
  infra::rabbit_env "$run" "$RABBIT_BIN/rabbitmq-server" -detached >"$dir/log/startup.log" 2>&1 ||
    { infra::tail_log "$dir/log/startup.log"; infra::die "RabbitMQ did not start"; }
}

# infra::rabbit_await DIR: waits until the node accepts AMQP connections and its management
# API answers.
infra::rabbit_await() {
  local dir=$1/rabbitmq RABBIT_NODE AMQP_PORT AMQP_MGMT_PORT AMQP_DIST_PORT EPMD_PORT
  infra::rabbit_settings "$1"
  # The AMQP listener opens last, after the plugins. The pid file first names a short-lived
  # launcher, so the VM's liveness is judged by its command line (its -home argument).
  if ! infra::wait_port "$AMQP_PORT" 90 infra::process_exists "-home $dir/home "; then
    infra::tail_log "$dir/log/startup.log" "$dir/log/$RABBIT_NODE.log"
    infra::die "RabbitMQ did not come up on port $AMQP_PORT (logs in $dir/log)"
  fi
  curl -fsS -o /dev/null --retry 20 --retry-delay 1 --retry-connrefused --max-time 5 \
    -u guest:guest "http://127.0.0.1:$AMQP_MGMT_PORT/api/overview" ||
    infra::die "the RabbitMQ management API on port $AMQP_MGMT_PORT does not answer"
}

# infra::rabbit_stop DIR [kill]: stops the node, then its epmd. SIGTERM makes the VM shut down
# gracefully, like `rabbitmqctl shutdown` without first booting a CLI VM; it takes ~6 s, 5 of
# them the management agent's stop timeout. `kill` SIGKILLs it at once, for throw-away data.
infra::rabbit_stop() {
  local dir=$1/rabbitmq signal=TERM i
  [[ ${2:-} != kill ]] || signal=KILL
  # The node deletes its pid file on SIGTERM; stop_pid has read the pid by then.
  if infra::rabbit_running "$1"; then infra::stop_pid "$dir/rabbitmq.pid" 30 "$signal"; fi
  # A node interrupted while booting may not have written its pid file yet: find it by its HOME.
  for ((i = 0; i < 3; i++)); do
    infra::find_process "-home $dir/home " >"$dir/rabbitmq.pid" || break
    infra::stop_pid "$dir/rabbitmq.pid" 30 "$signal"
  done
  if infra::pid_alive "$dir/epmd.pid" epmd; then infra::stop_pid "$dir/epmd.pid" 5; fi
  rm -f "$dir/rabbitmq.pid" "$dir/epmd.pid"
}

# infra::rabbit_signal DIR SIGNAL: sends SIGNAL to the node's VM; tests freeze a broker with STOP
# and thaw it with CONT.
infra::rabbit_signal() {
  local pid
  pid=$(infra::find_process "-home $1/rabbitmq/home ") || return 1
  kill -"$2" "$pid"
}

# ---------------------------------------------------------------------------------------------
# Both servers

# infra::start DIR MODE NODE PG_PORT AMQP_PORT MGMT_PORT DIST_PORT EPMD_PORT
# Starts (or finds running) both servers in DIR; MODE is `test` (throw-away data, fast and
# unsafe settings) or `dev`. RabbitMQ boots while PostgreSQL starts.
infra::start() {
  local dir=$1 mode=$2
  infra::rabbit_launch "$dir" "$3" "$5" "$6" "$7" "$8"
  infra::pg_start "$dir" "$4" "$mode"
  infra::rabbit_await "$dir"
}

# infra::start_for_bench DIR MODE: both servers on free ports in DIR for a benchmark, with what it
# reports. Sets pg, amqp (ports), pg_pid and broker_pid (for CPU accounting); creates DIR/logs.
infra::start_for_bench() {
  local dir=$1 mode=$2
  infra::free_port pg
  infra::free_port amqp
  infra::free_port mgmt
  infra::free_port dist
  infra::free_port epmd
  infra::log "starting PostgreSQL ($mode settings, port $pg) and RabbitMQ (port $amqp) in $dir"
  # shellcheck disable=SC2154 # free_port sets them
  infra::start "$dir" "$mode" microstore-bench@localhost "$pg" "$amqp" "$mgmt" "$dist" "$epmd"
  read -r pg_pid <"$dir/pg/data/postmaster.pid"
  broker_pid=$(infra::find_process "-home $dir/rabbitmq/home ")
  mkdir -p "$dir/logs"
  infra::log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo);" \
    "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), RabbitMQ $(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null || echo '?')"
}

# infra::stop DIR [kill]: stops whatever of both servers runs in DIR. `kill`: see rabbit_stop.
infra::stop() {
  infra::rabbit_stop "$1" "${2:-}"
  infra::pg_stop "$1"
}
