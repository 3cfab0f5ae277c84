#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "order/domain/listing.hpp"
#include "order/domain/order.hpp"
#include "order/domain/product_copy.hpp"
#include "order/domain/requests.hpp"
#include "order/domain/saga.hpp"
#include "platform/core/field_error.hpp"
#include "platform/messaging/envelope.hpp"

// JSON ↔ domain for the order service: its HTTP bodies and queries in and out, and the payloads
// of the events it consumes. No I/O, so each reader is unit-tested and fuzzed
// (tests/fuzz/order.cpp, tests/fuzz/events_order.cpp).
namespace microstore::order::api {

// --- HTTP requests -------------------------------------------------------------------------------

// The body of POST /orders: {"items": [{"product_id": UUID, "quantity": 1..1000}, …]} with 1–100
// lines (domain/requests.hpp). Product ids are returned lower-case. A product repeated on a later
// line is refused on that line ("items[j].product_id"): the customer puts the whole quantity on
// one line. Unknown fields are refused. Every error at once, naming its field.
std::variant<std::vector<RequestedLine>, core::FieldErrors> ReadCreateOrder(const nlohmann::json& body);

// The (percent-decoded: http::QueryParameters) query of GET /orders, read by http::QueryReader:
// customer_id, status (a comma-separated list of statuses), limit (1–100, default 20), cursor.
// Unknown or repeated parameters and bad values are errors naming the parameter.
std::variant<OrderListQuery, core::FieldErrors> ReadListQuery(
    std::vector<std::pair<std::string, std::string>> parameters);

// Opaque text for next_cursor (wire::EncodeCursor).
std::string EncodeCursor(const OrderCursor& cursor);
// The position of a cursor EncodeCursor wrote, exactly as it wrote it; nullopt for any other text.
std::optional<OrderCursor> DecodeCursor(std::string_view text);

// --- HTTP responses ------------------------------------------------------------------------------

// The public representation: {id, customer_id, status, reason (null unless CANCELLED), version,
// items: [{product_id, sku, name, quantity, unit_price_minor, line_total_minor}], total_minor,
// currency, stock_released, refunded, created_at, updated_at}.
nlohmann::json OrderJson(const Order& order);

// {by_status: {"PENDING": n, …every status}, total, oldest_in_progress_at (null when none)}.
nlohmann::json StatsJson(const OrderStats& stats);

// --- consumed events' payloads -------------------------------------------------------------------
// Through messaging::PayloadReader: a payload that is unusable — a missing or mistyped field, an
// id that is not a UUID, a negative number, an aggregate version below 1 — throws
// messaging::PoisonEvent naming the field (never its value); nothing else is thrown
// (std::bad_alloc aside). Other fields are ignored. Ids come back canonical (lower-case UUIDs).

// catalog ProductCreated / ProductUpdated {product_id, sku, name, price_minor, currency, archived};
// the copy's version is the event's aggregate version.
ProductCopy ReadProductSnapshot(const messaging::Envelope& event);
// catalog ProductPriceChanged {product_id, sku, price_minor, currency}.
PriceChange ReadPriceChanged(const messaging::Envelope& event);
// catalog ProductArchived {product_id, sku}.
ArchivedProduct ReadProductArchived(const messaging::Envelope& event);

// stock's and payment's saga events {order_id, …}, with the source aggregate's version (stock's
// reservation, payment's payment); PaymentFailed also its `reason`.
SagaEvent ReadStockReserved(const messaging::Envelope& event);
SagaEvent ReadStockReservationFailed(const messaging::Envelope& event);
SagaEvent ReadStockReleased(const messaging::Envelope& event);
SagaEvent ReadPaymentSucceeded(const messaging::Envelope& event);
SagaEvent ReadPaymentFailed(const messaging::Envelope& event);
SagaEvent ReadPaymentRefunded(const messaging::Envelope& event);

}  // namespace microstore::order::api
