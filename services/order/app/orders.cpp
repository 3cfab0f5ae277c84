#include "order/app/orders.hpp"

#include <exception>
#include <stdexcept>

#include "platform/core/ids.hpp"
#include "order/domain/events.hpp"
#include "order/domain/requests.hpp"
#include "order/infra/order_store.hpp"
#include "order/infra/product_copies.hpp"
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

}  // namespace

asio::awaitable<CreateOutcome> CreateOrder(pg::Pool& db, CreateOrderCommand command,
                                           messaging::EventContext context, std::string node_id) {
  const std::string fingerprint = RequestFingerprint(command.lines);
  if (auto stored = co_await FindByIdempotencyKey(db, command.customer_id, command.idempotency_key)) {
    co_return AnswerForKey(*stored, fingerprint);
  }

  std::vector<std::string> ids;
  for (const auto& line : command.lines) ids.push_back(line.product_id);
  const std::vector<ProductCopy> products = co_await LoadProductCopies(db, std::move(ids));
  auto priced = PriceOrder(command.lines, products);
  if (auto* problems = std::get_if<Problems>(&priced)) co_return create::Unorderable{std::move(*problems)};

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
      co_await messaging::AppendDrafts(transaction, CreationEvents(created), context, kProducer, node_id);
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

asio::awaitable<CancelOutcome> CancelOrder(pg::Pool& db, std::string order_id, Caller caller,
                                           messaging::EventContext context, std::string node_id) {
  pg::Transaction transaction = co_await db.Begin();
  const std::optional<Order> current = co_await LockOrder(transaction, order_id);
  if (!current) co_return cancel::NotFound{};
  if (!MayAccess(caller, *current)) co_return cancel::Forbidden{};
  const saga::CustomerCancel cancel{.by_operator = caller.subject != current->customer_id};
  Applied applied = co_await DecideAndSave(transaction, *current, cancel, context, node_id);
  co_await transaction.Commit();
  co_return cancel::Done{std::move(applied.order)};
}

asio::awaitable<Applied> DecideAndSave(pg::Transaction& transaction, const Order& current, SagaInput input,
                                       messaging::EventContext context, std::string node_id) {
  Decision decision = Decide(current.state, input);
  const OrderState next = StateAfter(current.state, decision);
  if (next == current.state) co_return Applied{current, std::move(decision)};

  std::optional<Order> saved = co_await SaveState(transaction, current.id, current.state.version, next);
  if (!saved) {
    throw std::runtime_error("order " + current.id + " changed since it was read at version " +
                             std::to_string(current.state.version));
  }
  if (const auto* transition = std::get_if<decision::Transition>(&decision)) {
    co_await messaging::AppendDrafts(transaction, TransitionEvents(*saved, *transition), context, kProducer,
                                     node_id);
  }
  co_return Applied{std::move(*saved), std::move(decision)};
}

}  // namespace microstore::order
