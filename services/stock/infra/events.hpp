#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "platform/messaging/envelope.hpp"
#include "stock/domain/events.hpp"
#include "stock/domain/reservation.hpp"

// The outbox rows of stock's events (domain/events.hpp): type, aggregate and payload exactly as
// contracts/asyncapi.yaml says; Outbox::Append gives them ids, the time and the context.
namespace microstore::stock {

messaging::EventDraft ToDraft(const Event& event);
std::vector<messaging::EventDraft> ToDrafts(const std::vector<Event>& events);

// [{product_id, quantity}] and [{product_id, requested, available}]: in the payloads and, in the
// same shape, in the reservations table's lines and missing columns.
nlohmann::json LinesJson(const std::vector<Line>& lines);
nlohmann::json MissingJson(const std::vector<MissingLine>& missing);

}  // namespace microstore::stock
