// order reads catalog's product events and stock's and payment's saga events
// (infra/event_payloads.hpp): a value or messaging::PoisonEvent, nothing else; a saga input it
// reads is then decided by the saga's state machine for an order in each status.
#include <variant>

#include "platform/core/ids.hpp"
#include "order/domain/saga.hpp"
#include "events.hpp"
#include "order/infra/event_payloads.hpp"
#include "platform/messaging/inbox.hpp"
#include "support.hpp"

namespace microstore::fuzz {
namespace {

template <typename F>
void ReadOrPoison(F&& read) {
  try {
    std::forward<F>(read)();
  } catch (const messaging::PoisonEvent& e) {
    FUZZ_CHECK(std::string_view(e.what()).size() > 0 && IsUtf8(e.what()));
  }
}

bool Canonical(const std::string& id) { return core::CanonicalUuid(id) == id; }

}  // namespace

void OrderReadsEvent(const messaging::Envelope& event) {
  ReadOrPoison([&] {
    const order::ProductCopy copy = order::ReadProductSnapshot(event);
    FUZZ_CHECK(Canonical(copy.product_id) && copy.price_minor >= 0 && copy.version >= 1);
  });
  ReadOrPoison([&] {
    const order::PriceChange change = order::ReadPriceChanged(event);
    FUZZ_CHECK(Canonical(change.product_id) && change.price_minor >= 0 && change.version >= 1);
  });
  ReadOrPoison([&] {
    const order::ArchivedProduct archived = order::ReadProductArchived(event);
    FUZZ_CHECK(Canonical(archived.product_id) && archived.version >= 1);
  });
  ReadOrPoison([&] {
    const order::SagaEvent saga_event = order::ReadSagaEvent(event);
    FUZZ_CHECK(Canonical(saga_event.order_id));
    for (const order::OrderStatus status : {order::OrderStatus::kPending, order::OrderStatus::kReserved,
                                            order::OrderStatus::kPaid, order::OrderStatus::kCancelled}) {
      order::OrderState state;
      state.status = status;
      if (status == order::OrderStatus::kCancelled) state.reason = order::CancelReason::kOutOfStock;
      state.version = 2;
      const order::Decision decision = order::Decide(state, saga_event.input);
      const order::OrderState after = order::StateAfter(state, decision);
      FUZZ_CHECK(after.version >= state.version, "the saga lowered an order's version");
      if (status == order::OrderStatus::kCancelled) FUZZ_CHECK(after.status == order::OrderStatus::kCancelled);
    }
  });
}

}  // namespace microstore::fuzz
