#include "catalog/domain/availability.hpp"

namespace microstore::catalog {

core::Decision<Availability, Event> DecideAvailability(std::optional<std::int64_t> shown,
                                                       const Availability& reported) {
  // Stock learns of products from our own ProductCreated, so the product exists but for a
  // foreign or forged event.
  if (!shown) return core::Ignored("stock level of an unknown product dropped");
  // Older than what the product shows, or a duplicate the inbox did not see.
  if (*shown >= reported.version) return core::Stale("stale stock level dropped");
  return core::Changed<Availability, Event>{reported, {}};
}

}  // namespace microstore::catalog
