#pragma once

#include "platform/messaging/envelope.hpp"

// The consumed-event payload readers of each service, called by the events harness (events.cpp)
// with every envelope it reads. Each is defined in events_<service>.cpp, compiled with that
// service's include path alone (the services' headers share names: domain/events.hpp, …).
// Each calls every reader of its service, as the service's handlers would, and checks that it
// answers with a value or the refusal the inbox expects (a message, or messaging::PoisonEvent),
// never another exception, and that what it accepts obeys the reader's documented rules.
namespace microstore::fuzz {

void CatalogReadsEvent(const messaging::Envelope& event);
void OrderReadsEvent(const messaging::Envelope& event);
void StockReadsEvent(const messaging::Envelope& event);
void PaymentReadsEvent(const messaging::Envelope& event);
void GatewayReadsEvent(const messaging::Envelope& event);

}  // namespace microstore::fuzz
