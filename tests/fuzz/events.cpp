// Events from the broker: the envelope (messaging::ParseEnvelope), upcasting
// (messaging::Upcasters) and every service's consumed-event payload readers (events_*.cpp).
// An input is an envelope as it arrives, or "payload\n<type>\n<payload JSON>": that payload in
// a well-formed envelope of that type, so the fuzzer reaches the readers directly.
//   - ParseEnvelope never throws; an envelope it accepts obeys its documented checks, writes out
//     (ToJson) without throwing and reads back to itself;
//   - Upcast brings an event to the current version or leaves it untouched with an error whose
//     kind matches (newer version, missing step, failed upcaster);
//   - every payload reader answers with a value or its refusal (events.hpp).
#include <nlohmann/json.hpp>

#include <variant>

#include "platform/core/ids.hpp"
#include "events.hpp"
#include "platform/messaging/envelope.hpp"
#include "support.hpp"
#include "platform/wire/json_reader.hpp"

namespace {

namespace messaging = microstore::messaging;
using nlohmann::json;

// Upcasters of the shapes services register: a rename (v1 → v2, throws when the field is
// missing), a chain with a retired first version (current 4, steps 2 → 3 → 4), and a broken step
// that gives no object.
const messaging::Upcasters& Registry() {
  static const messaging::Upcasters upcasters = [] {
    messaging::Upcasters u;
    u.Register("OrderCreated", 1, [](json payload) {
      payload["items"] = payload.at("qty");
      payload.erase("qty");
      return payload;
    });
    u.SetCurrent("ProductUpdated", 4);
    u.Register("ProductUpdated", 2, [](json payload) {
      payload["v3"] = true;
      return payload;
    });
    u.Register("ProductUpdated", 3, [](json payload) {
      payload["v4"] = payload.value("v3", false);
      return payload;
    });
    u.Register("TokenRevoked", 1, [](json payload) { return json::array({payload}); });
    return u;
  }();
  return upcasters;
}

void CheckEnvelope(const messaging::Envelope& event) {
  FUZZ_CHECK(microstore::core::IsUuid(event.id), "an envelope id that is not a UUID");
  FUZZ_CHECK(!event.type.empty() && event.type.size() <= 200 && event.schema_version >= 1);
  FUZZ_CHECK(!event.producer.empty() && !event.node_id.empty() && !event.correlation_id.empty());
  FUZZ_CHECK(!event.aggregate.type.empty() && !event.aggregate.id.empty() && event.aggregate.version >= 0);
  FUZZ_CHECK(event.payload.is_object(), "a payload that is not an object");
  std::string text;
  try {
    text = messaging::ToJson(event);
  } catch (const std::exception& e) {
    microstore::fuzz::Fail("an accepted envelope does not write out", e.what());
  }
  auto again = messaging::ParseEnvelope(text);
  FUZZ_CHECK(std::holds_alternative<messaging::Envelope>(again),
             "an envelope written out is refused: " + std::get<messaging::EnvelopeError>(again).message);
  FUZZ_CHECK(std::get<messaging::Envelope>(again) == event, "an envelope reads back differently");
}

void CheckUpcast(const messaging::Envelope& event) {
  const messaging::Upcasters& upcasters = Registry();
  messaging::Envelope upcast = event;
  const int current = upcasters.Current(event.type);
  const auto error = upcasters.Upcast(upcast);
  if (!error) {
    FUZZ_CHECK(upcast.schema_version == current, "upcast to another version than the current one");
    FUZZ_CHECK(upcast.payload.is_object());
    if (event.schema_version == current) FUZZ_CHECK(upcast == event, "a current event was changed");
    return;
  }
  FUZZ_CHECK(upcast == event, "a failed upcast changed the event");
  FUZZ_CHECK(!error->message.empty() && microstore::fuzz::IsUtf8(error->message));
  FUZZ_CHECK((error->kind == messaging::UpcastError::Kind::kNewerVersion) == (event.schema_version > current),
             "a newer version is not told apart: " + error->message);
}

void ReadEverywhere(const messaging::Envelope& event) {
  microstore::fuzz::CatalogReadsEvent(event);
  microstore::fuzz::OrderReadsEvent(event);
  microstore::fuzz::StockReadsEvent(event);
  microstore::fuzz::PaymentReadsEvent(event);
  microstore::fuzz::GatewayReadsEvent(event);
}

std::string AggregateTypeOf(std::string_view type) {
  if (type == "TokenRevoked") return "token";
  if (type == "UserDisabled" || type == "UserEnabled" || type == "UserRegistered") return "user";
  return "order";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = microstore::fuzz::AsText(data, size);
  return microstore::fuzz::Guarded([&] {
    constexpr std::string_view kPayload = "payload\n";
    if (input.starts_with(kPayload)) {
      input.remove_prefix(kPayload.size());
      const auto newline = input.find('\n');
      if (newline == std::string_view::npos) return;
      const std::string type(input.substr(0, newline));
      // What ParseEnvelope lets through as a type: 1–200 of [A-Za-z0-9_.-].
      if (type.empty() || type.size() > 200 || type.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                                      "0123456789_.-") != std::string::npos) {
        return;
      }
      auto payload = microstore::wire::ReadJson(input.substr(newline + 1));
      if (!std::holds_alternative<json>(payload) || !std::get<json>(payload).is_object()) return;
      const auto event = messaging::MakeEvent(
          type, 1, {AggregateTypeOf(type), "4b1a0c3e-5d6f-4a7b-8c9d-0e1f2a3b4c5d", 3, "ACTIVE"},
          std::move(std::get<json>(payload)), {}, "fuzz", "fuzz-1", "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e",
          std::chrono::system_clock::time_point(std::chrono::seconds(1795428000)));
      ReadEverywhere(event);
      return;
    }
    constexpr std::string_view kEnvelope = "envelope\n";
    if (input.starts_with(kEnvelope)) input.remove_prefix(kEnvelope.size());
    auto parsed = messaging::ParseEnvelope(input);
    if (const auto* error = std::get_if<messaging::EnvelopeError>(&parsed)) {
      FUZZ_CHECK(!error->message.empty() && microstore::fuzz::IsUtf8(error->message),
                 "an envelope error that is empty or not UTF-8");
      return;
    }
    const auto& event = std::get<messaging::Envelope>(parsed);
    CheckEnvelope(event);
    CheckUpcast(event);
    ReadEverywhere(event);
  });
}
