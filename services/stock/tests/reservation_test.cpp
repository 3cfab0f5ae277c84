// The reservation state machine: every status (and no reservation) against every event.
#include "stock/domain/reservation.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace microstore::stock {
namespace {

using nlohmann::json;
using Outcome = ReservationDecision::Outcome;

const std::string kOrder = "0b7d2f3e-52c4-4a8e-9d3f-2c1e5b7a9f10";
const std::string kCustomer = "c0000000-0000-4000-8000-000000000001";
const std::string kChair = "a0000000-0000-4000-8000-000000000001";
const std::string kTable = "a0000000-0000-4000-8000-000000000002";
const std::string kLamp = "a0000000-0000-4000-8000-000000000003";

StockItem Item(const std::string& product, std::int64_t free, std::int64_t reserved = 0,
               std::int64_t version = 5) {
  return {.product_id = product, .free = free, .reserved = reserved, .shipped = 0, .version = version};
}

OrderCreated Order(std::vector<Line> lines) {
  return {.order_id = kOrder,
          .customer_id = kCustomer,
          .order_version = 1,
          .lines = std::move(lines),
          .total_minor = 129900,
          .currency = "RUB"};
}

Reservation WithStatus(ReservationStatus status) {
  Reservation reservation{.order_id = kOrder,
                          .customer_id = kCustomer,
                          .status = status,
                          .version = status == ReservationStatus::kReleased ? 2 : 1,
                          .order_version = 1,
                          .lines = {{kChair, 2}, {kTable, 1}},
                          .total_minor = 129900,
                          .currency = "RUB",
                          .reason = std::nullopt,
                          .missing = {}};
  if (status == ReservationStatus::kFailed) reservation.reason = "out_of_stock";
  if (status == ReservationStatus::kReleased) reservation.reason = "payment_failed";
  if (status == ReservationStatus::kCancelled) {
    reservation.order_version = std::nullopt;
    reservation.lines.clear();
    reservation.total_minor = std::nullopt;
    reservation.currency = std::nullopt;
    reservation.reason = "order_cancelled";
  }
  return reservation;
}

const ReservationEvent kCreated = Order({{kChair, 2}, {kTable, 1}});
const ReservationEvent kCancelled = OrderCancelled{kOrder, kCustomer};
const ReservationEvent kPaymentFailed = PaymentFailed{kOrder, kCustomer};

void ExpectNothingChanges(const ReservationDecision& decision) {
  EXPECT_EQ(decision.outcome, Outcome::kIgnored);
  EXPECT_FALSE(decision.reservation.has_value());
  EXPECT_TRUE(decision.items.empty());
  EXPECT_TRUE(decision.movements.empty());
  EXPECT_TRUE(decision.events.empty());
  EXPECT_FALSE(decision.ignored_because.empty());
}

// --- no reservation yet ---

TEST(Decide, OrderCreatedWithEveryLineFreeBooksThemAll) {
  const auto decision = Decide(std::nullopt, {Item(kChair, 10), Item(kTable, 3)}, kCreated);
  ASSERT_EQ(decision.outcome, Outcome::kBooked);
  ASSERT_TRUE(decision.reservation);
  const Reservation& booked = *decision.reservation;
  EXPECT_EQ(booked.status, ReservationStatus::kBooked);
  EXPECT_EQ(booked.version, 1);
  EXPECT_EQ(booked.order_version, 1);
  EXPECT_EQ(booked.customer_id, kCustomer);
  EXPECT_EQ(booked.lines, (std::vector<Line>{{kChair, 2}, {kTable, 1}}));
  EXPECT_EQ(booked.total_minor, 129900);
  EXPECT_EQ(booked.currency, "RUB");
  EXPECT_EQ(booked.reason, std::nullopt);
  EXPECT_TRUE(booked.missing.empty());

  EXPECT_EQ(decision.items, (std::vector<StockItem>{Item(kChair, 8, 2, 6), Item(kTable, 2, 1, 6)}));
  ASSERT_EQ(decision.movements.size(), 2u);
  EXPECT_EQ(decision.movements[0], (Movement{.product_id = kChair,
                                             .kind = MovementKind::kReservation,
                                             .delta = -2,
                                             .free_after = 8,
                                             .reserved_after = 2,
                                             .reason = std::nullopt,
                                             .order_id = kOrder,
                                             .actor = std::nullopt}));
  EXPECT_EQ(decision.movements[1].delta, -1);

  // Nothing flipped out of stock: only StockReserved.
  ASSERT_EQ(decision.events.size(), 1u);
  const EventDraft& reserved = decision.events[0];
  EXPECT_EQ(reserved.type, "StockReserved");
  EXPECT_EQ(reserved.aggregate, (messaging::AggregateRef{"reservation", kOrder, 1, "BOOKED"}));
  EXPECT_EQ(
      reserved.payload,
      (json{{"order_id", kOrder},
            {"customer_id", kCustomer},
            {"order_version", 1},
            {"items", {{{"product_id", kChair}, {"quantity", 2}}, {{"product_id", kTable}, {"quantity", 1}}}},
            {"total_minor", 129900},
            {"currency", "RUB"}}));
}

TEST(Decide, BookingTheLastUnitsAnnouncesTheProductOutOfStock) {
  const auto decision = Decide(std::nullopt, {Item(kChair, 2), Item(kTable, 5)}, kCreated);
  ASSERT_EQ(decision.outcome, Outcome::kBooked);
  ASSERT_EQ(decision.events.size(), 2u);
  EXPECT_EQ(decision.events[0].type, "StockReserved");
  const EventDraft& level = decision.events[1];
  EXPECT_EQ(level.type, "StockLevelChanged");
  EXPECT_EQ(level.aggregate, (messaging::AggregateRef{"stock_item", kChair, 6, "OUT_OF_STOCK"}));
  EXPECT_EQ(level.payload, (json{{"product_id", kChair},
                                 {"free", 0},
                                 {"reserved", 2},
                                 {"shipped", 0},
                                 {"in_stock", false},
                                 {"version", 6},
                                 {"cause", "reservation"}}));
}

TEST(Decide, OneShortLineFailsTheWholeOrderAndBooksNothing) {
  const auto decision = Decide(std::nullopt, {Item(kChair, 1), Item(kTable, 3)}, kCreated);
  ASSERT_EQ(decision.outcome, Outcome::kFailed);
  ASSERT_TRUE(decision.reservation);
  EXPECT_EQ(decision.reservation->status, ReservationStatus::kFailed);
  EXPECT_EQ(decision.reservation->version, 1);
  EXPECT_EQ(decision.reservation->reason, "out_of_stock");
  EXPECT_EQ(decision.reservation->missing, (std::vector<MissingLine>{{kChair, 2, 1}}));
  EXPECT_TRUE(decision.items.empty());
  EXPECT_TRUE(decision.movements.empty());
  ASSERT_EQ(decision.events.size(), 1u);
  EXPECT_EQ(decision.events[0].type, "StockReservationFailed");
  EXPECT_EQ(decision.events[0].aggregate, (messaging::AggregateRef{"reservation", kOrder, 1, "FAILED"}));
  EXPECT_EQ(decision.events[0].payload,
            (json{{"order_id", kOrder},
                  {"customer_id", kCustomer},
                  {"order_version", 1},
                  {"reason", "out_of_stock"},
                  {"missing", {{{"product_id", kChair}, {"requested", 2}, {"available", 1}}}}}));
}

TEST(Decide, TheFailureListsEveryShortLineAndUnknownProductsAsAvailableZero) {
  const ReservationEvent order = Order({{kChair, 2}, {kTable, 1}, {kLamp, 4}});
  const auto decision = Decide(std::nullopt, {Item(kChair, 0), Item(kTable, 1)}, order);
  ASSERT_EQ(decision.outcome, Outcome::kFailed);
  EXPECT_EQ(decision.reservation->missing, (std::vector<MissingLine>{{kChair, 2, 0}, {kLamp, 4, 0}}));
  EXPECT_EQ(decision.events[0].payload["missing"],
            (json{{{"product_id", kChair}, {"requested", 2}, {"available", 0}},
                  {{"product_id", kLamp}, {"requested", 4}, {"available", 0}}}));
  EXPECT_TRUE(decision.items.empty());
}

TEST(Decide, OrderCancelledBeforeCreationLeavesASilentTombstone) {
  const auto decision = Decide(std::nullopt, {}, kCancelled);
  ASSERT_EQ(decision.outcome, Outcome::kTombstoned);
  ASSERT_TRUE(decision.reservation);
  EXPECT_EQ(decision.reservation->status, ReservationStatus::kCancelled);
  EXPECT_EQ(decision.reservation->version, 1);
  EXPECT_EQ(decision.reservation->customer_id, kCustomer);
  EXPECT_TRUE(decision.reservation->lines.empty());
  EXPECT_TRUE(decision.events.empty());
  EXPECT_TRUE(decision.items.empty());
}

TEST(Decide, PaymentFailedWithoutAReservationDoesNothing) {
  ExpectNothingChanges(Decide(std::nullopt, {}, kPaymentFailed));
}

// --- BOOKED ---

TEST(Decide, PaymentFailedReleasesABookedReservation) {
  const auto decision = Decide(WithStatus(ReservationStatus::kBooked),
                               {Item(kChair, 0, 2), Item(kTable, 4, 1)}, kPaymentFailed);
  ASSERT_EQ(decision.outcome, Outcome::kReleased);
  ASSERT_TRUE(decision.reservation);
  EXPECT_EQ(decision.reservation->status, ReservationStatus::kReleased);
  EXPECT_EQ(decision.reservation->version, 2);
  EXPECT_EQ(decision.reservation->reason, "payment_failed");
  EXPECT_EQ(decision.reservation->lines, WithStatus(ReservationStatus::kBooked).lines);
  EXPECT_EQ(decision.items, (std::vector<StockItem>{Item(kChair, 2, 0, 6), Item(kTable, 5, 0, 6)}));
  ASSERT_EQ(decision.movements.size(), 2u);
  EXPECT_EQ(decision.movements[0], (Movement{.product_id = kChair,
                                             .kind = MovementKind::kRelease,
                                             .delta = 2,
                                             .free_after = 2,
                                             .reserved_after = 0,
                                             .reason = "payment_failed",
                                             .order_id = kOrder,
                                             .actor = std::nullopt}));

  // The chair comes back in stock; the table was in stock all along.
  ASSERT_EQ(decision.events.size(), 2u);
  EXPECT_EQ(decision.events[0].type, "StockReleased");
  EXPECT_EQ(decision.events[0].aggregate, (messaging::AggregateRef{"reservation", kOrder, 2, "RELEASED"}));
  EXPECT_EQ(decision.events[0].payload,
            (json{{"order_id", kOrder},
                  {"customer_id", kCustomer},
                  {"reason", "payment_failed"},
                  {"items",
                   {{{"product_id", kChair}, {"quantity", 2}}, {{"product_id", kTable}, {"quantity", 1}}}}}));
  EXPECT_EQ(decision.events[1].type, "StockLevelChanged");
  EXPECT_EQ(decision.events[1].aggregate, (messaging::AggregateRef{"stock_item", kChair, 6, "IN_STOCK"}));
  EXPECT_EQ(decision.events[1].payload["cause"], "release");
  EXPECT_EQ(decision.events[1].payload["in_stock"], true);
}

TEST(Decide, OrderCancelledReleasesABookedReservation) {
  const auto decision =
      Decide(WithStatus(ReservationStatus::kBooked), {Item(kChair, 3, 2), Item(kTable, 4, 1)}, kCancelled);
  ASSERT_EQ(decision.outcome, Outcome::kReleased);
  EXPECT_EQ(decision.reservation->reason, "order_cancelled");
  EXPECT_EQ(decision.items, (std::vector<StockItem>{Item(kChair, 5, 0, 6), Item(kTable, 5, 0, 6)}));
  ASSERT_EQ(decision.events.size(), 1u);  // no product flipped
  EXPECT_EQ(decision.events[0].payload["reason"], "order_cancelled");
  EXPECT_EQ(decision.movements[1].reason, "order_cancelled");
}

TEST(Decide, OrderCreatedForABookedReservationIsADuplicate) {
  ExpectNothingChanges(
      Decide(WithStatus(ReservationStatus::kBooked), {Item(kChair, 10), Item(kTable, 3)}, kCreated));
}

TEST(Decide, ReleasingUnitsTheItemDoesNotHoldIsABrokenInvariant) {
  EXPECT_THROW(Decide(WithStatus(ReservationStatus::kBooked), {Item(kChair, 0, 1), Item(kTable, 0, 1)},
                      kPaymentFailed),
               std::logic_error);
  EXPECT_THROW(Decide(WithStatus(ReservationStatus::kBooked), {Item(kChair, 0, 2)}, kCancelled),
               std::logic_error);
}

// --- FAILED, RELEASED, CANCELLED: final, every event is a duplicate or stale ---

class FinalReservation : public ::testing::TestWithParam<std::tuple<ReservationStatus, int>> {};

TEST_P(FinalReservation, IgnoresEveryEvent) {
  const auto [status, event_index] = GetParam();
  const std::vector<ReservationEvent> events{kCreated, kCancelled, kPaymentFailed};
  const ReservationEvent& event = events[static_cast<std::size_t>(event_index)];
  const Reservation current = WithStatus(status);
  EXPECT_TRUE(ProductsToLock(current, event).empty());
  ExpectNothingChanges(Decide(current, {Item(kChair, 10, 2), Item(kTable, 10, 1)}, event));
}

INSTANTIATE_TEST_SUITE_P(EveryFinalStatusAndEvent, FinalReservation,
                         ::testing::Combine(::testing::Values(ReservationStatus::kFailed,
                                                              ReservationStatus::kReleased,
                                                              ReservationStatus::kCancelled),
                                            ::testing::Values(0, 1, 2)));

TEST(Decide, ATombstoneMakesALateOrderCreatedBookNothing) {
  const auto tombstone = Decide(std::nullopt, {}, kCancelled).reservation;
  const auto decision = Decide(tombstone, {Item(kChair, 10), Item(kTable, 3)}, kCreated);
  ExpectNothingChanges(decision);
}

// --- what to lock ---

TEST(ProductsToLock, NamesTheProductsDecideReadsSortedOnce) {
  const ReservationEvent order = Order({{kTable, 1}, {kChair, 1}, {kLamp, 1}});
  EXPECT_EQ(ProductsToLock(std::nullopt, order), (std::vector<std::string>{kChair, kTable, kLamp}));
  EXPECT_TRUE(ProductsToLock(std::nullopt, kCancelled).empty());
  EXPECT_TRUE(ProductsToLock(std::nullopt, kPaymentFailed).empty());
  const Reservation booked = WithStatus(ReservationStatus::kBooked);
  EXPECT_EQ(ProductsToLock(booked, kPaymentFailed), (std::vector<std::string>{kChair, kTable}));
  EXPECT_EQ(ProductsToLock(booked, kCancelled), (std::vector<std::string>{kChair, kTable}));
  EXPECT_TRUE(ProductsToLock(booked, kCreated).empty());
}

TEST(ReservationStatus, RoundTripsItsWireNames) {
  for (auto status : {ReservationStatus::kBooked, ReservationStatus::kFailed, ReservationStatus::kReleased,
                      ReservationStatus::kCancelled}) {
    EXPECT_EQ(ParseReservationStatus(ToString(status)), status);
  }
  EXPECT_EQ(ToString(ReservationStatus::kCancelled), "CANCELLED");
  EXPECT_EQ(ParseReservationStatus("NONE"), std::nullopt);
  EXPECT_EQ(ParseReservationStatus("booked"), std::nullopt);
}

TEST(OrderIdOf, ReadsEveryEvent) {
  EXPECT_EQ(OrderIdOf(kCreated), kOrder);
  EXPECT_EQ(OrderIdOf(kCancelled), kOrder);
  EXPECT_EQ(OrderIdOf(kPaymentFailed), kOrder);
}

}  // namespace
}  // namespace microstore::stock
