#!/usr/bin/env bash
# Messaging benchmark (docs/benchmarks.md, "Messaging"): events/s through the outbox relay alone
# and end to end (outbox → RabbitMQ → inbox effect committed) between two real processes, with
# lags, against a throw-away PostgreSQL and RabbitMQ started like `./microstore test` does.
#
#   bench/messaging.sh [ARGS for microstore-bench-messaging]    e.g. --mode relay --relay-events 100000
#
# PostgreSQL runs with the durable settings of `./microstore up` (infra::start mode `dev`: fsync
# and synchronous_commit on); MICROSTORE_BENCH_PG_MODE=test uses the test servers' settings
# instead (fsync, synchronous_commit and full_page_writes off). MICROSTORE_SKIP_BUILD=1 uses what
# is already built in build/release. Both servers are stopped and deleted on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source deploy/local/infra.sh

PG_MODE=${MICROSTORE_BENCH_PG_MODE:-dev}
[[ $PG_MODE == dev || $PG_MODE == test ]] || infra::die "MICROSTORE_BENCH_PG_MODE must be dev or test"
BENCH=build/release/bench/microstore-bench-messaging

if [[ ${MICROSTORE_SKIP_BUILD:-} == 1 ]]; then
  infra::log "MICROSTORE_SKIP_BUILD=1: not building"
else
  # The release preset, but only what the benchmark runs.
  [[ -f build/release/build.ninja ]] || cmake --preset release
  cmake --build --preset release -j "${MICROSTORE_JOBS:-$(nproc)}" --target microstore-bench-messaging \
    microstore-test-producer microstore-test-consumer
fi
[[ -x $BENCH ]] || infra::die "$BENCH is not built"

BENCH_DIR=
stop_servers() {
  [[ -n $BENCH_DIR ]] || return 0
  infra::stop "$BENCH_DIR" kill || true
  rm -rf "$BENCH_DIR"
  BENCH_DIR=
}
BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/microstore-bench.XXXXXX")
chmod 0755 "$BENCH_DIR" # the servers' users must traverse it
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

infra::start_for_bench "$BENCH_DIR" "$PG_MODE"

"$BENCH" --pg-url "postgresql://postgres@127.0.0.1:$pg/postgres" \
  --amqp-url "amqp://guest:guest@127.0.0.1:$amqp/%2f" \
  --pg-pid "$pg_pid" --broker-pid "$broker_pid" --work-dir "$BENCH_DIR/logs" "$@" ||
  {
    status=$?
    infra::tail_log "$BENCH_DIR"/logs/*.log
    exit "$status"
  }
