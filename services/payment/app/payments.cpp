#include "payment/app/payments.hpp"

#include <stdexcept>
#include <string_view>

#include "payment/infra/events.hpp"
#include "payment/infra/store.hpp"
#include "platform/core/ids.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::payment {
namespace {

namespace asio = boost::asio;

// Carries out a decision on the payment `current` (as locked): the balance and its ledger entry,
// the payment, the events. `cause` is the type of the event decided on.
asio::awaitable<void> Apply(pg::Transaction& transaction, const messaging::Outbox& outbox,
                            const Account& account, const std::optional<Payment>& current,
                            PaymentDecision decision, std::string_view cause,
                            const messaging::EventContext& context) {
  const log::Context log_context{"", context.correlation_id};
  if (const core::Unchanged* unchanged = core::IfUnchanged(decision)) {
    log::Info(log_context, "event changes no payment",
              {{"cause", cause}, {"event_id", context.causation_id}, {"why", unchanged->why}});
    co_return;
  }
  auto& changed = core::ChangedOf(decision);
  const Payment& payment = changed.next.payment;
  if (const auto& move = changed.next.move) {
    co_await SetBalance(transaction, account, move->balance_after_minor);
    LedgerEntry entry{.id = core::NewUuid(),
                      .customer_id = account.customer_id,
                      .kind = move->kind,
                      .amount_minor = move->amount_minor,
                      .currency = account.currency,
                      .order_id = payment.order_id,
                      .balance_after_minor = move->balance_after_minor};
    co_await AppendEntry(transaction, std::move(entry));
  }
  if (current) {
    co_await UpdatePayment(transaction, payment);
  } else {
    co_await InsertPayment(transaction, payment);
  }
  co_await outbox.Append(transaction, ToDrafts(changed.events), context);

  log::Info(log_context, "payment changed",
            {{"order_id", payment.order_id},
             {"status", ToString(payment.status)},
             {"version", payment.version},
             {"amount_minor", payment.amount_minor},
             {"cause", cause},
             {"event_id", context.causation_id}});
}

}  // namespace

asio::awaitable<PaymentsOutcome> ListPayments(pg::Pool& db, std::string order_id,
                                              std::optional<std::string> customer_id) {
  std::vector<Payment> payments = co_await FindPayments(db, std::move(order_id));
  for (const Payment& payment : payments) {
    if (!MayRead(payment, customer_id)) co_return OfAnotherCustomer{};
  }
  co_return payments;
}

asio::awaitable<void> OnStockReserved(pg::Transaction& transaction, const messaging::Outbox& outbox,
                                      const Settings& settings, ChargeRequest request,
                                      messaging::EventContext context) {
  const Account account = co_await LockAccountCreating(transaction, request.customer_id, settings.currency);
  const std::optional<Payment> current = co_await LockPayment(transaction, request.order_id);
  PaymentDecision decision = DecideOnStockReserved(current, account, request, core::NewUuid());
  co_await Apply(transaction, outbox, account, current, std::move(decision), "StockReserved", context);
}

asio::awaitable<void> OnOrderCancelled(pg::Transaction& transaction, const messaging::Outbox& outbox,
                                       const Settings& settings, Cancellation cancellation,
                                       messaging::EventContext context) {
  // A refund goes to the customer who paid: lock that account, before the payment (lock order).
  const std::optional<std::string> payer = co_await PaymentCustomer(transaction, cancellation.order_id);
  const std::string customer_id = payer.value_or(cancellation.customer_id);
  const Account account = co_await LockAccountCreating(transaction, customer_id, settings.currency);
  const std::optional<Payment> current = co_await LockPayment(transaction, cancellation.order_id);
  if (current && current->customer_id != customer_id) {
    // A payment of another customer appeared between the two reads: start again from its payer.
    throw std::runtime_error("the payment of order " + cancellation.order_id + " appeared concurrently");
  }
  PaymentDecision decision = DecideOnOrderCancelled(current, account, cancellation, core::NewUuid());
  co_await Apply(transaction, outbox, account, current, std::move(decision), "OrderCancelled", context);
}

}  // namespace microstore::payment
