#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "order/domain/access.hpp"
#include "order/domain/listing.hpp"
#include "order/domain/order.hpp"
#include "order/domain/requests.hpp"
#include "order/domain/saga.hpp"
#include "platform/core/field_error.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The order service's use cases, one per command, query and consumed saga event: load → decide
// (domain/) → save the change and append its events to `outbox`, in one transaction. Business
// outcomes are values; I/O failures throw. Order ids must be UUIDs.
namespace microstore::order {

struct CreateOrderCommand {
  std::string customer_id;
  std::string idempotency_key;       // a valid key (http::IdempotencyKey)
  std::vector<RequestedLine> lines;  // valid lines (ReadCreateOrder)
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
  core::FieldErrors errors;
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
boost::asio::awaitable<CreateOutcome> CreateOrder(pg::Pool& db, const messaging::Outbox& outbox,
                                                  CreateOrderCommand command, messaging::EventContext context);

// No order has this id.
struct NotFound {};
// The order is another customer's, or a customer asked for another customer's orders.
struct Forbidden {};

using OrderOutcome = std::variant<Order, NotFound, Forbidden>;

// The order, if `caller` may see it.
boost::asio::awaitable<OrderOutcome> GetOrder(pg::Pool& db, std::string order_id, Caller caller);

// The orders of `query` that `caller` may see (a customer only their own), newest first: up to
// query.limit + 1, the one beyond the limit only saying that a next page exists (http::PageBody).
// Forbidden when a customer names another customer.
using ListOutcome = std::variant<std::vector<ListedOrder>, Forbidden>;
boost::asio::awaitable<ListOutcome> ListOrders(pg::Pool& db, Caller caller, OrderListQuery query);

boost::asio::awaitable<OrderStats> GetOrderStats(pg::Pool& db);

// A customer's cancel, CANCELLED(customer_cancelled), or an operator's of someone else's order,
// CANCELLED(operator_cancelled), with OrderStatusChanged and OrderCancelled: the order after it,
// unchanged when it was already cancelled.
boost::asio::awaitable<OrderOutcome> CancelOrder(pg::Pool& db, const messaging::Outbox& outbox,
                                                 std::string order_id, Caller caller,
                                                 messaging::EventContext context);

// The order a saga event names is not one of this service's.
struct UnknownOrder {};
using SagaOutcome = std::variant<Order, UnknownOrder>;

// What an event of stock or payment does to its order, inside the consumer's `transaction`
// (which the caller commits): the order, locked, goes through the saga's state machine; a change
// is saved with a version predicate and appends its events caused by `context`. An event that
// changes nothing (stale, contradictory, ignored) is logged. Answers the order as it is now.
boost::asio::awaitable<SagaOutcome> ApplySagaEvent(pg::Transaction& transaction, const messaging::Outbox& outbox,
                                                   SagaEvent event, messaging::EventContext context);

}  // namespace microstore::order
