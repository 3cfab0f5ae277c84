#include "stock/api/json.hpp"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "platform/core/ids.hpp"
#include "platform/core/text.hpp"
#include "platform/http/query.hpp"
#include "platform/messaging/payload_reader.hpp"
#include "platform/wire/fields.hpp"
#include "platform/wire/json_reader.hpp"

namespace microstore::stock::api {
namespace {

using nlohmann::json;

template <typename T>
json OrNull(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

// Refuses a body that is not an object, and every field not in `known`.
bool CheckShape(const json& body, std::initializer_list<std::string_view> known, core::FieldErrors& errors) {
  if (!body.is_object()) {
    errors.push_back({"", "must be a JSON object"});
    return false;
  }
  for (const auto& [name, value] : body.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      errors.push_back({core::EchoedName(name), "is not a known field"});
    }
  }
  return true;
}

// An integer of [min, max] at `field`; records an error otherwise.
std::optional<std::int64_t> CheckInteger(const json& body, const char* field, std::int64_t min,
                                         std::int64_t max, core::FieldErrors& errors) {
  const auto it = body.find(field);
  if (it == body.end()) {
    errors.push_back({field, "is required"});
    return std::nullopt;
  }
  const auto value = wire::Integer(*it, min, max);
  if (!value) {
    errors.push_back(
        {field, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)});
  }
  return value;
}

std::optional<std::string> CheckReason(const json& body, core::FieldErrors& errors) {
  const auto it = body.find("reason");
  if (it == body.end()) {
    errors.push_back({"reason", "is required"});
    return std::nullopt;
  }
  if (!it->is_string()) {
    errors.push_back({"reason", "must be a string"});
    return std::nullopt;
  }
  std::string reason = it->get<std::string>();
  if (auto problem = ReasonProblem(reason)) {
    errors.push_back({"reason", std::move(*problem)});
    return std::nullopt;
  }
  return reason;
}

bool Names(const core::FieldErrors& errors, std::string_view field) {
  return std::any_of(errors.begin(), errors.end(),
                     [field](const core::FieldError& e) { return e.field == field; });
}

std::optional<std::int64_t> DecodeMovementsCursor(std::string_view text) {
  const auto position = wire::DecodeCursor(text);
  if (!position) return std::nullopt;
  return wire::Integer(*position, 1);
}

std::string CustomerId(const messaging::PayloadReader& payload) {
  std::string customer_id = payload.Text("customer_id");
  if (customer_id.empty()) payload.Poison("customer_id", "is empty");
  return customer_id;
}

template <typename OrderRef>
OrderRef ReadOrderRef(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  OrderRef ref;
  ref.order_id = payload.Uuid("order_id");
  ref.customer_id = CustomerId(payload);
  return ref;
}

// items: [{product_id, quantity}, …], each element named by its path (items[2].quantity).
std::vector<Line> ReadLines(const messaging::PayloadReader& payload) {
  const json& items = payload.Field("items");
  if (!items.is_array() || items.empty()) payload.Poison("items", "is not a non-empty array");
  std::vector<Line> lines;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    const std::string path = wire::ElementPath("items", i);
    if (!item.is_object()) payload.Poison(path, "is not an object");

    const std::string product_path = wire::FieldPath(path, "product_id");
    const auto product = item.find("product_id");
    if (product == item.end()) payload.Poison(product_path, "is missing");
    std::optional<std::string> product_id =
        product->is_string() ? core::CanonicalUuid(product->get<std::string>()) : std::nullopt;
    if (!product_id) payload.Poison(product_path, "is not a UUID");

    const std::string quantity_path = wire::FieldPath(path, "quantity");
    const auto quantity_field = item.find("quantity");
    if (quantity_field == item.end()) payload.Poison(quantity_path, "is missing");
    const auto quantity = wire::Integer(*quantity_field, 1, kMaxLineQuantity);
    if (!quantity)
      payload.Poison(quantity_path, "is not an integer from 1 to " + std::to_string(kMaxLineQuantity));

    lines.push_back({std::move(*product_id), *quantity});
  }
  return SumLines(std::move(lines));
}

json LinesJson(const std::vector<Line>& lines) {
  json array = json::array();
  for (const auto& line : lines)
    array.push_back({{"product_id", line.product_id}, {"quantity", line.quantity}});
  return array;
}

json MissingJson(const std::vector<MissingLine>& missing) {
  json array = json::array();
  for (const auto& line : missing) {
    array.push_back(
        {{"product_id", line.product_id}, {"requested", line.requested}, {"available", line.available}});
  }
  return array;
}

}  // namespace

std::variant<RestockRequest, core::FieldErrors> ValidateRestock(const json& body) {
  core::FieldErrors errors;
  RestockRequest request;
  if (CheckShape(body, {"quantity", "reason"}, errors)) {
    const auto quantity = CheckInteger(body, "quantity", 1, kMaxQuantity, errors);
    auto reason = CheckReason(body, errors);
    if (quantity) request.quantity = *quantity;
    if (reason) request.reason = std::move(*reason);
  }
  if (!errors.empty()) return errors;
  return request;
}

