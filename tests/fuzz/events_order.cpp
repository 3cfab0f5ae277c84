// order reads catalog's product events and stock's and payment's saga events (api/json.hpp): a
// value or messaging::PoisonEvent, nothing else; a saga input it reads is then decided by the
// saga's state machine for an order in each status.
#include <variant>

#include "events.hpp"
#include "order/api/json.hpp"
#include "order/domain/saga.hpp"
#include "platform/core/ids.hpp"
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

void DecideInEveryStatus(const order::SagaEvent& saga_event) {
  FUZZ_CHECK(Canonical(saga_event.order_id));
  for (const order::OrderStatus status : {order::OrderStatus::kPending, order::OrderStatus::kReserved,
                                          order::OrderStatus::kPaid, order::OrderStatus::kCancelled}) {
    order::Order current;
    current.state.status = status;
    if (status == order::OrderStatus::kCancelled) current.state.reason = order::CancelReason::kOutOfStock;
    current.state.version = 2;
    const order::OrderDecision decision =
        order::Decide(current, saga_event.input, "2026-11-23T10:00:00.000Z");
    const order::OrderState after =
        core::IfUnchanged(decision) ? current.state : core::ChangedOf(decision).next.state;
    FUZZ_CHECK(after.version >= current.state.version, "the saga lowered an order's version");
    if (status == order::OrderStatus::kCancelled) FUZZ_CHECK(after.status == order::OrderStatus::kCancelled);
  }
}

}  // namespace

void OrderReadsEvent(const messaging::Envelope& event) {
  ReadOrPoison([&] {
    const order::ProductCopy copy = order::api::ReadProductSnapshot(event);
    FUZZ_CHECK(Canonical(copy.product_id) && copy.price_minor >= 0 && copy.version >= 1);
  });
  ReadOrPoison([&] {
    const order::PriceChange change = order::api::ReadPriceChanged(event);
    FUZZ_CHECK(Canonical(change.product_id) && change.price_minor >= 0 && change.version >= 1);
  });
  ReadOrPoison([&] {
    const order::ArchivedProduct archived = order::api::ReadProductArchived(event);
    FUZZ_CHECK(Canonical(archived.product_id) && archived.version >= 1);
  });
  for (const auto read :
       {order::api::ReadStockReserved, order::api::ReadStockReservationFailed, order::api::ReadStockReleased,
        order::api::ReadPaymentSucceeded, order::api::ReadPaymentFailed, order::api::ReadPaymentRefunded}) {
    ReadOrPoison([&] { DecideInEveryStatus(read(event)); });
  }
}

}  // namespace microstore::fuzz
