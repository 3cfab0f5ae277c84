#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace microstore::http {
struct Request;
}  // namespace microstore::http

// The event envelope: what every event on the broker looks like, whoever produced it.
//
//   {"id":"9b2f…","type":"OrderCreated","schema_version":2,"occurred_at":"2026-11-23T10:00:00.123Z",
//    "producer":"order","node_id":"order-7f9c","aggregate":{"type":"order","id":"42","version":3,
//    "status":"PENDING"},"correlation_id":"…","causation_id":"…","traceparent":"00-…","payload":{…}}
//
// `id` is unique per event (consumers de-duplicate on it); `schema_version` is the version of the
// payload's shape for this `type` (consumers upcast older ones, see Upcasters); `aggregate` says
// which aggregate changed and its version and status after the change, so a consumer can tell a
// stale event (R4). Producers build envelopes with MakeEvent or, from EventDraft, AppendDrafts
// (outbox.hpp); consumers read them with ParseEnvelope. Unknown top-level fields are ignored, so
// fields can be added compatibly.
namespace microstore::messaging {

struct AggregateRef {
  std::string type;          // "order", "payment", …
  std::string id;            // the aggregate's id as text
  std::int64_t version = 0;  // the aggregate's version after the change (≥ 0)
  std::string status;        // its status after the change (may be empty for aggregates without one)

  bool operator==(const AggregateRef&) const = default;
};

struct Envelope {
  std::string id;  // UUID text, e.g. from core::NewUuid()
  std::string type;
  int schema_version = 1;
  std::string occurred_at;  // RFC 3339 UTC, millisecond precision: 2026-11-23T10:00:00.123Z
  std::string producer;     // the producing service: its exchange is amqp::ExchangeOf(producer)
  std::string node_id;      // the producing process instance
  AggregateRef aggregate;
  std::string correlation_id;  // the request/flow this event belongs to; follows every event it causes
  std::string causation_id;    // the id of the event or request that directly caused this one ("" none)
  std::string traceparent;     // W3C trace context ("" none)
  nlohmann::json payload = nlohmann::json::object();  // always a JSON object

  bool operator==(const Envelope&) const = default;
};

// Where the event comes from, carried over from the request or event being handled.
struct EventContext {
  std::string correlation_id;  // "" starts a new flow: the event's own id is used
  std::string causation_id;
  std::string traceparent;
};

// Why a text is not a usable envelope: a poison message, never retried.
struct EnvelopeError {
  std::string message;  // names the field and what is wrong with it (never echoes the payload)
};

// The envelope as compact JSON. Throws nlohmann::json::type_error when a string (the payload
// included) is not valid UTF-8: a producer bug, caught before the event is stored.
std::string ToJson(const Envelope& event);

// The envelope `text` holds, or why it holds none. Never throws on any input. Checks: valid JSON
// object; `id` a UUID; `type` 1–200 of [A-Za-z0-9_.-]; `schema_version` an integer ≥ 1;
// `occurred_at` RFC 3339 UTC ("Z", fraction of 1–9 digits optional); `producer`, `node_id` and
// `correlation_id` non-empty strings; `aggregate` an object with non-empty `type` and `id`, an
// integer `version` ≥ 0 and a string `status`; `causation_id` and `traceparent` strings when
// present; `payload` an object.
std::variant<Envelope, EnvelopeError> ParseEnvelope(std::string_view text);


// Builds an envelope. Pure: the caller passes the id (core::NewUuid()) and the clock. An empty
// context.correlation_id makes the event start its own flow (correlation id = event id).
Envelope MakeEvent(std::string type, int schema_version, AggregateRef aggregate, nlohmann::json payload,
                   EventContext context, std::string producer, std::string node_id, std::string id,
                   std::chrono::system_clock::time_point now);

// The context for events caused by `cause`: same correlation and trace, causation = cause's id.
EventContext CausedBy(const Envelope& cause);
// The context for events caused by a request: its correlation id, causation = its request id.
EventContext CausedBy(const http::Request& cause);

// An event's outbox row before it has an id, a time, a producer and a context: a service's
// infra/events.cpp maps its domain's typed events to drafts, and Outbox::Append (outbox.hpp)
// turns them into envelopes.
struct EventDraft {
  std::string type{};
  AggregateRef aggregate{};
  nlohmann::json payload{};
  int schema_version = 1;

  bool operator==(const EventDraft&) const = default;
};

// The drafts of `events`, in order, each made by `to_draft` (a service's ToDraft).
template <typename Event, typename ToDraft>
std::vector<EventDraft> DraftsOf(const std::vector<Event>& events, ToDraft to_draft) {
  std::vector<EventDraft> drafts;
  drafts.reserve(events.size());
  for (const Event& event : events) drafts.push_back(to_draft(event));
  return drafts;
}

// Why an event cannot be brought to the version this consumer understands.
struct UpcastError {
  enum class Kind {
    kNewerVersion,    // produced by a newer release than this consumer knows: never guessed
    kMissingStep,     // no upcaster from some version on the way (a gap, or a retired version)
    kUpcasterFailed,  // an upcaster threw or returned something other than an object
  };
  Kind kind;
  std::string message;
};

// Upcasting: consumers register, per event type, functions that turn the payload of version v
// into version v + 1, and Upcast chains them to bring an old event to the current version.
// Producers and consumers can then be deployed independently as long as consumers are upgraded
// first (R6): a consumer refuses events newer than it knows.
//
// Register everything at start-up, then only read (Upcast is const and thread-compatible).
class Upcasters {
 public:
  using Upcaster = std::function<nlohmann::json(nlohmann::json payload)>;

  // Registers the step from `from_version` to `from_version + 1` of `type`. Throws
  // std::logic_error when from_version < 1, the step is already registered, or the step would go
  // past a version set with SetCurrent.
  void Register(std::string type, int from_version, Upcaster upcaster);
  // Declares the current version of `type` explicitly: needed when older versions are retired
  // (no upcasters from them) or when a type starts above 1. Throws std::logic_error when lower than
  // a registered step's target or < 1.
  void SetCurrent(std::string type, int version);

  // The version handlers of `type` expect: SetCurrent's value, else one above the highest
  // registered step, else 1.
  int Current(const std::string& type) const;

  // Brings `event` to Current(event.type): applies each step from its schema_version up and sets
  // schema_version. An event already current is untouched. On error the event is left unchanged.
  std::optional<UpcastError> Upcast(Envelope& event) const;

 private:
  struct Type {
    int current = 0;  // 0: not set explicitly
    std::map<int, Upcaster> steps;
  };
  std::map<std::string, Type, std::less<>> types_;
};

}  // namespace microstore::messaging
