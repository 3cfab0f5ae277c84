#include "platform/messaging/envelope.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "platform/http/message.hpp"

namespace {

using microstore::messaging::AggregateRef;
using microstore::messaging::CausedBy;
using microstore::messaging::Envelope;
using microstore::messaging::EnvelopeError;
using microstore::messaging::EventContext;
using microstore::messaging::MakeEvent;
using microstore::messaging::ParseEnvelope;
using microstore::messaging::ToJson;
using microstore::messaging::UpcastError;
using microstore::messaging::Upcasters;
using Json = nlohmann::json;

constexpr const char* kId = "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e";

std::chrono::system_clock::time_point At(std::int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

Envelope Sample() {
  return MakeEvent("OrderCreated", 2, AggregateRef{"order", "42", 3, "PENDING"},
                   Json{{"total", 1999}, {"items", Json::array({Json{{"sku", "A-1"}, {"qty", 2}}})}},
                   EventContext{"corr-1", "req-9", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
                   "order", "order-node-1", kId, At(1'795'428'000'123));
}

Json SampleJson() { return Json::parse(ToJson(Sample())); }

std::string ErrorOf(const std::string& text) {
  auto parsed = ParseEnvelope(text);
  if (const auto* error = std::get_if<EnvelopeError>(&parsed)) return error->message;
  ADD_FAILURE() << "parsed although it should not: " << text;
  return "";
}

std::string ErrorOf(const Json& json) { return ErrorOf(json.dump()); }

TEST(Envelope, RoundTrip) {
  const Envelope event = Sample();
  EXPECT_EQ(event.occurred_at, "2026-11-23T10:00:00.123Z");
  const auto parsed = ParseEnvelope(ToJson(event));
  ASSERT_TRUE(std::holds_alternative<Envelope>(parsed)) << std::get<EnvelopeError>(parsed).message;
  EXPECT_EQ(std::get<Envelope>(parsed), event);
}

TEST(Envelope, WireFieldNames) {
  const Json json = SampleJson();
  EXPECT_EQ(json["id"], kId);
  EXPECT_EQ(json["type"], "OrderCreated");
  EXPECT_EQ(json["schema_version"], 2);
  EXPECT_EQ(json["occurred_at"], "2026-11-23T10:00:00.123Z");
  EXPECT_EQ(json["producer"], "order");
  EXPECT_EQ(json["node_id"], "order-node-1");
  EXPECT_EQ(json["aggregate"],
            (Json{{"type", "order"}, {"id", "42"}, {"version", 3}, {"status", "PENDING"}}));
  EXPECT_EQ(json["correlation_id"], "corr-1");
  EXPECT_EQ(json["causation_id"], "req-9");
  EXPECT_EQ(json["payload"]["total"], 1999);
}

TEST(Envelope, MakeEventStartsAFlowWithoutCorrelationAndCausedByCarriesIt) {
  const Envelope first = MakeEvent("CustomerRegistered", 1, {"customer", "7", 1, "ACTIVE"}, Json(), {},
                                   "identity", "n1", kId, At(0));
  EXPECT_EQ(first.correlation_id, kId);
  EXPECT_EQ(first.causation_id, "");
  EXPECT_EQ(first.payload, Json::object());
  EXPECT_EQ(first.occurred_at, "1970-01-01T00:00:00.000Z");

  const EventContext next = CausedBy(Sample());
  EXPECT_EQ(next.correlation_id, "corr-1");
  EXPECT_EQ(next.causation_id, kId);
  EXPECT_EQ(next.traceparent, Sample().traceparent);
}

TEST(Envelope, EventsOfARequestFollowItsCorrelationAndNameItAsCause) {
  microstore::http::Request request;
  request.correlation_id = "corr-7";
  request.request_id = "req-9";
  const EventContext context = CausedBy(request);
  EXPECT_EQ(context.correlation_id, "corr-7");
  EXPECT_EQ(context.causation_id, "req-9");
  EXPECT_EQ(context.traceparent, "");
}

TEST(Envelope, OptionalFieldsMayBeAbsentAndUnknownOnesAreIgnored) {
  Json json = SampleJson();
  json.erase("causation_id");
  json.erase("traceparent");
  json["added_in_a_later_release"] = true;
  const auto parsed = ParseEnvelope(json.dump());
  ASSERT_TRUE(std::holds_alternative<Envelope>(parsed)) << std::get<EnvelopeError>(parsed).message;
  EXPECT_EQ(std::get<Envelope>(parsed).causation_id, "");
}

TEST(Envelope, AcceptsTimestampsOfOtherPrecisions) {
  for (const char* time :
       {"2026-11-23T10:00:00Z", "2026-11-23T10:00:00.1Z", "2024-02-29T23:59:59.123456789Z"}) {
    Json json = SampleJson();
    json["occurred_at"] = time;
    EXPECT_TRUE(std::holds_alternative<Envelope>(ParseEnvelope(json.dump()))) << time;
  }
}

TEST(Envelope, RejectsWhatIsNotAnEnvelope) {
  EXPECT_NE(ErrorOf(std::string("")).find("not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string("{\"id\": ")).find("not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string("\xff\xfe")).find("not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string("[1,2]")).find("not a JSON object"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string("\"text\"")).find("not a JSON object"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string(100'000, '[')).find("not valid JSON"), std::string::npos);
}

// What a lenient parser would take and quietly change: which of two ids, or a number that is
// no number. Such an envelope is poison (the reader is wire::ReadJson).
TEST(Envelope, RejectsRepeatedNamesAndNumbersOutOfRange) {
  std::string repeated = ToJson(Sample());
  repeated.insert(1, R"("type":"Forged",)");
  EXPECT_EQ(ErrorOf(repeated), "the body is not valid JSON: type is given more than once");
  std::string huge = ToJson(Sample());
  huge.insert(huge.rfind('}'), R"(,"extra":1e400)");
  EXPECT_NE(ErrorOf(huge).find("extra is a number out of range"), std::string::npos) << ErrorOf(huge);
}

struct BadField {
  const char* pointer;  // JSON pointer of the field changed
  Json value;           // null with `remove` = removed
  bool remove;
  const char* expected;  // part of the error message
};

TEST(Envelope, RejectsEveryMalformedField) {
  const std::vector<BadField> cases = {
      {"/id", nullptr, true, "\"id\" is missing"},
      {"/id", 42, false, "\"id\" must be a string"},
      {"/id", "", false, "\"id\" must not be empty"},
      {"/id", "not-a-uuid", false, "\"id\" is not a UUID"},
      {"/id", "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7", false, "\"id\" is not a UUID"},
      {"/id", "0b6f1c8e04f4a-4d2b-9c1e-2f3a4b5c6d7e", false, "\"id\" is not a UUID"},
      {"/id", "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7g", false, "\"id\" is not a UUID"},
      {"/type", nullptr, true, "\"type\" is missing"},
      {"/type", "", false, "\"type\" must not be empty"},
      {"/type", "Order Created", false, "\"type\" must be"},
      {"/type", std::string(201, 'a'), false, "\"type\" must be"},
      {"/type", Json::array(), false, "\"type\" must be a string"},
      {"/schema_version", nullptr, true, "\"schema_version\" is missing"},
      {"/schema_version", 0, false, "\"schema_version\" is out of range"},
      {"/schema_version", -1, false, "\"schema_version\" is out of range"},
      {"/schema_version", 4294967296LL, false, "\"schema_version\" is out of range"},
      {"/schema_version", 1.5, false, "\"schema_version\" must be an integer"},
      {"/schema_version", 2.0, false, "\"schema_version\" must be an integer"},
      {"/schema_version", "2", false, "\"schema_version\" must be an integer"},
      {"/occurred_at", nullptr, true, "\"occurred_at\" is missing"},
      {"/occurred_at", "2026-11-23 10:00:00Z", false, "\"occurred_at\" is not an RFC 3339"},
      {"/occurred_at", "2026-11-23T10:00:00.123+01:00", false, "\"occurred_at\" is not an RFC 3339"},
      {"/occurred_at", "2026-11-23T10:00:00.Z", false, "\"occurred_at\" is not an RFC 3339"},
      {"/occurred_at", "2026-11-23T10:00:00.1234567890Z", false, "\"occurred_at\" is not an RFC 3339"},
      {"/occurred_at", "2026-13-01T10:00:00Z", false, "\"occurred_at\" is not an RFC 3339"},
      {"/occurred_at", "2025-02-29T10:00:00Z", false, "\"occurred_at\" is not an RFC 3339"},
      {"/occurred_at", "2026-11-23T24:00:00Z", false, "\"occurred_at\" is not an RFC 3339"},
      {"/occurred_at", "2026-11-23T10:00:00", false, "\"occurred_at\" is not an RFC 3339"},
      {"/occurred_at", 1795428000, false, "\"occurred_at\" must be a string"},
      {"/producer", nullptr, true, "\"producer\" is missing"},
      {"/producer", "", false, "\"producer\" must not be empty"},
      {"/node_id", nullptr, true, "\"node_id\" is missing"},
      {"/node_id", false, false, "\"node_id\" must be a string"},
      {"/aggregate", nullptr, true, "\"aggregate\" is missing"},
      {"/aggregate", "order/42", false, "\"aggregate\" must be an object"},
      {"/aggregate/type", nullptr, true, "\"aggregate.type\" is missing"},
      {"/aggregate/id", "", false, "\"aggregate.id\" must not be empty"},
      {"/aggregate/id", 42, false, "\"aggregate.id\" must be a string"},
      {"/aggregate/version", nullptr, true, "\"aggregate.version\" is missing"},
      {"/aggregate/version", -1, false, "\"aggregate.version\" is out of range"},
      {"/aggregate/version", 18446744073709551615ULL, false, "\"aggregate.version\" is out of range"},
      {"/aggregate/version", "3", false, "\"aggregate.version\" must be an integer"},
      {"/aggregate/status", nullptr, true, "\"aggregate.status\" is missing"},
      {"/aggregate/status", Json(), false, "\"aggregate.status\" must be a string"},
      {"/correlation_id", nullptr, true, "\"correlation_id\" is missing"},
      {"/correlation_id", "", false, "\"correlation_id\" must not be empty"},
      {"/causation_id", 7, false, "\"causation_id\" must be a string"},
      {"/traceparent", Json::object(), false, "\"traceparent\" must be a string"},
      {"/payload", nullptr, true, "\"payload\" is missing"},
      {"/payload", Json::array(), false, "\"payload\" must be an object"},
      {"/payload", "{}", false, "\"payload\" must be an object"},
  };
  for (const auto& bad : cases) {
    Json json = SampleJson();
    const Json::json_pointer pointer(bad.pointer);
    if (bad.remove) {
      json[pointer.parent_pointer()].erase(pointer.back());
    } else {
      json[pointer] = bad.value;
    }
    const std::string error = ErrorOf(json);
    EXPECT_NE(error.find(bad.expected), std::string::npos)
        << bad.pointer << " = " << bad.value.dump() << ": got \"" << error << "\"";
  }
}

// OrderCreated: v1 {"amount": 1999} → v2 {"total": 1999} → v3 {"total": {"amount": 1999, "currency": "EUR"}}
Upcasters OrderUpcasters() {
  Upcasters upcasters;
  upcasters.Register("OrderCreated", 2, [](Json payload) {
    payload["total"] = Json{{"amount", payload.at("total")}, {"currency", "EUR"}};
    return payload;
  });
  upcasters.Register("OrderCreated", 1, [](Json payload) {
    payload["total"] = payload.at("amount");
    payload.erase("amount");
    return payload;
  });
  return upcasters;
}

Envelope OrderCreated(int version, Json payload) {
  Envelope event = Sample();
  event.schema_version = version;
  event.payload = std::move(payload);
  return event;
}

TEST(Upcasters, ChainsAnOldEventToTheCurrentVersion) {
  const Upcasters upcasters = OrderUpcasters();
  EXPECT_EQ(upcasters.Current("OrderCreated"), 3);
  EXPECT_EQ(upcasters.Current("SomethingElse"), 1);

  Envelope v1 = OrderCreated(1, {{"amount", 1999}, {"kept", true}});
  EXPECT_FALSE(upcasters.Upcast(v1).has_value());
  EXPECT_EQ(v1.schema_version, 3);
  EXPECT_EQ(v1.payload, (Json{{"total", {{"amount", 1999}, {"currency", "EUR"}}}, {"kept", true}}));

  Envelope v2 = OrderCreated(2, {{"total", 5}});
  EXPECT_FALSE(upcasters.Upcast(v2).has_value());
  EXPECT_EQ(v2.payload, (Json{{"total", {{"amount", 5}, {"currency", "EUR"}}}}));

  Envelope v3 = OrderCreated(3, {{"total", {{"amount", 7}, {"currency", "USD"}}}});
  const Envelope before = v3;
  EXPECT_FALSE(upcasters.Upcast(v3).has_value());
  EXPECT_EQ(v3, before);
}

TEST(Upcasters, RefusesANewerVersion) {
  const Upcasters upcasters = OrderUpcasters();
  Envelope v4 = OrderCreated(4, {{"whatever", 1}});
  const Envelope before = v4;
  const auto error = upcasters.Upcast(v4);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, UpcastError::Kind::kNewerVersion);
  EXPECT_NE(error->message.find("newer"), std::string::npos) << error->message;
  EXPECT_EQ(v4, before);

  Envelope unknown_type_v2 = v4;
  unknown_type_v2.type = "Unregistered";
  unknown_type_v2.schema_version = 2;
  EXPECT_EQ(upcasters.Upcast(unknown_type_v2)->kind, UpcastError::Kind::kNewerVersion);
}

TEST(Upcasters, RefusesAGapInTheChain) {
  Upcasters upcasters;
  upcasters.Register("PaymentCaptured", 2, [](Json payload) { return payload; });
  EXPECT_EQ(upcasters.Current("PaymentCaptured"), 3);
  Envelope v1 = OrderCreated(1, {{"a", 1}});
  v1.type = "PaymentCaptured";
  const auto error = upcasters.Upcast(v1);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, UpcastError::Kind::kMissingStep);
  EXPECT_NE(error->message.find("from version 1 to 2"), std::string::npos) << error->message;
  EXPECT_EQ(v1.schema_version, 1);
}

TEST(Upcasters, RetiredVersionsNeedAnExplicitCurrentVersion) {
  Upcasters upcasters;
  upcasters.SetCurrent("StockReserved", 2);
  EXPECT_EQ(upcasters.Current("StockReserved"), 2);
  Envelope v1 = OrderCreated(1, {{"a", 1}});
  v1.type = "StockReserved";
  EXPECT_EQ(upcasters.Upcast(v1)->kind, UpcastError::Kind::kMissingStep);
  Envelope v2 = v1;
  v2.schema_version = 2;
  EXPECT_FALSE(upcasters.Upcast(v2).has_value());
}

TEST(Upcasters, AFailingUpcasterIsAnErrorAndLeavesTheEventAlone) {
  const Upcasters upcasters = OrderUpcasters();
  Envelope broken = OrderCreated(1, {{"no_amount", true}});
  const Envelope before = broken;
  const auto error = upcasters.Upcast(broken);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, UpcastError::Kind::kUpcasterFailed);
  EXPECT_EQ(broken, before);

  Upcasters not_an_object;
  not_an_object.Register("X", 1, [](Json) { return Json::array(); });
  Envelope x = OrderCreated(1, {});
  x.type = "X";
  EXPECT_EQ(not_an_object.Upcast(x)->kind, UpcastError::Kind::kUpcasterFailed);
}

TEST(Upcasters, RegistrationMistakesAreLogicErrors) {
  Upcasters upcasters;
  upcasters.Register("A", 1, [](Json p) { return p; });
  EXPECT_THROW(upcasters.Register("A", 1, [](Json p) { return p; }), std::logic_error);
  EXPECT_THROW(upcasters.Register("A", 0, [](Json p) { return p; }), std::logic_error);
  EXPECT_THROW(upcasters.SetCurrent("A", 1), std::logic_error);
  upcasters.SetCurrent("A", 3);
  EXPECT_THROW(upcasters.Register("A", 3, [](Json p) { return p; }), std::logic_error);
}

}  // namespace
