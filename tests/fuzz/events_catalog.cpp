// catalog reads stock's StockLevelChanged (domain/availability.hpp): a value or a message.
#include <variant>

#include "platform/core/ids.hpp"
#include "catalog/domain/availability.hpp"
#include "events.hpp"
#include "support.hpp"

namespace microstore::fuzz {

void CatalogReadsEvent(const messaging::Envelope& event) {
  const auto parsed = catalog::ParseStockLevelChanged(event);
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    FUZZ_CHECK(!error->empty() && IsUtf8(*error));
    return;
  }
  const auto& availability = std::get<catalog::Availability>(parsed);
  FUZZ_CHECK(core::IsUuid(availability.product_id) && availability.version >= 1);
  FUZZ_CHECK(availability.version == event.aggregate.version);
}

}  // namespace microstore::fuzz
