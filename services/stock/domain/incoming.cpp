#include "stock/domain/incoming.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace microstore::stock {
namespace {

using nlohmann::json;

// Reads fields of one payload, keeping the first error.
class Reader {
 public:
  explicit Reader(const json& payload) {
    if (!payload.is_object()) Fail("payload", "is not an object");
  }

  std::optional<PayloadError> error;

  std::string Uuid(const json& object, const std::string& key, const std::string& prefix = "") {
    if (error) return {};
    const std::string field = prefix + key;
    const json* value = Find(object, key, field);
    if (value == nullptr) return {};
    std::optional<std::string> id =
        value->is_string() ? core::CanonicalUuid(value->get<std::string>()) : std::nullopt;
    if (!id) {
      Fail(field, "is not a UUID");
      return {};
    }
    return *id;
  }

  std::string Text(const json& object, const std::string& key) {
    if (error) return {};
    const json* value = Find(object, key, key);
    if (value == nullptr) return {};
    if (!value->is_string() || value->get_ref<const std::string&>().empty()) {
      Fail(key, "is not a non-empty string");
      return {};
    }
    return value->get<std::string>();
  }

  std::int64_t Integer(const json& object, const std::string& key, std::int64_t min, std::int64_t max,
                       const std::string& prefix = "") {
    if (error) return 0;
    const std::string field = prefix + key;
    const json* value = Find(object, key, field);
    if (value == nullptr) return 0;
    const bool in_range =
        value->is_number_unsigned() ? value->get<std::uint64_t>() <= static_cast<std::uint64_t>(max) &&
                                          static_cast<std::int64_t>(value->get<std::uint64_t>()) >= min
        : value->is_number_integer() ? value->get<std::int64_t>() >= min && value->get<std::int64_t>() <= max
                                     : false;
    if (!in_range) {
      Fail(field, "is not an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return 0;
    }
    return value->get<std::int64_t>();
  }

  std::string Currency(const json& object, const std::string& key) {
    const std::string text = Text(object, key);
    if (error) return {};
    const bool valid = text.size() == 3 &&
                       std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!valid) Fail(key, "is not an ISO 4217 currency code");
    return text;
  }

  void Fail(const std::string& field, const std::string& message) {
    if (!error) error = PayloadError{field + " " + message};
  }

 private:
  const json* Find(const json& object, const std::string& key, const std::string& field) {
    if (!object.is_object()) {
      Fail(field, "is missing");
      return nullptr;
    }
    const auto it = object.find(key);
    if (it == object.end()) {
      Fail(field, "is missing");
      return nullptr;
    }
    return &*it;
  }
};

template <typename T>
std::variant<T, PayloadError> Finish(Reader& reader, T value) {
  if (reader.error) return *reader.error;
  return value;
}

template <typename T>
std::variant<T, PayloadError> ParseOrderRef(const json& payload) {
  Reader reader(payload);
  T ref;
  ref.order_id = reader.Uuid(payload, "order_id");
  ref.customer_id = reader.Text(payload, "customer_id");
  return Finish(reader, std::move(ref));
}

}  // namespace

std::variant<std::string, PayloadError> ParseProductCreated(const json& payload) {
  Reader reader(payload);
  std::string product_id = reader.Uuid(payload, "product_id");
  return Finish(reader, std::move(product_id));
}

std::variant<OrderCreated, PayloadError> ParseOrderCreated(const json& payload, std::int64_t order_version) {
  Reader reader(payload);
  OrderCreated order;
  order.order_id = reader.Uuid(payload, "order_id");
  order.customer_id = reader.Text(payload, "customer_id");
  order.order_version = order_version;
  order.total_minor = reader.Integer(payload, "total_minor", 0, std::numeric_limits<std::int64_t>::max());
  order.currency = reader.Currency(payload, "currency");
  if (reader.error) return *reader.error;

  const auto items = payload.find("items");
  if (items == payload.end() || !items->is_array() || items->empty()) {
    return PayloadError{"items is not a non-empty array"};
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    const json& item = (*items)[i];
    if (!item.is_object()) return PayloadError{"items[" + std::to_string(i) + "] is not an object"};
    const std::string prefix = "items[" + std::to_string(i) + "].";
    std::string product_id = reader.Uuid(item, "product_id", prefix);
    const std::int64_t quantity = reader.Integer(item, "quantity", 1, kMaxLineQuantity, prefix);
    if (reader.error) return *reader.error;
    const auto same = std::find_if(order.lines.begin(), order.lines.end(),
                                   [&product_id](const Line& line) { return line.product_id == product_id; });
    if (same == order.lines.end()) {
      order.lines.push_back({std::move(product_id), quantity});
    } else {
      same->quantity += quantity;
    }
  }
  return order;
}

std::variant<OrderCancelled, PayloadError> ParseOrderCancelled(const json& payload) {
  return ParseOrderRef<OrderCancelled>(payload);
}

std::variant<PaymentFailed, PayloadError> ParsePaymentFailed(const json& payload) {
  return ParseOrderRef<PaymentFailed>(payload);
}

}  // namespace microstore::stock
