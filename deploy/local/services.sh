# shellcheck shell=bash disable=SC2034 # both arrays are read by ./microstore
# The services `./microstore up` starts, in this order. One line per service, fields separated
# by spaces:
#   name  binary  HTTP-port  database  [NAME=value | @NAME ...]
# binary: absolute, or relative to build/release. Each service gets its own database (created
# if missing) and this environment:
#   MICROSTORE_SERVICE_NAME, MICROSTORE_HTTP_PORT, MICROSTORE_DB_URL, MICROSTORE_AMQP_URL;
#   MICROSTORE_<NAME>_URL = http://127.0.0.1:<port> of every service listed here (for the
#     gateway; NAME upper-cased, - as _);
#   the variables of .run/secrets.env (generated once by tools/keygen) except those named in
#     MICROSTORE_PRIVATE_SECRETS, which only the services asking for them with @NAME get;
#   the line's own NAME=value pairs.
# A service must answer GET /health/ready with 200 once it can serve.
MICROSTORE_PRIVATE_SECRETS=(MICROSTORE_JWT_SIGNING_KEY)
MICROSTORE_SERVICES=(
  # The platform's example service, until the store's own services land.
  "ping      examples/ping/microstore-ping          18080  ping"
  # "identity  services/identity/microstore-identity  18081  identity  @MICROSTORE_JWT_SIGNING_KEY"
)
