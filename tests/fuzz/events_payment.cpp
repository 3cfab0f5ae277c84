// payment reads identity's UserRegistered, stock's StockReserved and order's OrderCancelled
// (domain/events.hpp): a value or a PayloadError, never an exception.
#include <variant>

#include "platform/core/ids.hpp"
#include "payment/domain/events.hpp"
#include "events.hpp"
#include "support.hpp"

namespace microstore::fuzz {
namespace {

bool Canonical(const std::string& id) { return core::CanonicalUuid(id) == id; }

template <typename T>
const T* Value(const std::variant<T, payment::PayloadError>& parsed) {
  if (const auto* error = std::get_if<payment::PayloadError>(&parsed)) {
    FUZZ_CHECK(!error->message.empty() && IsUtf8(error->message));
    return nullptr;
  }
  return &std::get<T>(parsed);
}

}  // namespace

void PaymentReadsEvent(const messaging::Envelope& event) {
  const auto registered = payment::ParseUserRegistered(event.payload);
  if (const auto* registration = Value(registered)) FUZZ_CHECK(Canonical(registration->user_id));
  const auto reserved = payment::ParseStockReserved(event.payload);
  if (const auto* charge = Value(reserved)) {
    FUZZ_CHECK(Canonical(charge->order_id) && charge->order_version >= 1);
    FUZZ_CHECK(charge->amount_minor >= 0 && charge->amount_minor <= payment::kMaxOrderTotalMinor);
  }
  const auto cancelled = payment::ParseOrderCancelled(event.payload);
  if (const auto* cancellation = Value(cancelled)) {
    FUZZ_CHECK(Canonical(cancellation->order_id));
    FUZZ_CHECK(cancellation->total_minor >= 0 && cancellation->total_minor <= payment::kMaxOrderTotalMinor);
  }
}

}  // namespace microstore::fuzz
