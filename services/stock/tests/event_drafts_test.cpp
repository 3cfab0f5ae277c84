// The outbox rows of the events stock decides (infra/events.hpp): type, aggregate and payload
// exactly as contracts/asyncapi.yaml says, for each decision that emits them.
#include <gtest/gtest.h>

#include "stock/domain/item_changes.hpp"
#include "stock/domain/reservation_decision.hpp"
#include "stock/infra/events.hpp"
#include "stock/tests/fixtures.hpp"

namespace microstore::stock {
namespace {

using messaging::AggregateRef;
using messaging::EventDraft;
using nlohmann::json;

using namespace fixtures;

Reservation Booked() {
  return {.order_id = kOrder,
          .customer_id = kCustomer,
          .status = ReservationStatus::kBooked,
          .version = 1,
          .order_version = 1,
          .lines = {{kChair, 2}, {kTable, 1}},
          .total_minor = 129900,
          .currency = "RUB",
          .reason = std::nullopt,
          .missing = {}};
}

// The outbox rows of what Decide emits.
std::vector<EventDraft> DraftsOf(const std::optional<Reservation>& current,
                                 const std::vector<StockItem>& items, const ReservationEvent& event) {
  const ReservationDecision decision = Decide(current, items, event);
  if (core::IfUnchanged(decision) != nullptr) return {};
  return ToDrafts(core::ChangedOf(decision).events);
}

TEST(ToDraft, StockReservedCarriesTheBookedLinesAndTheOrdersTotal) {
  const auto drafts =
      DraftsOf(std::nullopt, {Item(kChair, 10), Item(kTable, 3)}, Order({{kChair, 2}, {kTable, 1}}));
  ASSERT_EQ(drafts.size(), 1u);
  const EventDraft& reserved = drafts[0];
  EXPECT_EQ(reserved.type, "StockReserved");
  EXPECT_EQ(reserved.schema_version, 1);
  EXPECT_EQ(reserved.aggregate, (AggregateRef{"reservation", kOrder, 1, "BOOKED"}));
  EXPECT_EQ(
      reserved.payload,
      (json{{"order_id", kOrder},
            {"customer_id", kCustomer},
            {"order_version", 1},
            {"items", {{{"product_id", kChair}, {"quantity", 2}}, {{"product_id", kTable}, {"quantity", 1}}}},
            {"total_minor", 129900},
            {"currency", "RUB"}}));
}

TEST(ToDraft, BookingTheLastUnitsAnnouncesTheProductOutOfStock) {
  const auto drafts =
      DraftsOf(std::nullopt, {Item(kChair, 2), Item(kTable, 5)}, Order({{kChair, 2}, {kTable, 1}}));
  ASSERT_EQ(drafts.size(), 2u);
  EXPECT_EQ(drafts[0].type, "StockReserved");
  const EventDraft& level = drafts[1];
  EXPECT_EQ(level.type, "StockLevelChanged");
  EXPECT_EQ(level.aggregate, (AggregateRef{"stock_item", kChair, 6, "OUT_OF_STOCK"}));
  EXPECT_EQ(level.payload, (json{{"product_id", kChair},
                                 {"free", 0},
                                 {"reserved", 2},
                                 {"shipped", 0},
                                 {"in_stock", false},
                                 {"version", 6},
                                 {"cause", "reservation"}}));
}

TEST(ToDraft, StockReservationFailedListsEveryShortLine) {
  const auto drafts =
      DraftsOf(std::nullopt, {Item(kChair, 1), Item(kTable, 3)}, Order({{kChair, 2}, {kTable, 1}}));
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].type, "StockReservationFailed");
  EXPECT_EQ(drafts[0].aggregate, (AggregateRef{"reservation", kOrder, 1, "FAILED"}));
  EXPECT_EQ(drafts[0].payload,
            (json{{"order_id", kOrder},
                  {"customer_id", kCustomer},
                  {"order_version", 1},
                  {"reason", "out_of_stock"},
                  {"missing", {{{"product_id", kChair}, {"requested", 2}, {"available", 1}}}}}));

