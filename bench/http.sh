#!/usr/bin/env bash
# HTTP server throughput, measured with wrk against the example service that `./microstore up`
# starts (release build, one event-loop thread, access log on, PostgreSQL on the same machine).
#
#   ./microstore up && bench/http.sh [seconds] [connections]
#
# wrk runs one thread, so on a 2-core machine it has one core and the service the other.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
url=${MICROSTORE_PING_URL:-http://127.0.0.1:18080}
seconds=${1:-10}
connections=${2:-64}
command -v wrk >/dev/null || { echo "wrk is missing: ./microstore install" >&2; exit 1; }
curl -fsS "$url/health/ready" >/dev/null || { echo "nothing ready at $url: run ./microstore up first" >&2; exit 1; }

echo "== GET /ping: a small JSON answer, no database"
wrk -t1 -c"$connections" -d"${seconds}s" --latency "$url/ping"
echo
echo "== POST /visits/{name}: one parameterised upsert per request"
wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/http/visits.lua "$url"
