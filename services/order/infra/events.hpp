#pragma once

#include <vector>

#include "order/domain/events.hpp"
#include "platform/messaging/envelope.hpp"

// The order service's events (domain/events.hpp) as outbox rows: type, aggregate ref and payload
// exactly as contracts/asyncapi.yaml describes them.
namespace microstore::order {

messaging::EventDraft ToDraft(const Event& event);
std::vector<messaging::EventDraft> ToDrafts(const std::vector<Event>& events);

}  // namespace microstore::order
