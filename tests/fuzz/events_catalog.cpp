// catalog reads stock's StockLevelChanged (api/json.hpp): a value or messaging::PoisonEvent,
// nothing else; what it reads is then decided against a product showing each stock version.
#include <variant>

#include "catalog/api/json.hpp"
#include "catalog/domain/availability.hpp"
#include "events.hpp"
#include "platform/core/ids.hpp"
#include "platform/messaging/inbox.hpp"
#include "support.hpp"

namespace microstore::fuzz {

void CatalogReadsEvent(const messaging::Envelope& event) {
  catalog::Availability availability;
  try {
    availability = catalog::api::ReadStockLevelChanged(event);
  } catch (const messaging::PoisonEvent& e) {
    FUZZ_CHECK(std::string_view(e.what()).size() > 0 && IsUtf8(e.what()));
    return;
  }
  FUZZ_CHECK(core::CanonicalUuid(availability.product_id) == availability.product_id && availability.version >= 1);
  FUZZ_CHECK(availability.version == event.aggregate.version);
  for (const std::int64_t shown : {std::int64_t{0}, availability.version - 1, availability.version}) {
    const auto decision = catalog::DecideAvailability(shown, availability);
    FUZZ_CHECK((core::IfUnchanged(decision) == nullptr) == (shown < availability.version),
               "a stock level applied out of version order");
  }
}

}  // namespace microstore::fuzz
