// payment reads identity's UserRegistered, stock's StockReserved and order's OrderCancelled
// (api/json.hpp): a value or messaging::PoisonEvent, nothing else.
#include "events.hpp"
#include "payment/api/json.hpp"
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

}  // namespace

void PaymentReadsEvent(const messaging::Envelope& event) {
  ReadOrPoison([&] { FUZZ_CHECK(Canonical(payment::api::ReadUserRegistered(event).user_id)); });
  ReadOrPoison([&] {
    const payment::ChargeRequest charge = payment::api::ReadStockReserved(event);
    FUZZ_CHECK(Canonical(charge.order_id) && charge.order_version >= 1);
    FUZZ_CHECK(charge.amount_minor >= 0 && charge.amount_minor <= payment::kMaxOrderTotalMinor);
  });
  ReadOrPoison([&] {
    const payment::Cancellation cancellation = payment::api::ReadOrderCancelled(event);
    FUZZ_CHECK(Canonical(cancellation.order_id));
    FUZZ_CHECK(cancellation.total_minor >= 0 && cancellation.total_minor <= payment::kMaxOrderTotalMinor);
  });
}

}  // namespace microstore::fuzz
