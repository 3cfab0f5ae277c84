#include "stock/app/reservations.hpp"

#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "stock/domain/reservation_decision.hpp"
#include "stock/infra/events.hpp"
#include "stock/infra/stock_repository.hpp"

namespace microstore::stock {

boost::asio::awaitable<void> ApplyReservationEvent(pg::Transaction& transaction,
                                                   const messaging::Outbox& outbox, ReservationEvent event,
                                                   messaging::EventContext context) {
  const std::string order_id = OrderIdOf(event);
  const std::optional<Reservation> current = co_await LockReservation(transaction, order_id);
  const std::vector<StockItem> items = co_await LockItems(transaction, ProductsToLock(current, event));
  ReservationDecision decision = Decide(current, items, event);

  const core::Unchanged* unchanged = core::IfUnchanged(decision);
  log::Info(log::Context{"", context.correlation_id}, "reservation event applied",
            {{"event_id", context.causation_id},
             {"event_type", TypeOf(event)},
             {"order_id", order_id},
             {"outcome", OutcomeName(decision)},
             {"ignored_because", unchanged ? std::string_view(unchanged->why) : std::string_view()}});
  if (unchanged) {
    // LockReservation left a placeholder row for an order without a reservation: nothing to keep.
    if (!current) co_await DropPlaceholder(transaction, order_id);
    co_return;
  }
  ReservationChanged& changed = core::ChangedOf(decision);
  const std::int64_t expected_version = current ? current->version : 0;
  co_await SaveReservation(transaction, std::move(changed.next.reservation), expected_version);
  co_await SaveItems(transaction, std::move(changed.next.items));
  co_await InsertMovements(transaction, std::move(changed.next.movements));
  co_await outbox.Append(transaction, ToDrafts(changed.events), std::move(context));
}

boost::asio::awaitable<std::variant<ReservationRecord, UnknownReservation>> GetReservation(
    pg::Pool& pool, std::string order_id) {
  std::optional<ReservationRecord> record = co_await FindReservation(pool, std::move(order_id));
  if (!record) co_return UnknownReservation{};
  co_return std::move(*record);
}

}  // namespace microstore::stock
