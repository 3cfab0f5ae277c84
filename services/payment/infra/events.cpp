#include "payment/infra/events.hpp"

#include <nlohmann/json.hpp>

#include "payment/domain/payment.hpp"

namespace microstore::payment {
namespace {

constexpr const char* kAggregateType = "payment";

messaging::AggregateRef AggregateOf(const std::string& order_id, std::int64_t version, PaymentStatus status) {
  return {kAggregateType, order_id, version, std::string(ToString(status))};
}

template <typename MoneyEvent>
nlohmann::json MoneyPayload(const MoneyEvent& event) {
  return {{"order_id", event.order_id},
          {"customer_id", event.customer_id},
          {"payment_id", event.payment_id},
          {"amount_minor", event.amount_minor},
          {"currency", event.currency}};
}

messaging::EventDraft Draft(const PaymentSucceeded& event) {
  nlohmann::json payload = MoneyPayload(event);
  payload["order_version"] = event.order_version;
  return {"PaymentSucceeded", AggregateOf(event.order_id, event.version, PaymentStatus::kCaptured),
          std::move(payload)};
}

messaging::EventDraft Draft(const PaymentFailed& event) {
  nlohmann::json payload = MoneyPayload(event);
  payload["order_version"] = event.order_version;
  payload["reason"] = event.reason;
  return {"PaymentFailed", AggregateOf(event.order_id, event.version, PaymentStatus::kFailed),
          std::move(payload)};
}

messaging::EventDraft Draft(const PaymentRefunded& event) {
  nlohmann::json payload = MoneyPayload(event);
  payload["reason"] = event.reason;
  return {"PaymentRefunded", AggregateOf(event.order_id, event.version, PaymentStatus::kRefunded),
          std::move(payload)};
}

}  // namespace

messaging::EventDraft ToDraft(const Event& event) {
  return std::visit([](const auto& typed) { return Draft(typed); }, event);
}

std::vector<messaging::EventDraft> ToDrafts(const std::vector<Event>& events) {
  return messaging::DraftsOf(events, ToDraft);
}

}  // namespace microstore::payment
