#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "platform/core/field_error.hpp"
#include "platform/messaging/envelope.hpp"
#include "stock/domain/requests.hpp"
#include "stock/domain/reservation.hpp"
#include "stock/domain/stock_item.hpp"

// What the stock service reads from outside and the representations it answers with.
namespace microstore::stock::api {

// --- HTTP bodies in. Every problem is reported at once, each naming its field; unknown fields
// are refused; the reason follows ReasonProblem (domain/requests.hpp).
std::variant<RestockRequest, core::FieldErrors> ValidateRestock(const nlohmann::json& body);
std::variant<AdjustmentRequest, core::FieldErrors> ValidateAdjustment(const nlohmann::json& body);

// --- Query strings in (http::QueryParameters(request): percent-decoded, in order, repeats kept),
// read by http::QueryReader: unknown and repeated parameters are refused.
using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// GET /items?product_id=<id>,<id>…: one parameter, 1..kMaxLookupIds comma-separated UUIDs. The
// ids in canonical form, in the order given, without repeats.
std::variant<std::vector<std::string>, core::FieldErrors> ParseItemLookup(QueryParameters parameters);

// GET …/movements?limit=1..100 (default 20)&cursor=<next_cursor of the previous page>.
std::variant<MovementsQuery, core::FieldErrors> ParseMovementsQuery(QueryParameters parameters);
// The next_cursor of a page whose next page holds the movements older than `before_id`.
std::string MovementsCursor(std::int64_t before_id);

// --- Payloads of consumed events in (messaging::PayloadReader). Only the fields stock uses are
// read and checked; others are ignored, so producers may add fields. An unusable payload throws
// messaging::PoisonEvent naming the field (the inbox dead-letters it).

// catalog ProductCreated: the product's id (`product_id`, a UUID).
std::string ReadProductCreated(const messaging::Envelope& event);
// order OrderCreated {order_id (UUID), customer_id (non-empty string), items: [{product_id (UUID),
// quantity (1..kMaxLineQuantity)}, …] (non-empty), total_minor (int ≥ 0), currency (ISO 4217)};
// `order_version` is the envelope's aggregate version. Lines of one product are summed (SumLines).
OrderCreated ReadOrderCreated(const messaging::Envelope& event);
// order OrderCancelled and payment PaymentFailed: {order_id (UUID), customer_id (non-empty string)}.
OrderCancelled ReadOrderCancelled(const messaging::Envelope& event);
PaymentFailed ReadPaymentFailed(const messaging::Envelope& event);

// --- Representations out.
// {product_id, free, reserved, shipped, in_stock, version}
nlohmann::json ItemJson(const StockItem& item);
// {items: [item…]}
nlohmann::json ItemsJson(const std::vector<StockItem>& items);
// {order_id, customer_id, status, version, order_version, items[{product_id, quantity}],
//  total_minor, currency, reason, missing[{product_id, requested, available}], created_at,
//  updated_at}; absent values are null.
nlohmann::json ReservationJson(const ReservationRecord& record);
// {id, product_id, kind, delta, free_after, reserved_after, reason, order_id, actor, occurred_at}
nlohmann::json MovementJson(const MovementRecord& record);
// {items: [movement…], next_cursor (absent on the last page)}
nlohmann::json MovementPageJson(const MovementPage& page);
// {received, free, reserved, shipped, products}
nlohmann::json TotalsJson(const Totals& totals);

}  // namespace microstore::stock::api