std::variant<AdjustmentRequest, core::FieldErrors> ValidateAdjustment(const json& body) {
  core::FieldErrors errors;
  AdjustmentRequest request;
  if (CheckShape(body, {"delta", "reason"}, errors)) {
    const auto delta = CheckInteger(body, "delta", -kMaxQuantity, kMaxQuantity, errors);
    if (delta) {
      if (auto problem = DeltaProblem(*delta)) errors.push_back({"delta", std::move(*problem)});
    }
    auto reason = CheckReason(body, errors);
    if (delta) request.delta = *delta;
    if (reason) request.reason = std::move(*reason);
  }
  if (!errors.empty()) return errors;
  return request;
}

std::variant<std::vector<std::string>, core::FieldErrors> ParseItemLookup(QueryParameters parameters) {
  http::QueryReader query(std::move(parameters), {"product_id"});
  const std::string* list = query.Find("product_id");
  // A repeated product_id was refused as such; only one never given is missing.
  if (list == nullptr && !Names(query.errors(), "product_id")) query.Fail("product_id", "is required");
  if (!query.errors().empty()) return query.errors();

  core::FieldErrors errors;
  std::vector<std::string> ids;
  std::size_t position = 0;
  std::string_view rest = *list;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view text = rest.substr(0, comma);
    ++position;
    if (auto id = core::CanonicalUuid(text)) {
      if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(std::move(*id));
    } else {
      errors.push_back({"product_id", "id " + std::to_string(position) + " is not a UUID"});
      break;
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  if (errors.empty() && ids.size() > kMaxLookupIds) {
    errors.push_back({"product_id", "names more than " + std::to_string(kMaxLookupIds) + " products"});
  }
  if (!errors.empty()) return errors;
  return ids;
}

std::variant<MovementsQuery, core::FieldErrors> ParseMovementsQuery(QueryParameters parameters) {
  http::QueryReader query(std::move(parameters), {"limit", "cursor"});
  MovementsQuery movements;
  movements.limit = static_cast<std::int64_t>(query.Limit());
  movements.before_id = query.Cursor(DecodeMovementsCursor);
  if (!query.errors().empty()) return query.errors();
  return movements;
}

std::string MovementsCursor(std::int64_t before_id) { return wire::EncodeCursor(before_id); }

std::string ReadProductCreated(const messaging::Envelope& event) {
  return messaging::PayloadReader(event).Uuid("product_id");
}

OrderCreated ReadOrderCreated(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  OrderCreated order;
  order.order_id = payload.Uuid("order_id");
  order.customer_id = CustomerId(payload);
  order.total_minor = payload.Integer("total_minor");
  order.currency = payload.Text("currency");
  if (!IsCurrencyCode(order.currency)) payload.Poison("currency", "is not an ISO 4217 currency code");
  order.lines = ReadLines(payload);
  order.order_version = payload.AggregateVersion();
  return order;
}

OrderCancelled ReadOrderCancelled(const messaging::Envelope& event) {
  return ReadOrderRef<OrderCancelled>(event);
}

PaymentFailed ReadPaymentFailed(const messaging::Envelope& event) {
  return ReadOrderRef<PaymentFailed>(event);
}

json ItemJson(const StockItem& item) {
  return {{"product_id", item.product_id}, {"free", item.free},          {"reserved", item.reserved},
          {"shipped", item.shipped},       {"in_stock", item.InStock()}, {"version", item.version}};
}

json ItemsJson(const std::vector<StockItem>& items) {
  json array = json::array();
  for (const auto& item : items) array.push_back(ItemJson(item));
  return {{"items", std::move(array)}};
}

json ReservationJson(const ReservationRecord& record) {
  const Reservation& r = record.reservation;
  return {{"order_id", r.order_id},
          {"customer_id", r.customer_id},
          {"status", ToString(r.status)},
          {"version", r.version},
          {"order_version", OrNull(r.order_version)},
          {"items", LinesJson(r.lines)},
          {"total_minor", OrNull(r.total_minor)},
          {"currency", OrNull(r.currency)},
          {"reason", OrNull(r.reason)},
          {"missing", MissingJson(r.missing)},
          {"created_at", record.created_at},
          {"updated_at", record.updated_at}};
}

json MovementJson(const MovementRecord& record) {
  const Movement& m = record.movement;
  return {{"id", record.id},
          {"product_id", m.product_id},
          {"kind", ToString(m.kind)},
          {"delta", m.delta},
          {"free_after", m.free_after},
          {"reserved_after", m.reserved_after},
          {"reason", OrNull(m.reason)},
          {"order_id", OrNull(m.order_id)},
          {"actor", OrNull(m.actor)},
          {"occurred_at", record.occurred_at}};
}

json MovementPageJson(const MovementPage& page) {
  json items = json::array();
  for (const auto& record : page.movements) items.push_back(MovementJson(record));
  json body = {{"items", std::move(items)}};
  if (page.next_before_id) body["next_cursor"] = MovementsCursor(*page.next_before_id);
  return body;
}

json TotalsJson(const Totals& totals) {
  return {{"received", totals.received},
          {"free", totals.free},
          {"reserved", totals.reserved},
          {"shipped", totals.shipped},
          {"products", totals.products}};
}

}  // namespace microstore::stock::api
