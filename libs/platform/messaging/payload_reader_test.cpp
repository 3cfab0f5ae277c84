#include "platform/messaging/payload_reader.hpp"

#include <gtest/gtest.h>

#include "platform/messaging/inbox.hpp"

namespace microstore::messaging {
namespace {

using nlohmann::json;

Envelope Event(json payload, std::int64_t version = 3) {
  Envelope event;
  event.type = "StockReserved";
  event.aggregate.version = version;
  event.payload = std::move(payload);
  return event;
}

std::string PoisonOf(const std::function<void()>& read) {
  try {
    read();
  } catch (const PoisonEvent& poison) {
    return poison.what();
  }
  return "(read)";
}

TEST(PayloadReader, ReadsTheFieldsAConsumerNeeds) {
  const Envelope event = Event({{"order_id", "0B6F1C8E-4F4A-4D2B-9C1E-2F3A4B5C6D7E"},
                                {"total_minor", 12990},
                                {"currency", "RUB"},
                                {"paid", true},
                                {"note", nullptr},
                                {"added_later", {1, 2}}});
  const PayloadReader payload(event);
  EXPECT_EQ(payload.Uuid("order_id"), "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e");
  EXPECT_EQ(payload.Integer("total_minor", 1), 12990);
  EXPECT_EQ(payload.Text("currency"), "RUB");
  EXPECT_TRUE(payload.Boolean("paid"));
  EXPECT_EQ(payload.Optional("note"), nullptr);
  EXPECT_EQ(payload.Optional("absent"), nullptr);
  EXPECT_EQ(payload.AggregateVersion(), 3);
}

TEST(PayloadReader, AnUnusableFieldIsPoisonNamingItButNotItsValue) {
  const Envelope event = Event({{"order_id", "secret-42"}, {"total_minor", -5}, {"currency", 7}, {"paid", "yes"},
                                {"huge", 1e300}});
  const PayloadReader payload(event);
  EXPECT_EQ(PoisonOf([&] { payload.Uuid("order_id"); }), "StockReserved payload field order_id is not a UUID");
  EXPECT_EQ(PoisonOf([&] { payload.Integer("total_minor"); }),
            "StockReserved payload field total_minor is not an integer from 0 to 9223372036854775807");
  EXPECT_EQ(PoisonOf([&] { payload.Integer("huge"); }).find("huge is not an integer"), 28u);
  EXPECT_EQ(PoisonOf([&] { payload.Text("currency"); }), "StockReserved payload field currency is not a string");
  EXPECT_EQ(PoisonOf([&] { payload.Boolean("paid"); }), "StockReserved payload field paid is not a boolean");
  EXPECT_EQ(PoisonOf([&] { payload.Text("missing"); }), "StockReserved payload has no missing");
  EXPECT_EQ(PoisonOf([] { PayloadReader(Event({{"order_id", "x"}}, 0)).AggregateVersion(); }),
            "StockReserved has aggregate version below 1");
  EXPECT_EQ(PoisonOf([] { PayloadReader reader(Event(json::array())); }), "StockReserved payload is not a JSON object");
}

}  // namespace
}  // namespace microstore::messaging
