#include "stock/infra/event_handlers.hpp"

#include "stock/domain/incoming.hpp"
#include "stock/domain/reservation.hpp"
#include "stock/infra/stock_repository.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::stock {
namespace {

template <typename T>
T Parsed(std::variant<T, PayloadError> parsed, const messaging::Envelope& event) {
  if (auto* error = std::get_if<PayloadError>(&parsed)) {
    throw messaging::PoisonEvent(event.type + " " + event.id + ": " + error->message);
  }
  return std::move(std::get<T>(parsed));
}

ReservationEvent ReadReservationEvent(const messaging::Envelope& event) {
  if (event.type == "OrderCreated")
    return Parsed(ParseOrderCreated(event.payload, event.aggregate.version), event);
  if (event.type == "OrderCancelled") return Parsed(ParseOrderCancelled(event.payload), event);
  if (event.type == "PaymentFailed") return Parsed(ParsePaymentFailed(event.payload), event);
  throw messaging::PoisonEvent("stock does not reserve on " + event.type);
}

std::string_view OutcomeName(ReservationDecision::Outcome outcome) {
  switch (outcome) {
    case ReservationDecision::Outcome::kBooked:
      return "booked";
    case ReservationDecision::Outcome::kFailed:
      return "failed";
    case ReservationDecision::Outcome::kReleased:
      return "released";
    case ReservationDecision::Outcome::kTombstoned:
      return "tombstoned";
    case ReservationDecision::Outcome::kIgnored:
      return "ignored";
  }
  return "";
}

}  // namespace

boost::asio::awaitable<void> ApplyProductCreated(pg::Transaction& transaction,
                                                 const messaging::Envelope& event, std::string node_id) {
  StockItem item = NewItem(Parsed(ParseProductCreated(event.payload), event));
  const bool created = co_await InsertItem(transaction, item);
  if (!created) co_return;  // the product already has its item (a repeated ProductCreated)
  std::vector<EventDraft> events{LevelChanged(item, Cause::kProductCreated)};
  co_await messaging::AppendDrafts(transaction, std::move(events), messaging::CausedBy(event), kProducer,
                                   std::move(node_id));
}

boost::asio::awaitable<void> ApplyReservationEvent(pg::Transaction& transaction,
                                                   const messaging::Envelope& event, std::string node_id) {
  const ReservationEvent input = ReadReservationEvent(event);
  const std::string& order_id = OrderIdOf(input);
  const std::optional<Reservation> current = co_await LockReservation(transaction, order_id);
  const std::vector<StockItem> items = co_await LockItems(transaction, ProductsToLock(current, input));
  ReservationDecision decision = Decide(current, items, input);

  log::Info(log::Context{"", event.correlation_id}, "reservation event applied",
            {{"event_id", event.id},
             {"event_type", event.type},
             {"order_id", order_id},
             {"outcome", OutcomeName(decision.outcome)},
             {"ignored_because", decision.ignored_because}});
  if (!decision.reservation) {
    if (!current) co_await DropPlaceholder(transaction, order_id);
    co_return;
  }
  const std::int64_t expected_version = current ? current->version : 0;
  co_await SaveReservation(transaction, std::move(*decision.reservation), expected_version);
  co_await SaveItems(transaction, std::move(decision.items));
  co_await InsertMovements(transaction, std::move(decision.movements));
  co_await messaging::AppendDrafts(transaction, std::move(decision.events), messaging::CausedBy(event),
                                   kProducer, std::move(node_id));
}

std::vector<messaging::EventSubscription> EventSubscriptions(std::string node_id) {
  const auto product_created = [node_id](pg::Transaction& transaction, const messaging::Envelope& event) {
    return ApplyProductCreated(transaction, event, node_id);
  };
  const auto reservation_event = [node_id](pg::Transaction& transaction, const messaging::Envelope& event) {
    return ApplyReservationEvent(transaction, event, node_id);
  };
  return {{"catalog", "ProductCreated", product_created},
          {"order", "OrderCreated", reservation_event},
          {"order", "OrderCancelled", reservation_event},
          {"payment", "PaymentFailed", reservation_event}};
}

}  // namespace microstore::stock
