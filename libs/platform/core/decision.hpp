#pragma once

#include <string>
#include <variant>
#include <vector>

// The one shape of every state machine's answer (docs/architecture.md, "One shape"): a domain
// function decides what a command or an event does to an aggregate and answers either
//   Changed   — the aggregate's next state and the events that change emits (maybe none: a
//               compensation recorded), which the app layer saves and appends in one transaction;
//   Unchanged — nothing to save and nothing to emit, and why, for the log.
// So every app/ function reads the same few lines:
//
//   auto decision = order::Decide(current, input);
//   if (const auto* unchanged = core::IfUnchanged(decision)) { log it; commit; return; }
//   auto& changed = core::ChangedOf(decision);
//   save changed.next; outbox.Append(changed.events); commit.
namespace microstore::core {

template <typename State, typename Event>
struct Changed {
  State next;
  std::vector<Event> events;

  bool operator==(const Changed&) const = default;
};

struct Unchanged {
  enum class Kind {
    kIgnored,        // nothing to do and nothing wrong: a repeat, a cancel of what is cancelled
    kStale,          // older than what the aggregate already knows (R4): dropped
    kContradiction,  // contradicts the aggregate's state rather than lagging behind it: worth a warning
  };
  Kind kind = Kind::kIgnored;
  std::string why;

  bool operator==(const Unchanged&) const = default;
};

template <typename State, typename Event>
using Decision = std::variant<Changed<State, Event>, Unchanged>;

template <typename State, typename Event>
const Unchanged* IfUnchanged(const Decision<State, Event>& decision) {
  return std::get_if<Unchanged>(&decision);
}

template <typename State, typename Event>
Changed<State, Event>& ChangedOf(Decision<State, Event>& decision) {
  return std::get<Changed<State, Event>>(decision);
}

template <typename State, typename Event>
const Changed<State, Event>& ChangedOf(const Decision<State, Event>& decision) {
  return std::get<Changed<State, Event>>(decision);
}

inline Unchanged Ignored(std::string why) { return {Unchanged::Kind::kIgnored, std::move(why)}; }
inline Unchanged Stale(std::string why) { return {Unchanged::Kind::kStale, std::move(why)}; }
inline Unchanged Contradiction(std::string why) { return {Unchanged::Kind::kContradiction, std::move(why)}; }

}  // namespace microstore::core
