#include "order/api/json.hpp"

#include <algorithm>

#include "platform/core/ids.hpp"
#include "platform/http/query.hpp"
#include "platform/messaging/payload_reader.hpp"
#include "platform/wire/fields.hpp"
#include "platform/wire/json_reader.hpp"

namespace microstore::order::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxCustomerIdBytes = 200;

void ReadLine(const json& line, const std::string& path, std::vector<RequestedLine>& lines,
              core::FieldErrors& errors) {
  if (!line.is_object()) {
    errors.push_back({path, "must be an object with product_id and quantity"});
    lines.emplace_back();  // keeps line numbers aligned for the repeated-product check
    return;
  }
  for (const auto& [name, value] : line.items()) {
    if (name != "product_id" && name != "quantity") {
      errors.push_back({wire::FieldPath(path, name), "is not a field of an order line"});
    }
  }
  // Every line is kept, valid or not, so that a later line repeating its product is found.
  RequestedLine read;
  const std::string product_path = wire::FieldPath(path, "product_id");
  const auto product = line.find("product_id");
  if (product == line.end()) {
    errors.push_back({product_path, "is required"});
  } else if (!product->is_string() || !core::IsUuid(product->get_ref<const std::string&>())) {
    errors.push_back({product_path, "must be a product id (a UUID)"});
  } else {
    read.product_id = *core::CanonicalUuid(product->get_ref<const std::string&>());
    if (const auto earlier = LineOrdering(lines, read.product_id)) {
      errors.push_back({product_path, "repeats the product of " + wire::ElementPath("items", *earlier) +
                                          "; put the whole quantity on one line"});
    }
  }
  const std::string quantity_path = wire::FieldPath(path, "quantity");
  const auto quantity = line.find("quantity");
  if (quantity == line.end()) {
    errors.push_back({quantity_path, "is required"});
  } else if (const auto value = wire::Integer(*quantity); !value || !IsQuantity(*value)) {
    errors.push_back({quantity_path, "must be an integer from 1 to " + std::to_string(kMaxQuantity)});
  } else {
    read.quantity = *value;
  }
  lines.push_back(std::move(read));
}

// "PENDING,RESERVED": each status once, in the order first named; nullopt unless every entry is
// a status.
std::optional<std::vector<OrderStatus>> ReadStatuses(std::string_view text) {
  std::vector<OrderStatus> statuses;
  if (text.empty()) return std::nullopt;
  while (true) {
    const auto comma = text.find(',');
    const auto status = ParseStatus(text.substr(0, comma));
    if (!status) return std::nullopt;
    if (std::find(statuses.begin(), statuses.end(), *status) == statuses.end()) statuses.push_back(*status);
    if (comma == std::string_view::npos) return statuses;
    text.remove_prefix(comma + 1);
  }
}

json ItemJson(const OrderItem& item) {
  return {{"product_id", item.product_id},
          {"sku", item.sku},
          {"name", item.name},
          {"quantity", item.quantity},
          {"unit_price_minor", item.unit_price_minor},
          {"line_total_minor", item.line_total_minor}};
}

template <typename Input>
SagaEvent ReadVersioned(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  std::string order_id = payload.Uuid("order_id");
  return {std::move(order_id), Input{payload.AggregateVersion()}};
}

}  // namespace

std::variant<std::vector<RequestedLine>, core::FieldErrors> ReadCreateOrder(const json& body) {
  if (!body.is_object()) return core::FieldErrors{{"", "must be a JSON object with items"}};
  core::FieldErrors errors;
  for (const auto& [name, value] : body.items()) {
    if (name != "items") errors.push_back({wire::FieldPath("", name), "is not a field of an order request"});
  }
  std::vector<RequestedLine> lines;
  const auto items = body.find("items");
  if (items == body.end()) {
    errors.push_back({"items", "is required"});
  } else if (!items->is_array() || !IsLineCount(items->size())) {
    errors.push_back({"items", "must be an array of 1 to " + std::to_string(kMaxLines) + " lines"});
  } else {
    for (std::size_t i = 0; i < items->size(); ++i) ReadLine((*items)[i], wire::ElementPath("items", i), lines, errors);
  }
  if (!errors.empty()) return errors;
  return lines;
}

