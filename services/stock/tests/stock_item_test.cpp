// Stock items: the level event, restocks and adjustments with their audit entries.
#include "stock/domain/stock_item.hpp"

#include <gtest/gtest.h>

namespace microstore::stock {
namespace {

using nlohmann::json;

const std::string kChair = "a0000000-0000-4000-8000-000000000001";

StockItem Chair(std::int64_t free, std::int64_t reserved = 0) {
  return {.product_id = kChair, .free = free, .reserved = reserved, .shipped = 1, .version = 4};
}

TEST(NewItem, StartsEmptyAtVersionOne) {
  const StockItem item = NewItem(kChair);
  EXPECT_EQ(item, (StockItem{kChair, 0, 0, 0, 1}));
  EXPECT_FALSE(item.InStock());
  EXPECT_EQ(item.Status(), "OUT_OF_STOCK");
}

TEST(LevelChanged, DescribesTheItemAfterTheChange) {
  const EventDraft event = LevelChanged(Chair(3, 2), Cause::kRestock);
  EXPECT_EQ(event.type, "StockLevelChanged");
  EXPECT_EQ(event.aggregate, (messaging::AggregateRef{"stock_item", kChair, 4, "IN_STOCK"}));
  EXPECT_EQ(event.payload, (json{{"product_id", kChair},
                                 {"free", 3},
                                 {"reserved", 2},
                                 {"shipped", 1},
                                 {"in_stock", true},
                                 {"version", 4},
                                 {"cause", "restock"}}));
  EXPECT_EQ(LevelChanged(NewItem(kChair), Cause::kProductCreated).payload["cause"], "product_created");
  EXPECT_EQ(LevelChanged(NewItem(kChair), Cause::kProductCreated).aggregate.status, "OUT_OF_STOCK");
}

TEST(Cause, HasTheContractsNames) {
  EXPECT_EQ(ToString(Cause::kProductCreated), "product_created");
  EXPECT_EQ(ToString(Cause::kRestock), "restock");
  EXPECT_EQ(ToString(Cause::kAdjustment), "adjustment");
  EXPECT_EQ(ToString(Cause::kReservation), "reservation");
  EXPECT_EQ(ToString(Cause::kRelease), "release");
}

TEST(MovementKind, RoundTripsItsNames) {
  for (auto kind : {MovementKind::kRestock, MovementKind::kAdjustment, MovementKind::kReservation,
                    MovementKind::kRelease}) {
    EXPECT_EQ(ParseMovementKind(ToString(kind)), kind);
  }
  EXPECT_EQ(ParseMovementKind("RESTOCK"), std::nullopt);
  EXPECT_EQ(ParseMovementKind(""), std::nullopt);
}

TEST(Restock, AddsToFreeOnlyAndAuditsWhoAndWhy) {
  const OperatorChange change = Restock(Chair(0, 2), 25, "delivery 17", "operator-7");
  EXPECT_EQ(change.item, (StockItem{kChair, 25, 2, 1, 5}));
  EXPECT_EQ(change.movement, (Movement{.product_id = kChair,
                                       .kind = MovementKind::kRestock,
                                       .delta = 25,
                                       .free_after = 25,
                                       .reserved_after = 2,
                                       .reason = "delivery 17",
                                       .order_id = std::nullopt,
                                       .actor = "operator-7"}));
  EXPECT_EQ(change.event, LevelChanged(change.item, Cause::kRestock));
  EXPECT_EQ(change.event.aggregate.status, "IN_STOCK");
}

TEST(Adjust, AddsOrRemovesFreeUnits) {
  const auto up = Adjust(Chair(5), 3, "found in the back", "operator-7");
  ASSERT_TRUE(std::holds_alternative<OperatorChange>(up));
  EXPECT_EQ(std::get<OperatorChange>(up).item.free, 8);
  EXPECT_EQ(std::get<OperatorChange>(up).movement.kind, MovementKind::kAdjustment);
  EXPECT_EQ(std::get<OperatorChange>(up).movement.delta, 3);
  EXPECT_EQ(std::get<OperatorChange>(up).event.payload["cause"], "adjustment");

  const auto down = Adjust(Chair(5, 2), -5, "water damage", "operator-7");
  ASSERT_TRUE(std::holds_alternative<OperatorChange>(down));
  const OperatorChange& change = std::get<OperatorChange>(down);
  EXPECT_EQ(change.item, (StockItem{kChair, 0, 2, 1, 5}));
  EXPECT_EQ(change.movement.delta, -5);
  EXPECT_EQ(change.movement.free_after, 0);
  EXPECT_EQ(change.movement.reason, "water damage");
  EXPECT_EQ(change.event.aggregate.status, "OUT_OF_STOCK");
}

TEST(Adjust, RefusesToTakeMoreThanIsFree) {
  // Reserved units belong to orders: they cannot be adjusted away.
  EXPECT_EQ(std::get<InsufficientFree>(Adjust(Chair(5, 10), -6, "lost", "operator-7")),
            (InsufficientFree{5, -6}));
  EXPECT_EQ(std::get<InsufficientFree>(Adjust(Chair(0), -1, "lost", "operator-7")),
            (InsufficientFree{0, -1}));
}

}  // namespace
}  // namespace microstore::stock
