#pragma once

#include <vector>

#include "payment/domain/events.hpp"
#include "platform/messaging/envelope.hpp"

// The outbox rows of payment's events, as contracts/asyncapi.yaml defines them (schema_version 1,
// aggregate {type "payment", id order_id, version, status}):
//   PaymentSucceeded (CAPTURED) {order_id, customer_id, payment_id, amount_minor, currency,
//                                order_version}
//   PaymentFailed    (FAILED)   {…the same…, reason}
//   PaymentRefunded  (REFUNDED) {order_id, customer_id, payment_id, amount_minor, currency, reason}
namespace microstore::payment {

messaging::EventDraft ToDraft(const Event& event);
std::vector<messaging::EventDraft> ToDrafts(const std::vector<Event>& events);

}  // namespace microstore::payment
