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
MICROSTORE_PRIVATE_SECRETS=(MICROSTORE_JWT_SIGNING_KEY MICROSTORE_IDENTITY_ADMIN_PASSWORD
  MICROSTORE_DEMO_CUSTOMER_PASSWORD)
MICROSTORE_SERVICES=(
  "identity  services/identity/microstore-identity  18081  identity  @MICROSTORE_JWT_SIGNING_KEY @MICROSTORE_IDENTITY_ADMIN_PASSWORD"
  "catalog   services/catalog/microstore-catalog    18082  catalog"
  "stock     services/stock/microstore-stock        18084  stock"
  "payment   services/payment/microstore-payment    18085  payment"
  "order     services/order/microstore-order        18083  order"
  # The one public port: the storefront and /api/v1/<area>/... for every service above.
  "gateway   services/gateway/microstore-gateway    18000  gateway   MICROSTORE_GATEWAY_AREAS=identity,catalog,stock,payment,order MICROSTORE_GATEWAY_CORS_ORIGINS=http://127.0.0.1:18000,http://localhost:5173"
)
# The service whose URL `up` prints as the way in, and where the demo data is loaded through.
MICROSTORE_PUBLIC_SERVICE=gateway
