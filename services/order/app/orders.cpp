#include "order/app/orders.hpp"

#include <exception>
#include <stdexcept>

#include "order/infra/events.hpp"
#include "order/infra/order_store.hpp"
#include "order/infra/product_copies.hpp"
#include "platform/core/ids.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/errors.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::order {
namespace {

namespace asio = boost::asio;

// A racing request can pay or cancel the unpaid order we collided with before we read it; then
// the insert is simply tried again.
constexpr int kCreateAttempts = 3;

CreateOutcome AnswerForKey(const StoredOrder& stored, const std::string& fingerprint) {
  if (stored.request_fingerprint != fingerprint) return create::KeyReused{};
  return create::Replayed{stored.order};
}

// Saves what `decision` changed of `current` (locked in `transaction`) and appends its events;
// answers the order as it is now.
asio::awaitable<Order> Save(pg::Transaction& transaction, const messaging::Outbox& outbox, const Order& current,
                            OrderDecision decision, messaging::EventContext context) {
  if (core::IfUnchanged(decision)) co_return current;
  auto& changed = core::ChangedOf(decision);
  std::optional<Order> saved = co_await SaveState(transaction, current.id, current.state.version, changed.next.state);
  if (!saved) {
    throw std::runtime_error("order " + current.id + " changed since it was read at version " +
                             std::to_string(current.state.version));
  }
  co_await outbox.Append(transaction, ToDrafts(changed.events), std::move(context));
  co_return std::move(*saved);
}

// The version of the source aggregate (stock's reservation, payment's payment) an event carries.
std::int64_t SourceVersion(const SagaInput& input) {
  if (const auto* event = std::get_if<saga::StockReserved>(&input)) return event->reservation_version;
  if (const auto* event = std::get_if<saga::StockReservationFailed>(&input)) return event->reservation_version;
  if (const auto* event = std::get_if<saga::StockReleased>(&input)) return event->reservation_version;
  if (const auto* event = std::get_if<saga::PaymentSucceeded>(&input)) return event->payment_version;
  if (const auto* event = std::get_if<saga::PaymentFailed>(&input)) return event->payment_version;
  if (const auto* event = std::get_if<saga::PaymentRefunded>(&input)) return event->payment_version;
  return 0;
}

void LogUnchanged(const Order& order, const SagaEvent& event, const core::Unchanged& unchanged,
                  const messaging::EventContext& context) {
  // The context is the event's own: its id is the causation of whatever it causes.
  const log::Context log_context{context.causation_id, context.correlation_id};
  const std::string_view type = NameOf(event.input);
  if (unchanged.kind == core::Unchanged::Kind::kIgnored) {
    log::Info(log_context, "saga event changes nothing",
              {{"event_id", context.causation_id},
               {"type", type},
               {"order_id", event.order_id},
               {"why", unchanged.why}});
    return;
  }
  const log::Fields fields = {{"event_id", context.causation_id},
                              {"type", type},
                              {"order_id", event.order_id},
                              {"event_version", SourceVersion(event.input)},
                              {"order_version", order.state.version},
                              {"order_status", ToString(order.state.status)},
                              {"reservation_version", order.state.reservation_version},
                              {"payment_version", order.state.payment_version},
                              {"why", unchanged.why}};
  if (unchanged.kind == core::Unchanged::Kind::kContradiction) {
    log::Warn(log_context, "contradictory saga event dropped", fields);
  } else {
    log::Info(log_context, "stale saga event dropped", fields);
  }
}

}  // namespace

