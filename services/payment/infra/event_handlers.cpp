#include "payment/infra/event_handlers.hpp"

#include <stdexcept>
#include <variant>

#include "platform/core/ids.hpp"
#include "payment/domain/events.hpp"
#include "payment/domain/payment.hpp"
#include "payment/infra/store.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::payment {
namespace {

namespace asio = boost::asio;

template <typename T>
T PayloadOrPoison(std::variant<T, PayloadError> parsed, const messaging::Envelope& event) {
  if (auto* error = std::get_if<PayloadError>(&parsed)) {
    throw messaging::PoisonEvent(event.type + " " + event.id + ": " + error->message);
  }
  return std::move(std::get<T>(parsed));
}

// The customer's account, created at balance 0 if it does not exist yet (UserRegistered may come
// late: the event naming the customer proves they exist), locked until the transaction ends.
asio::awaitable<Account> LockedAccount(pg::Transaction& transaction, std::string customer_id,
                                       std::string currency) {
  co_await EnsureAccount(transaction, customer_id, currency);
  std::optional<Account> account = co_await LockAccount(transaction, customer_id);
  if (!account) throw std::runtime_error("the account " + customer_id + " vanished");
  co_return std::move(*account);
}

// Carries out a decision: the balance and its ledger entry, the payment, the event.
asio::awaitable<void> Store(pg::Transaction& transaction, const Account& account, decision::Change change,
                            const Settings& settings, const messaging::Envelope& cause) {
  if (change.move) {
    co_await SetBalance(transaction, account, change.move->balance_after_minor);
    LedgerEntry entry{.id = core::NewUuid(),
                      .customer_id = account.customer_id,
                      .kind = change.move->kind,
                      .amount_minor = change.move->amount_minor,
                      .currency = account.currency,
                      .order_id = change.payment.order_id,
                      .balance_after_minor = change.move->balance_after_minor};
    co_await AppendEntry(transaction, std::move(entry));
  }
  if (change.created) {
    co_await InsertPayment(transaction, change.payment);
  } else {
    co_await UpdatePayment(transaction, change.payment);
  }
  if (change.event) {
    std::vector<EventDraft> events{std::move(*change.event)};
    co_await messaging::AppendDrafts(transaction, std::move(events), messaging::CausedBy(cause), kProducer,
                                     settings.node_id);
  }

  const log::Context context{"", cause.correlation_id};
  log::Info(context, "payment changed",
            {{"order_id", change.payment.order_id},
             {"status", ToString(change.payment.status)},
             {"version", change.payment.version},
             {"amount_minor", change.payment.amount_minor},
             {"cause", cause.type},
             {"event_id", cause.id}});
}

asio::awaitable<void> Carry(pg::Transaction& transaction, const Account& account, PaymentDecision decided,
                            const Settings& settings, const messaging::Envelope& cause) {
  if (auto* unchanged = std::get_if<decision::Unchanged>(&decided)) {
    const log::Context context{"", cause.correlation_id};
    log::Info(context, "event changes no payment",
              {{"cause", cause.type}, {"event_id", cause.id}, {"why", unchanged->why}});
    co_return;
  }
  co_await Store(transaction, account, std::move(std::get<decision::Change>(decided)), settings, cause);
}

}  // namespace

asio::awaitable<void> OnUserRegistered(Settings settings, pg::Transaction& transaction,
                                       const messaging::Envelope& event) {
  const Registration registration = PayloadOrPoison(ParseUserRegistered(event.payload), event);
  if (!registration.customer) co_return;  // staff hold no account
  co_await EnsureAccount(transaction, registration.user_id, settings.currency);
}

asio::awaitable<void> OnStockReserved(Settings settings, pg::Transaction& transaction,
                                      const messaging::Envelope& event) {
  ChargeRequest request = PayloadOrPoison(ParseStockReserved(event.payload), event);
  const Account account = co_await LockedAccount(transaction, request.customer_id, settings.currency);
  const std::optional<Payment> current = co_await LockPayment(transaction, request.order_id);
  PaymentDecision decided = DecideOnStockReserved(current, account, request, core::NewUuid());
  co_await Carry(transaction, account, std::move(decided), settings, event);
}

asio::awaitable<void> OnOrderCancelled(Settings settings, pg::Transaction& transaction,
                                       const messaging::Envelope& event) {
  Cancellation cancellation = PayloadOrPoison(ParseOrderCancelled(event.payload), event);
  // A refund goes to the customer who paid: lock that account, before the payment (lock order).
  const std::optional<std::string> payer = co_await PaymentCustomer(transaction, cancellation.order_id);
  const std::string customer_id = payer.value_or(cancellation.customer_id);
  const Account account = co_await LockedAccount(transaction, customer_id, settings.currency);
  const std::optional<Payment> current = co_await LockPayment(transaction, cancellation.order_id);
  if (current && current->customer_id != customer_id) {
    // A payment of another customer appeared between the two reads: start again from its payer.
    throw std::runtime_error("the payment of order " + cancellation.order_id + " appeared concurrently");
  }
  PaymentDecision decided = DecideOnOrderCancelled(current, account, cancellation, core::NewUuid());
  co_await Carry(transaction, account, std::move(decided), settings, event);
}

std::vector<messaging::EventSubscription> EventSubscriptions(Settings settings) {
  std::vector<messaging::EventSubscription> subscriptions;
  subscriptions.push_back({"identity", "UserRegistered",
                           [settings](pg::Transaction& transaction, const messaging::Envelope& event) {
                             return OnUserRegistered(settings, transaction, event);
                           }});
  subscriptions.push_back(
      {"stock", "StockReserved", [settings](pg::Transaction& transaction, const messaging::Envelope& event) {
         return OnStockReserved(settings, transaction, event);
       }});
  subscriptions.push_back(
      {"order", "OrderCancelled", [settings](pg::Transaction& transaction, const messaging::Envelope& event) {
         return OnOrderCancelled(settings, transaction, event);
       }});
  return subscriptions;
}

}  // namespace microstore::payment