std::variant<OrderListQuery, core::FieldErrors> ReadListQuery(
    std::vector<std::pair<std::string, std::string>> parameters) {
  http::QueryReader reader(std::move(parameters), {"customer_id", "status", "limit", "cursor"});
  OrderListQuery query;
  if (const std::string* customer = reader.Find("customer_id")) {
    if (customer->empty() || customer->size() > kMaxCustomerIdBytes) {
      reader.Fail("customer_id", "must be a customer id");
    } else {
      query.customer_id = *customer;
    }
  }
  if (const std::string* status = reader.Find("status")) {
    if (auto statuses = ReadStatuses(*status)) {
      query.statuses = std::move(*statuses);
    } else {
      reader.Fail("status", "must be a comma-separated list of PENDING, RESERVED, PAID, CANCELLED");
    }
  }
  query.limit = reader.Limit();
  query.after = reader.Cursor([](std::string_view text) { return DecodeCursor(text); });
  if (!reader.errors().empty()) return reader.errors();
  return query;
}

std::string EncodeCursor(const OrderCursor& cursor) {
  return wire::EncodeCursor({{"c", cursor.created_at_us}, {"i", cursor.id}});
}

std::optional<OrderCursor> DecodeCursor(std::string_view text) {
  const std::optional<json> position = wire::DecodeCursor(text);
  if (!position || !position->is_object() || position->size() != 2) return std::nullopt;
  const auto created = position->find("c");
  const auto id = position->find("i");
  if (created == position->end() || id == position->end() || !id->is_string()) return std::nullopt;
  const auto created_at_us = wire::Integer(*created);
  const std::string& id_text = id->get_ref<const std::string&>();
  if (!created_at_us || core::CanonicalUuid(id_text) != id_text) return std::nullopt;
  return OrderCursor{*created_at_us, id_text};
}

json OrderJson(const Order& order) {
  json items = json::array();
  for (const auto& item : order.items) items.push_back(ItemJson(item));
  return {{"id", order.id},
          {"customer_id", order.customer_id},
          {"status", ToString(order.state.status)},
          {"reason", order.state.reason ? json(ToString(*order.state.reason)) : json(nullptr)},
          {"version", order.state.version},
          {"items", std::move(items)},
          {"total_minor", order.total_minor},
          {"currency", order.currency},
          {"stock_released", order.state.stock_released},
          {"refunded", order.state.refunded},
          {"created_at", order.created_at},
          {"updated_at", order.updated_at}};
}

json StatsJson(const OrderStats& stats) {
  json by_status = json::object();
  for (const auto& [status, count] : stats.by_status) by_status[std::string(ToString(status))] = count;
  return {{"by_status", std::move(by_status)},
          {"total", stats.total},
          {"oldest_in_progress_at",
           stats.oldest_in_progress_at ? json(*stats.oldest_in_progress_at) : json(nullptr)}};
}

ProductCopy ReadProductSnapshot(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  return {.product_id = payload.Uuid("product_id"),
          .sku = payload.Text("sku"),
          .name = payload.Text("name"),
          .price_minor = payload.Integer("price_minor"),
          .currency = payload.Text("currency"),
          .archived = payload.Boolean("archived"),
          .version = payload.AggregateVersion()};
}

PriceChange ReadPriceChanged(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  return {.product_id = payload.Uuid("product_id"),
          .sku = payload.Text("sku"),
          .price_minor = payload.Integer("price_minor"),
          .currency = payload.Text("currency"),
          .version = payload.AggregateVersion()};
}

ArchivedProduct ReadProductArchived(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  return {.product_id = payload.Uuid("product_id"), .sku = payload.Text("sku"), .version = payload.AggregateVersion()};
}

SagaEvent ReadStockReserved(const messaging::Envelope& event) { return ReadVersioned<saga::StockReserved>(event); }

SagaEvent ReadStockReservationFailed(const messaging::Envelope& event) {
  return ReadVersioned<saga::StockReservationFailed>(event);
}

SagaEvent ReadStockReleased(const messaging::Envelope& event) { return ReadVersioned<saga::StockReleased>(event); }

SagaEvent ReadPaymentSucceeded(const messaging::Envelope& event) {
  return ReadVersioned<saga::PaymentSucceeded>(event);
}

SagaEvent ReadPaymentFailed(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  std::string order_id = payload.Uuid("order_id");
  const std::int64_t version = payload.AggregateVersion();
  return {std::move(order_id), saga::PaymentFailed{version, payload.Text("reason")}};
}

SagaEvent ReadPaymentRefunded(const messaging::Envelope& event) {
  return ReadVersioned<saga::PaymentRefunded>(event);
}

}  // namespace microstore::order::api