  const auto unknown_lamp = DraftsOf(std::nullopt, {Item(kChair, 0), Item(kTable, 1)},
                                     Order({{kChair, 2}, {kTable, 1}, {kLamp, 4}}));
  ASSERT_EQ(unknown_lamp.size(), 1u);
  EXPECT_EQ(unknown_lamp[0].payload["missing"],
            (json{{{"product_id", kChair}, {"requested", 2}, {"available", 0}},
                  {{"product_id", kLamp}, {"requested", 4}, {"available", 0}}}));
}

TEST(ToDraft, StockReleasedNamesTheReasonAndTheLinesGivenBack) {
  const auto drafts =
      DraftsOf(Booked(), {Item(kChair, 0, 2), Item(kTable, 4, 1)}, PaymentFailed{kOrder, kCustomer});
  ASSERT_EQ(drafts.size(), 2u);
  EXPECT_EQ(drafts[0].type, "StockReleased");
  EXPECT_EQ(drafts[0].aggregate, (AggregateRef{"reservation", kOrder, 2, "RELEASED"}));
  EXPECT_EQ(drafts[0].payload,
            (json{{"order_id", kOrder},
                  {"customer_id", kCustomer},
                  {"reason", "payment_failed"},
                  {"items",
                   {{{"product_id", kChair}, {"quantity", 2}}, {{"product_id", kTable}, {"quantity", 1}}}}}));
  EXPECT_EQ(drafts[1].type, "StockLevelChanged");
  EXPECT_EQ(drafts[1].aggregate, (AggregateRef{"stock_item", kChair, 6, "IN_STOCK"}));
  EXPECT_EQ(drafts[1].payload["cause"], "release");
  EXPECT_EQ(drafts[1].payload["in_stock"], true);

  const auto cancelled =
      DraftsOf(Booked(), {Item(kChair, 3, 2), Item(kTable, 4, 1)}, OrderCancelled{kOrder, kCustomer});
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].payload["reason"], "order_cancelled");
}

StockItem Chair(std::int64_t free, std::int64_t reserved = 0) {
  return {.product_id = kChair, .free = free, .reserved = reserved, .shipped = 1, .version = 4};
}

TEST(ToDraft, StockLevelChangedDescribesTheItemAfterTheChange) {
  const EventDraft event = ToDraft(StockLevelChanged{Chair(3, 2), Cause::kRestock});
  EXPECT_EQ(event.type, "StockLevelChanged");
  EXPECT_EQ(event.aggregate, (AggregateRef{"stock_item", kChair, 4, "IN_STOCK"}));
  EXPECT_EQ(event.payload, (json{{"product_id", kChair},
                                 {"free", 3},
                                 {"reserved", 2},
                                 {"shipped", 1},
                                 {"in_stock", true},
                                 {"version", 4},
                                 {"cause", "restock"}}));
  const auto opened = ToDrafts(OpenItem(kChair).events);
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].payload["cause"], "product_created");
  EXPECT_EQ(opened[0].aggregate.status, "OUT_OF_STOCK");
}

TEST(ToDraft, OperatorChangesAnnounceTheirLevel) {
  const auto restocked = ToDrafts(Restock(Chair(0, 2), 25, "delivery 17", "operator-7").events);
  ASSERT_EQ(restocked.size(), 1u);
  EXPECT_EQ(restocked[0].aggregate.status, "IN_STOCK");
  EXPECT_EQ(restocked[0].payload["cause"], "restock");

  const auto up = Adjust(Chair(5), 3, "found in the back", "operator-7");
  EXPECT_EQ(ToDraft(std::get<OperatorChange>(up).events.at(0)).payload["cause"], "adjustment");
  const auto down = Adjust(Chair(5, 2), -5, "water damage", "operator-7");
  EXPECT_EQ(ToDraft(std::get<OperatorChange>(down).events.at(0)).aggregate.status, "OUT_OF_STOCK");
}

}  // namespace
}  // namespace microstore::stock
