#include "payment/domain/events.hpp"

#include <limits>
#include <optional>

#include "platform/core/ids.hpp"
#include "payment/domain/ids.hpp"
#include "payment/domain/json_numbers.hpp"

namespace microstore::payment {
namespace {

// Reads fields of one payload, remembering the first problem.
class Reader {
 public:
  explicit Reader(const nlohmann::json& payload) : payload_(payload) {
    if (!payload_.is_object()) Fail("payload", "is not an object");
  }

  std::string Uuid(const char* field) {
    const nlohmann::json* value = Find(field);
    if (value == nullptr) return {};
    std::optional<std::string> id;
    if (value->is_string()) id = core::CanonicalUuid(value->get_ref<const std::string&>());
    if (!id) {
      Fail(field, "is not a UUID");
      return {};
    }
    return *id;
  }

  std::int64_t Integer(const char* field, std::int64_t min, std::int64_t max) {
    const nlohmann::json* value = Find(field);
    if (value == nullptr) return 0;
    if (!value->is_number_integer()) {
      Fail(field, "is not an integer");
      return 0;
    }
    if (!InRange(*value, min, max)) {
      Fail(field, "is out of range " + std::to_string(min) + ".." + std::to_string(max));
      return 0;
    }
    return value->get<std::int64_t>();
  }

  std::string Currency(const char* field) {
    const nlohmann::json* value = Find(field);
    if (value == nullptr) return {};
    if (!value->is_string() || !IsCurrencyCode(value->get_ref<const std::string&>())) {
      Fail(field, "is not a currency code");
      return {};
    }
    return value->get<std::string>();
  }

  const nlohmann::json* Array(const char* field) {
    const nlohmann::json* value = Find(field);
    if (value != nullptr && !value->is_array()) {
      Fail(field, "is not an array");
      return nullptr;
    }
    return value;
  }

  const std::optional<PayloadError>& error() const { return error_; }

 private:
  const nlohmann::json* Find(const char* field) {
    if (error_) return nullptr;
    const auto it = payload_.find(field);
    if (it == payload_.end()) {
      Fail(field, "is missing");
      return nullptr;
    }
    return &*it;
  }

  void Fail(const std::string& field, const std::string& problem) {
    if (!error_) error_ = PayloadError{"payload field " + field + " " + problem};
  }

  const nlohmann::json& payload_;
  std::optional<PayloadError> error_;
};

}  // namespace

std::variant<Registration, PayloadError> ParseUserRegistered(const nlohmann::json& payload) {
  Reader reader(payload);
  Registration registration;
  registration.user_id = reader.Uuid("user_id");
  if (const nlohmann::json* roles = reader.Array("roles")) {
    for (const auto& role : *roles) {
      if (role.is_string() && role.get_ref<const std::string&>() == "CUSTOMER") registration.customer = true;
    }
  }
  if (reader.error()) return *reader.error();
  return registration;
}

std::variant<ChargeRequest, PayloadError> ParseStockReserved(const nlohmann::json& payload) {
  Reader reader(payload);
  ChargeRequest request;
  request.order_id = reader.Uuid("order_id");
  request.customer_id = reader.Uuid("customer_id");
  request.order_version = reader.Integer("order_version", 1, std::numeric_limits<std::int64_t>::max());
  request.amount_minor = reader.Integer("total_minor", 0, kMaxOrderTotalMinor);
  request.currency = reader.Currency("currency");
  if (reader.error()) return *reader.error();
  return request;
}

std::variant<Cancellation, PayloadError> ParseOrderCancelled(const nlohmann::json& payload) {
  Reader reader(payload);
  Cancellation cancellation;
  cancellation.order_id = reader.Uuid("order_id");
  cancellation.customer_id = reader.Uuid("customer_id");
  cancellation.total_minor = reader.Integer("total_minor", 0, kMaxOrderTotalMinor);
  cancellation.currency = reader.Currency("currency");
  if (reader.error()) return *reader.error();
  return cancellation;
}

}  // namespace microstore::payment
