#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "order/domain/access.hpp"
#include "order/domain/order.hpp"
#include "order/domain/pricing.hpp"
#include "order/domain/saga.hpp"
#include "order/domain/validation.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The order service's use cases: load → decide → save the change and append its events to the
// outbox, in one transaction. `node_id` names this process in the events (Envelope::node_id).
namespace microstore::order {

struct CreateOrderCommand {
  std::string customer_id;
  std::string idempotency_key;       // checked with CheckIdempotencyKey
  std::vector<RequestedLine> lines;  // from ParseCreateOrder
};

namespace create {
struct Created {
  Order order;
};
// The customer already sent this key with the same request: that order, as it is now.
struct Replayed {
  Order order;
};
// The customer already sent this key with a different request.
struct KeyReused {};
// A product is unknown, archived, in another currency, or the total overflows.
struct Unorderable {
  Problems problems;
};
// The customer already has an unpaid (PENDING or RESERVED) order. `existing` is empty only when
// that order was paid or cancelled while we looked for it, three times over.
struct UnpaidOrderExists {
  std::optional<Order> existing;
};
}  // namespace create
using CreateOutcome = std::variant<create::Created, create::Replayed, create::KeyReused, create::Unorderable,
                                   create::UnpaidOrderExists>;

// Prices the lines from the product copies and stores a PENDING order with OrderCreated and
// OrderStatusChanged. The one-unpaid-order rule is the database's alone: the insert's unique
// violation is what answers UnpaidOrderExists.
boost::asio::awaitable<CreateOutcome> CreateOrder(pg::Pool& db, CreateOrderCommand command,
                                                  messaging::EventContext context, std::string node_id);

namespace cancel {
struct NotFound {};
struct Forbidden {};
// The order after the cancel (unchanged when it was already cancelled).
struct Done {
  Order order;
};
}  // namespace cancel
using CancelOutcome = std::variant<cancel::NotFound, cancel::Forbidden, cancel::Done>;

// A customer's cancel, CANCELLED(customer_cancelled), or an operator's of someone else's order,
// CANCELLED(operator_cancelled); with OrderStatusChanged and
// OrderCancelled; a no-op for an order already cancelled. `order_id` must be a UUID.
boost::asio::awaitable<CancelOutcome> CancelOrder(pg::Pool& db, std::string order_id, Caller caller,
                                                  messaging::EventContext context, std::string node_id);

struct Applied {
  Order order;  // after the decision (unchanged for Stale and Ignored)
  Decision decision;
};

// Decides what `input` does to `current` (locked by the caller in `transaction`) and saves it:
// a transition bumps the version and appends its events, a record sets the compensation flag.
// Throws std::runtime_error when the order changed since it was read (the caller retries).
boost::asio::awaitable<Applied> DecideAndSave(pg::Transaction& transaction, const Order& current,
                                              SagaInput input, messaging::EventContext context,
                                              std::string node_id);

}  // namespace microstore::order