asio::awaitable<CreateOutcome> CreateOrder(pg::Pool& db, const messaging::Outbox& outbox,
                                           CreateOrderCommand command, messaging::EventContext context) {
  const std::string fingerprint = RequestFingerprint(command.lines);
  if (auto stored = co_await FindByIdempotencyKey(db, command.customer_id, command.idempotency_key)) {
    co_return AnswerForKey(*stored, fingerprint);
  }

  std::vector<std::string> ids;
  for (const auto& line : command.lines) ids.push_back(line.product_id);
  const std::vector<ProductCopy> products = co_await LoadProductCopies(db, std::move(ids));
  auto priced = PriceOrder(command.lines, products);
  if (auto* errors = std::get_if<core::FieldErrors>(&priced)) co_return create::Unorderable{std::move(*errors)};

  NewOrder order{.id = core::NewUuid(),
                 .customer_id = command.customer_id,
                 .priced = std::move(std::get<PricedOrder>(priced)),
                 .idempotency_key = command.idempotency_key,
                 .request_fingerprint = fingerprint};
  for (int attempt = 0; attempt < kCreateAttempts; ++attempt) {
    std::string violated;
    std::exception_ptr other_violation;
    try {
      pg::Transaction transaction = co_await db.Begin();
      Order created = co_await InsertOrder(transaction, order);
      co_await outbox.Append(transaction, ToDrafts(CreationEvents(created)), context);
      co_await transaction.Commit();
      co_return create::Created{std::move(created)};
    } catch (const pg::UniqueViolation& error) {
      violated = error.constraint();
      if (violated != kIdempotencyIndex && violated != kOneUnpaidOrderIndex)
        other_violation = std::current_exception();
    }
    if (other_violation) std::rethrow_exception(other_violation);

    // Both indexes can report a concurrent twin of this very request (same key, still unpaid):
    // whichever PostgreSQL checked first. Either way the committed order decides the answer.
    if (violated == kIdempotencyIndex) {
      if (auto stored = co_await FindByIdempotencyKey(db, command.customer_id, command.idempotency_key)) {
        co_return AnswerForKey(*stored, fingerprint);
      }
      continue;
    }
    if (auto unpaid = co_await FindUnpaidOrder(db, command.customer_id)) {
      if (unpaid->order.idempotency_key == command.idempotency_key)
        co_return AnswerForKey(*unpaid, fingerprint);
      co_return create::UnpaidOrderExists{std::move(unpaid->order)};
    }
  }
  co_return create::UnpaidOrderExists{std::nullopt};
}

asio::awaitable<OrderOutcome> GetOrder(pg::Pool& db, std::string order_id, Caller caller) {
  std::optional<Order> order = co_await FindOrder(db, std::move(order_id));
  if (!order) co_return NotFound{};
  if (!MayAccess(caller, *order)) co_return Forbidden{};
  co_return std::move(*order);
}

asio::awaitable<ListOutcome> ListOrders(pg::Pool& db, Caller caller, OrderListQuery query) {
  std::optional<OrderListQuery> visible = VisibleTo(caller, std::move(query));
  if (!visible) co_return Forbidden{};
  const std::size_t rows = visible->limit + 1;
  co_return co_await QueryOrders(db, std::move(*visible), rows);
}

asio::awaitable<OrderStats> GetOrderStats(pg::Pool& db) { co_return co_await CountOrders(db); }

asio::awaitable<OrderOutcome> CancelOrder(pg::Pool& db, const messaging::Outbox& outbox, std::string order_id,
                                          Caller caller, messaging::EventContext context) {
  pg::Transaction transaction = co_await db.Begin();
  const std::optional<LockedOrder> locked = co_await LockOrder(transaction, std::move(order_id));
  if (!locked) co_return NotFound{};
  const Order& current = locked->order;
  if (!MayAccess(caller, current)) co_return Forbidden{};
  Order after =
      co_await Save(transaction, outbox, current, Decide(current, CancelBy(caller, current), locked->now), context);
  co_await transaction.Commit();
  co_return after;
}

asio::awaitable<SagaOutcome> ApplySagaEvent(pg::Transaction& transaction, const messaging::Outbox& outbox,
                                            SagaEvent event, messaging::EventContext context) {
  const std::optional<LockedOrder> locked = co_await LockOrder(transaction, event.order_id);
  if (!locked) co_return UnknownOrder{};
  const Order& current = locked->order;
  OrderDecision decision = Decide(current, event.input, locked->now);
  if (const core::Unchanged* unchanged = core::IfUnchanged(decision)) {
    LogUnchanged(current, event, *unchanged, context);
    co_return current;
  }
  co_return co_await Save(transaction, outbox, current, std::move(decision), std::move(context));
}

}  // namespace microstore::order
