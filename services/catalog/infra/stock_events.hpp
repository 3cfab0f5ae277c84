#pragma once

#include <vector>

#include "platform/messaging/inbox.hpp"

// The events the catalogue consumes: stock's StockLevelChanged, which sets a product's in_stock
// when it is newer than what the product already shows.
namespace microstore::catalog {

std::vector<messaging::EventSubscription> StockSubscriptions();

}  // namespace microstore::catalog
