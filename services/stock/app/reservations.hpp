#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <variant>

#include "platform/messaging/envelope.hpp"
#include "stock/domain/reservation.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// Reservations: the saga's stock step (domain/reservation_decision.hpp) and what staff read.
namespace microstore::stock {

// OrderCreated, OrderCancelled or PaymentFailed, inside the inbox's transaction: locks the
// order's reservation, then the stock it moves (infra/stock_repository.hpp, Locking), decides,
// and stores the reservation, the items, their audit entries and the events (with `context`).
// An ignored event is logged and stores nothing.
boost::asio::awaitable<void> ApplyReservationEvent(pg::Transaction& transaction,
                                                   const messaging::Outbox& outbox, ReservationEvent event,
                                                   messaging::EventContext context);

// Stock has no reservation for the order (no event about it arrived, or none left one).
struct UnknownReservation {
  bool operator==(const UnknownReservation&) const = default;
};
boost::asio::awaitable<std::variant<ReservationRecord, UnknownReservation>> GetReservation(
    pg::Pool& pool, std::string order_id);

}  // namespace microstore::stock
