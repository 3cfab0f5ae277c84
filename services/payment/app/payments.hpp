#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "payment/app/settings.hpp"
#include "payment/domain/payment.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The saga's payment step and the payments customers and operators read. Each event is applied
// inside the inbox's transaction (the inbox row, the changes and the events appended to the
// outbox commit together); what a decision leaves unchanged is logged. Ids must be canonical
// UUIDs (core::CanonicalUuid).
//
// Lock order, everywhere: the customer's account row, then the order's payment row
// (infra/store.hpp), so a decision is always taken on the latest committed state.
namespace microstore::payment {

// The order has a payment of another customer than the reader.
struct OfAnotherCustomer {};
using PaymentsOutcome = std::variant<std::vector<Payment>, OfAnotherCustomer>;

// The payments of an order (at most one; none for an unknown order) for `customer_id`, or for an
// operator when nullopt (MayRead).
boost::asio::awaitable<PaymentsOutcome> ListPayments(pg::Pool& db, std::string order_id,
                                                     std::optional<std::string> customer_id);

// stock StockReserved: charges the order's total from the customer's account (created at
// balance 0 in settings.currency when missing: the event naming the customer proves they
// exist), PaymentSucceeded or PaymentFailed; nothing for an order that already has a payment.
boost::asio::awaitable<void> OnStockReserved(pg::Transaction& transaction, const messaging::Outbox& outbox,
                                             const Settings& settings, ChargeRequest request,
                                             messaging::EventContext context);

// order OrderCancelled: refunds a captured payment to the customer who paid (PaymentRefunded), or
// leaves a VOIDED tombstone so that a late StockReserved charges nothing.
boost::asio::awaitable<void> OnOrderCancelled(pg::Transaction& transaction, const messaging::Outbox& outbox,
                                              const Settings& settings, Cancellation cancellation,
                                              messaging::EventContext context);

}  // namespace microstore::payment
