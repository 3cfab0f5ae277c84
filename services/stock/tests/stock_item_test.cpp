// Stock items: opening, restocks and adjustments with their audit entries and level events.
#include "stock/domain/stock_item.hpp"

#include <gtest/gtest.h>

#include "stock/domain/item_changes.hpp"

namespace microstore::stock {
namespace {

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

TEST(OpenItem, AnnouncesTheNewItem) {
  const auto opened = OpenItem(kChair);
  EXPECT_EQ(opened.next, NewItem(kChair));
  EXPECT_EQ(opened.events, (std::vector<Event>{StockLevelChanged{NewItem(kChair), Cause::kProductCreated}}));
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

// The level event of an operator change: the item after it.
const StockLevelChanged& LevelOf(const OperatorChange& change) {
  return std::get<StockLevelChanged>(change.events.at(0));
}

TEST(Restock, AddsToFreeOnlyAndAuditsWhoAndWhy) {
  const OperatorChange change = Restock(Chair(0, 2), 25, "delivery 17", "operator-7");
  EXPECT_EQ(change.next.item, (StockItem{kChair, 25, 2, 1, 5}));
  EXPECT_EQ(change.next.movement, (Movement{.product_id = kChair,
                                            .kind = MovementKind::kRestock,
                                            .delta = 25,
                                            .free_after = 25,
                                            .reserved_after = 2,
                                            .reason = "delivery 17",
                                            .order_id = std::nullopt,
                                            .actor = "operator-7"}));
  EXPECT_EQ(change.events, (std::vector<Event>{StockLevelChanged{change.next.item, Cause::kRestock}}));
  EXPECT_EQ(LevelOf(change).item.Status(), "IN_STOCK");
}

TEST(Adjust, AddsOrRemovesFreeUnits) {
  const auto up = Adjust(Chair(5), 3, "found in the back", "operator-7");
  ASSERT_TRUE(std::holds_alternative<OperatorChange>(up));
  EXPECT_EQ(std::get<OperatorChange>(up).next.item.free, 8);
  EXPECT_EQ(std::get<OperatorChange>(up).next.movement.kind, MovementKind::kAdjustment);
  EXPECT_EQ(std::get<OperatorChange>(up).next.movement.delta, 3);
  EXPECT_EQ(LevelOf(std::get<OperatorChange>(up)).cause, Cause::kAdjustment);

  const auto down = Adjust(Chair(5, 2), -5, "water damage", "operator-7");
  ASSERT_TRUE(std::holds_alternative<OperatorChange>(down));
  const OperatorChange& change = std::get<OperatorChange>(down);
  EXPECT_EQ(change.next.item, (StockItem{kChair, 0, 2, 1, 5}));
  EXPECT_EQ(change.next.movement.delta, -5);
  EXPECT_EQ(change.next.movement.free_after, 0);
  EXPECT_EQ(change.next.movement.reason, "water damage");
  EXPECT_EQ(LevelOf(change).item, change.next.item);
  EXPECT_EQ(LevelOf(change).item.Status(), "OUT_OF_STOCK");
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
