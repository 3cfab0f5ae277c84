// stock reads catalog's ProductCreated, order's OrderCreated and OrderCancelled and payment's
// PaymentFailed (api/json.hpp): a value or messaging::PoisonEvent naming the field, never another
// exception; an order it reads is then decided against stock of 10 free units per product.
#include <algorithm>
#include <optional>
#include <variant>

#include "events.hpp"
#include "platform/core/ids.hpp"
#include "platform/messaging/inbox.hpp"
#include "stock/api/json.hpp"
#include "stock/domain/reservation_decision.hpp"
#include "support.hpp"

namespace microstore::fuzz {
namespace {

bool Canonical(const std::string& id) { return core::CanonicalUuid(id) == id; }

// What `read` answers, or nullopt when it refused the payload as the inbox expects.
template <typename Read>
auto Value(Read read) -> std::optional<decltype(read())> {
  try {
    return read();
  } catch (const messaging::PoisonEvent& poison) {
    const std::string_view message = poison.what();
    FUZZ_CHECK(!message.empty() && IsUtf8(message));
    return std::nullopt;
  }
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
  if (core::IfUnchanged(decision) != nullptr) return;
  for (const auto& item : core::ChangedOf(decision).next.items) {
    FUZZ_CHECK(item.free >= 0 && item.reserved >= 0, "stock went negative");
    FUZZ_CHECK(item.free + item.reserved == 10, "units appeared or vanished");
  }
}

}  // namespace

void StockReadsEvent(const messaging::Envelope& event) {
  if (const auto id = Value([&] { return stock::api::ReadProductCreated(event); })) FUZZ_CHECK(Canonical(*id));

  if (const auto order = Value([&] { return stock::api::ReadOrderCreated(event); })) {
    FUZZ_CHECK(Canonical(order->order_id) && !order->customer_id.empty() && !order->lines.empty());
    FUZZ_CHECK(order->total_minor >= 0 && order->currency.size() == 3 && order->order_version >= 1);
    for (std::size_t i = 0; i < order->lines.size(); ++i) {
      FUZZ_CHECK(Canonical(order->lines[i].product_id) && order->lines[i].quantity >= 1);
      for (std::size_t j = 0; j < i; ++j) {
        FUZZ_CHECK(order->lines[j].product_id != order->lines[i].product_id,
                   "lines of one product not summed");
      }
    }
    Decide(*order);
  }
  if (const auto order = Value([&] { return stock::api::ReadOrderCancelled(event); })) {
    FUZZ_CHECK(Canonical(order->order_id) && !order->customer_id.empty());
  }
  if (const auto payment = Value([&] { return stock::api::ReadPaymentFailed(event); })) {
    FUZZ_CHECK(Canonical(payment->order_id) && !payment->customer_id.empty());
  }
}

}  // namespace microstore::fuzz
