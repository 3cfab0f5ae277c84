// The reservation state machine: every status (and no reservation) against every event.
#include <gtest/gtest.h>

#include <stdexcept>

#include "stock/domain/reservation_decision.hpp"
#include "stock/tests/fixtures.hpp"

namespace microstore::stock {
namespace {

using namespace fixtures;

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

// Unchanged stores nothing and emits nothing; it says why.
void ExpectNothingChanges(const ReservationDecision& decision) {
  EXPECT_EQ(OutcomeName(decision), "ignored");
  const core::Unchanged* unchanged = core::IfUnchanged(decision);
  ASSERT_NE(unchanged, nullptr);
  EXPECT_EQ(unchanged->kind, core::Unchanged::Kind::kIgnored);
  EXPECT_FALSE(unchanged->why.empty());
}

// --- no reservation yet ---

TEST(Decide, OrderCreatedWithEveryLineFreeBooksThemAll) {
  const auto decision = Decide(std::nullopt, {Item(kChair, 10), Item(kTable, 3)}, kCreated);
  ASSERT_EQ(OutcomeName(decision), "booked");
  const ReservationChanged& changed = core::ChangedOf(decision);
  const Reservation& booked = changed.next.reservation;
  EXPECT_EQ(booked.status, ReservationStatus::kBooked);
  EXPECT_EQ(booked.version, 1);
  EXPECT_EQ(booked.order_version, 1);
  EXPECT_EQ(booked.customer_id, kCustomer);
  EXPECT_EQ(booked.lines, (std::vector<Line>{{kChair, 2}, {kTable, 1}}));
  EXPECT_EQ(booked.total_minor, 129900);
  EXPECT_EQ(booked.currency, "RUB");
  EXPECT_EQ(booked.reason, std::nullopt);
  EXPECT_TRUE(booked.missing.empty());

  EXPECT_EQ(changed.next.items, (std::vector<StockItem>{Item(kChair, 8, 2, 6), Item(kTable, 2, 1, 6)}));
  ASSERT_EQ(changed.next.movements.size(), 2u);
  EXPECT_EQ(changed.next.movements[0], (Movement{.product_id = kChair,
                                                 .kind = MovementKind::kReservation,
                                                 .delta = -2,
                                                 .free_after = 8,
                                                 .reserved_after = 2,
                                                 .reason = std::nullopt,
                                                 .order_id = kOrder,
                                                 .actor = std::nullopt}));
  EXPECT_EQ(changed.next.movements[1].delta, -1);

  // Nothing flipped out of stock: only StockReserved, of the booked reservation (its outbox row:
  // event_drafts_test.cpp).
  EXPECT_EQ(changed.events, (std::vector<Event>{StockReserved{booked}}));
}

TEST(Decide, BookingTheLastUnitsAnnouncesTheProductOutOfStock) {
  const auto decision = Decide(std::nullopt, {Item(kChair, 2), Item(kTable, 5)}, kCreated);
  ASSERT_EQ(OutcomeName(decision), "booked");
  const auto& events = core::ChangedOf(decision).events;
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<StockReserved>(events[0]));
  EXPECT_EQ(events[1], Event(StockLevelChanged{Item(kChair, 0, 2, 6), Cause::kReservation}));
  EXPECT_FALSE(std::get<StockLevelChanged>(events[1]).item.InStock());
}

TEST(Decide, OneShortLineFailsTheWholeOrderAndBooksNothing) {
  const auto decision = Decide(std::nullopt, {Item(kChair, 1), Item(kTable, 3)}, kCreated);
  ASSERT_EQ(OutcomeName(decision), "failed");
  const ReservationChanged& changed = core::ChangedOf(decision);
  const Reservation& failed = changed.next.reservation;
  EXPECT_EQ(failed.status, ReservationStatus::kFailed);
  EXPECT_EQ(failed.version, 1);
  EXPECT_EQ(failed.reason, "out_of_stock");
  EXPECT_EQ(failed.missing, (std::vector<MissingLine>{{kChair, 2, 1}}));
  EXPECT_TRUE(changed.next.items.empty());
  EXPECT_TRUE(changed.next.movements.empty());
  EXPECT_EQ(changed.events, (std::vector<Event>{StockReservationFailed{failed}}));
}

TEST(Decide, TheFailureListsEveryShortLineAndUnknownProductsAsAvailableZero) {
  const ReservationEvent order = Order({{kChair, 2}, {kTable, 1}, {kLamp, 4}});
  const auto decision = Decide(std::nullopt, {Item(kChair, 0), Item(kTable, 1)}, order);
  ASSERT_EQ(OutcomeName(decision), "failed");
  const ReservationChanged& changed = core::ChangedOf(decision);
  const std::vector<MissingLine> missing{{kChair, 2, 0}, {kLamp, 4, 0}};
  EXPECT_EQ(changed.next.reservation.missing, missing);
  ASSERT_EQ(changed.events.size(), 1u);
  EXPECT_EQ(std::get<StockReservationFailed>(changed.events[0]).reservation.missing, missing);
  EXPECT_TRUE(changed.next.items.empty());
}

TEST(Decide, OrderCancelledBeforeCreationLeavesASilentTombstone) {
  const auto decision = Decide(std::nullopt, {}, kCancelled);
  ASSERT_EQ(OutcomeName(decision), "tombstoned");
  const ReservationChanged& changed = core::ChangedOf(decision);
  EXPECT_EQ(changed.next.reservation.status, ReservationStatus::kCancelled);
  EXPECT_EQ(changed.next.reservation.version, 1);
  EXPECT_EQ(changed.next.reservation.customer_id, kCustomer);
  EXPECT_TRUE(changed.next.reservation.lines.empty());
  EXPECT_TRUE(changed.events.empty());
  EXPECT_TRUE(changed.next.items.empty());
}

TEST(Decide, PaymentFailedWithoutAReservationDoesNothing) {
  ExpectNothingChanges(Decide(std::nullopt, {}, kPaymentFailed));
}

// --- BOOKED ---

TEST(Decide, PaymentFailedReleasesABookedReservation) {
  const auto decision = Decide(WithStatus(ReservationStatus::kBooked),
                               {Item(kChair, 0, 2), Item(kTable, 4, 1)}, kPaymentFailed);
  ASSERT_EQ(OutcomeName(decision), "released");
  const ReservationChanged& changed = core::ChangedOf(decision);
  const Reservation& released = changed.next.reservation;
  EXPECT_EQ(released.status, ReservationStatus::kReleased);
  EXPECT_EQ(released.version, 2);
  EXPECT_EQ(released.reason, "payment_failed");
  EXPECT_EQ(released.lines, WithStatus(ReservationStatus::kBooked).lines);
  EXPECT_EQ(changed.next.items, (std::vector<StockItem>{Item(kChair, 2, 0, 6), Item(kTable, 5, 0, 6)}));
  ASSERT_EQ(changed.next.movements.size(), 2u);
  EXPECT_EQ(changed.next.movements[0], (Movement{.product_id = kChair,
                                                 .kind = MovementKind::kRelease,
                                                 .delta = 2,
                                                 .free_after = 2,
                                                 .reserved_after = 0,
                                                 .reason = "payment_failed",
                                                 .order_id = kOrder,
                                                 .actor = std::nullopt}));

  // The chair comes back in stock; the table was in stock all along.
  EXPECT_EQ(changed.events, (std::vector<Event>{StockReleased{released},
                                                StockLevelChanged{Item(kChair, 2, 0, 6), Cause::kRelease}}));
  EXPECT_TRUE(std::get<StockLevelChanged>(changed.events[1]).item.InStock());
}

TEST(Decide, OrderCancelledReleasesABookedReservation) {
  const auto decision =
      Decide(WithStatus(ReservationStatus::kBooked), {Item(kChair, 3, 2), Item(kTable, 4, 1)}, kCancelled);
  ASSERT_EQ(OutcomeName(decision), "released");
  const ReservationChanged& changed = core::ChangedOf(decision);
  EXPECT_EQ(changed.next.reservation.reason, "order_cancelled");
  EXPECT_EQ(changed.next.items, (std::vector<StockItem>{Item(kChair, 5, 0, 6), Item(kTable, 5, 0, 6)}));
  ASSERT_EQ(changed.events.size(), 1u);  // no product flipped
  EXPECT_EQ(std::get<StockReleased>(changed.events[0]).reservation.reason, "order_cancelled");
  EXPECT_EQ(changed.next.movements[1].reason, "order_cancelled");
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
  const Reservation tombstone = core::ChangedOf(Decide(std::nullopt, {}, kCancelled)).next.reservation;
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
  EXPECT_EQ(TypeOf(kCreated), "OrderCreated");
  EXPECT_EQ(TypeOf(kCancelled), "OrderCancelled");
  EXPECT_EQ(TypeOf(kPaymentFailed), "PaymentFailed");
}

TEST(SumLines, BooksOneLinePerProductInTheOrderOfItsFirstLine) {
  EXPECT_EQ(SumLines({{kTable, 1}, {kChair, 2}, {kTable, 3}, {kLamp, 1}}),
            (std::vector<Line>{{kTable, 4}, {kChair, 2}, {kLamp, 1}}));
  EXPECT_TRUE(SumLines({}).empty());
}

TEST(IsCurrencyCode, IsThreeUpperCaseLetters) {
  EXPECT_TRUE(IsCurrencyCode("RUB"));
  for (const char* text : {"rub", "RUBL", "RU", "", "R1B"}) EXPECT_FALSE(IsCurrencyCode(text)) << text;
}

}  // namespace
}  // namespace microstore::stock
