// stock reads catalog's ProductCreated, order's OrderCreated and OrderCancelled and payment's
// PaymentFailed (domain/incoming.hpp): a value or a PayloadError, never an exception; an order it
// reads is then decided against stock of 10 free units per product.
#include <algorithm>
#include <variant>

#include "platform/core/ids.hpp"
#include "stock/domain/incoming.hpp"
#include "stock/domain/reservation.hpp"
#include "events.hpp"
#include "support.hpp"

namespace microstore::fuzz {
namespace {

bool Canonical(const std::string& id) { return core::CanonicalUuid(id) == id; }

template <typename T>
const T* Value(const std::variant<T, stock::PayloadError>& parsed) {
  if (const auto* error = std::get_if<stock::PayloadError>(&parsed)) {
    FUZZ_CHECK(!error->message.empty() && IsUtf8(error->message));
    return nullptr;
  }
  return &std::get<T>(parsed);
}

void Decide(const stock::ReservationEvent& input) {
  std::vector<stock::StockItem> items;
  for (const auto& product_id : stock::ProductsToLock(std::nullopt, input)) {
    stock::StockItem item;
    item.product_id = product_id;
    item.free = 10;
    item.version = 1;
    items.push_back(item);
  }
  const stock::ReservationDecision decision = stock::Decide(std::nullopt, items, input);
  for (const auto& item : decision.items) {
    FUZZ_CHECK(item.free >= 0 && item.reserved >= 0, "stock went negative");
    FUZZ_CHECK(item.free + item.reserved == 10, "units appeared or vanished");
  }
}

}  // namespace

void StockReadsEvent(const messaging::Envelope& event) {
  const auto product = stock::ParseProductCreated(event.payload);
  if (const auto* id = Value(product)) FUZZ_CHECK(Canonical(*id));

  const auto created = stock::ParseOrderCreated(event.payload, event.aggregate.version);
  if (const auto* order = Value(created)) {
    FUZZ_CHECK(Canonical(order->order_id) && !order->customer_id.empty() && !order->lines.empty());
    FUZZ_CHECK(order->total_minor >= 0 && order->currency.size() == 3);
    for (std::size_t i = 0; i < order->lines.size(); ++i) {
      FUZZ_CHECK(Canonical(order->lines[i].product_id) && order->lines[i].quantity >= 1);
      for (std::size_t j = 0; j < i; ++j) {
        FUZZ_CHECK(order->lines[j].product_id != order->lines[i].product_id, "lines of one product not summed");
      }
    }
    Decide(*order);
  }
  const auto cancelled = stock::ParseOrderCancelled(event.payload);
  if (const auto* order = Value(cancelled)) FUZZ_CHECK(Canonical(order->order_id) && !order->customer_id.empty());
  const auto failed = stock::ParsePaymentFailed(event.payload);
  if (const auto* payment = Value(failed)) FUZZ_CHECK(Canonical(payment->order_id) && !payment->customer_id.empty());
}

}  // namespace microstore::fuzz
