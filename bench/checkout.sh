#!/usr/bin/env bash
# Checkout benchmark: orders/s through the whole system (identity, catalog, stock, payment, order,
# gateway; release builds) to PAID or CANCELLED, create → PAID latency, CPU per process, then the
# saga's invariants — against a throw-away PostgreSQL and RabbitMQ started like bench/messaging.sh.
#
#   bench/checkout.sh [ARGS for microstore-bench-checkout]
#   bench/checkout.sh --orders 20000 --connections 64
#   bench/checkout.sh --rate 500 --orders 10000            # paced: latency at a given load
#   bench/checkout.sh --order-replicas 2 --direct           # two order processes, no gateway hop
#   bench/checkout.sh --poor-customers 0.1 --scarce-orders 0.05   # CANCELLED paths too
#   bench/checkout.sh --env MICROSTORE_DB_POOL_SIZE=16 --service-env order:MICROSTORE_CONSUMER_PREFETCH=128
#   bench/checkout.sh --sweep                                # maximum, then paced at 25/50/100/200 % of it
#
# --sweep (first argument; do not combine with --rate or --orders) measures the maximum unpaced
# (10,000 orders, the order service's admission bound off), then offers 25, 50, 100 and 200 % of it for about 20 s each on the same servers,
# each run on fresh databases with its invariants checked, and ends with one summary line per run.
#
# (build/release/bench/microstore-bench-checkout --help lists every option.) PostgreSQL runs with
# the durable settings of `./microstore up` (fsync and synchronous_commit on);
# MICROSTORE_BENCH_PG_MODE=test uses the test servers' settings instead. MICROSTORE_RELEASE_DIR
# picks the release build tree (default build/release, configured with the release preset when
# missing); MICROSTORE_SKIP_BUILD=1 uses what is already built there. Exit code 3: an invariant
# failed. Both servers and every service are stopped and deleted on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source deploy/local/infra.sh

PG_MODE=${MICROSTORE_BENCH_PG_MODE:-dev}
[[ $PG_MODE == dev || $PG_MODE == test ]] || infra::die "MICROSTORE_BENCH_PG_MODE must be dev or test"
RELEASE_DIR=${MICROSTORE_RELEASE_DIR:-build/release}
SWEEP=0
if [[ ${1:-} == --sweep ]]; then
  SWEEP=1
  shift
fi
BENCH=$RELEASE_DIR/bench/microstore-bench-checkout
SERVICES=(identity catalog stock payment order gateway)

if [[ ${MICROSTORE_SKIP_BUILD:-} == 1 ]]; then
  infra::log "MICROSTORE_SKIP_BUILD=1: not building"
else
  [[ -f $RELEASE_DIR/build.ninja ]] || cmake --preset release -B "$RELEASE_DIR"
  targets=(microstore-bench-checkout)
  for service in "${SERVICES[@]}"; do targets+=("microstore-$service"); done
  cmake --build "$RELEASE_DIR" -j "${MICROSTORE_JOBS:-$(nproc)}" --target "${targets[@]}"
fi
[[ -x $BENCH ]] || infra::die "$BENCH is not built"
for service in "${SERVICES[@]}"; do
  [[ -x $RELEASE_DIR/services/$service/microstore-$service ]] ||
    infra::die "$RELEASE_DIR/services/$service/microstore-$service is not built"
done

BENCH_DIR=
BENCH_PID=
stop_all() {
  # The benchmark stops the services it started (by pid) when it is told to; then the servers go.
  if [[ -n $BENCH_PID ]]; then
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
    BENCH_PID=
  fi
  [[ -n $BENCH_DIR ]] || return 0
  infra::stop "$BENCH_DIR" kill || true
  rm -rf "$BENCH_DIR"
  BENCH_DIR=
}
BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/microstore-bench.XXXXXX")
chmod 0755 "$BENCH_DIR" # the servers' users must traverse it
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

infra::start_for_bench "$BENCH_DIR" "$PG_MODE"

# One run of the benchmark, in the background so that an interrupted script can pass the signal
# on before it deletes the servers (stop_all); its output also goes to $BENCH_DIR/last-run.txt.
run_bench() {
  "$BENCH" --pg-url "postgresql://postgres@127.0.0.1:$pg/postgres" \
    --amqp-url "amqp://guest:guest@127.0.0.1:$amqp/%2f" \
    --services-dir "$(cd "$RELEASE_DIR" && pwd)/services" \
    --pg-pid "$pg_pid" --broker-pid "$broker_pid" --work-dir "$BENCH_DIR/logs" "$@" \
    >"$BENCH_DIR/last-run.txt" 2>&1 &
  BENCH_PID=$!
  tail -n +1 -f --pid="$BENCH_PID" "$BENCH_DIR/last-run.txt" &
  local shown=$!
  local status=0
  wait "$BENCH_PID" || status=$?
  BENCH_PID=
  wait "$shown" || true
  if ((status != 0)); then
    infra::tail_log "$BENCH_DIR"/logs/*.log
    exit "$status"
  fi
}

if ((SWEEP == 0)); then
  run_bench "$@"
  exit 0
fi
summary() { sed -n 's/^==> throughput /  /p' "$BENCH_DIR/last-run.txt"; }
run_bench --orders 10000 --env MICROSTORE_ORDER_MAX_IN_FLIGHT=0 "$@"
maximum=$(sed -n 's/^==> throughput \([0-9,]*\) orders\/s.*/\1/p' "$BENCH_DIR/last-run.txt" | tr -d ,)
[[ $maximum =~ ^[0-9]+$ ]] || infra::die "no throughput in the unpaced run"
results=("maximum (unpaced, no admission bound): $(summary)")
for percent in 25 50 100 200; do
  rate=$((maximum * percent / 100))
  run_bench --rate "$rate" --orders "$((rate * 20 > 1000 ? rate * 20 : 1000))" "$@"
  results+=("$percent % ($rate orders/s offered): $(summary)")
done
printf '\n==> sweep\n'
printf '%s\n' "${results[@]}"
