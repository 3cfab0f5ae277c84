// payment's JSON: what clients send (the Idempotency-Key, deposit bodies, query parameters,
// cursors) and what the API answers (accounts, ledger entries, totals, payments).
#include "payment/api/json.hpp"

#include <gtest/gtest.h>

#include "platform/http/message.hpp"
#include "platform/http/query.hpp"
#include "platform/wire/fields.hpp"

namespace microstore::payment::api {
namespace {

using nlohmann::json;

constexpr const char* kCustomer = "5a1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

core::FieldErrors ErrorsOf(const std::variant<DepositRequest, core::FieldErrors>& validated) {
  if (const auto* errors = std::get_if<core::FieldErrors>(&validated)) return *errors;
  return {};
}

std::vector<std::string> Fields(const core::FieldErrors& errors) {
  std::vector<std::string> fields;
  for (const auto& error : errors) fields.push_back(error.field);
  return fields;
}

std::variant<std::string, core::FieldError> KeyOf(std::optional<std::string> header) {
  http::Request request;
  if (header) request.headers.Add("Idempotency-Key", *header);
  return http::IdempotencyKey(request);
}

LedgerEntry DepositOf(std::int64_t amount, std::int64_t balance_after) {
  return {.id = "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01",
          .customer_id = kCustomer,
          .kind = EntryKind::kDeposit,
          .amount_minor = amount,
          .currency = "RUB",
          .idempotency_key = "key-1",
          .balance_after_minor = balance_after,
          .created_at = "2026-01-01T00:00:00.000Z"};
}

TEST(IdempotencyKey, OneToTwoHundredPrintableAsciiCharacters) {
  EXPECT_EQ(KeyOf("a"), (std::variant<std::string, core::FieldError>("a")));
  EXPECT_EQ(KeyOf("2b1f7c0e-deposit #1 ~!"),
            (std::variant<std::string, core::FieldError>("2b1f7c0e-deposit #1 ~!")));
  EXPECT_TRUE(std::holds_alternative<std::string>(KeyOf(std::string(200, 'k'))));
}

TEST(IdempotencyKey, MissingEmptyLongOrNonAsciiIsRefusedNamingTheHeader) {
  for (const std::optional<std::string>& bad :
       {std::optional<std::string>(), std::optional<std::string>(""),
        std::optional<std::string>(std::string(201, 'k')), std::optional<std::string>("tab\there"),
        std::optional<std::string>("ключ"), std::optional<std::string>(std::string("a\0b", 3)),
        std::optional<std::string>("del\x7f")}) {
    const auto key = KeyOf(bad);
    ASSERT_TRUE(std::holds_alternative<core::FieldError>(key)) << bad.value_or("(none)");
    EXPECT_EQ(std::get<core::FieldError>(key).field, "Idempotency-Key");
  }
  EXPECT_EQ(std::get<core::FieldError>(KeyOf(std::nullopt)).message,
            "is required: a value unique to this attempt, sent again with its retries");
}

TEST(DepositBody, AnAmountInRangeIsAccepted) {
  EXPECT_EQ(ReadDeposit(json{{"amount_minor", 1}}),
            (std::variant<DepositRequest, core::FieldErrors>(DepositRequest{1, {}})));
  EXPECT_EQ(ReadDeposit(json{{"amount_minor", 10'000'000'000}}),
            (std::variant<DepositRequest, core::FieldErrors>(DepositRequest{10'000'000'000, {}})));
  EXPECT_EQ(ReadDeposit(json{{"amount_minor", 500}, {"currency", "RUB"}}),
            (std::variant<DepositRequest, core::FieldErrors>(DepositRequest{500, "RUB"})));
}

TEST(DepositBody, BadAmountsAreRefusedNamingTheField) {
  for (const json& bad : {json(0), json(-1), json(10'000'000'001), json(1.5), json(100.0), json("100"),
                          json(true), json(nullptr), json::array({1}), json(18'446'744'073'709'551'615u)}) {
    EXPECT_EQ(Fields(ErrorsOf(ReadDeposit(json{{"amount_minor", bad}}))),
              std::vector<std::string>{"amount_minor"})
        << bad;
  }
  EXPECT_EQ(Fields(ErrorsOf(ReadDeposit(json::object()))), std::vector<std::string>{"amount_minor"});
}

TEST(DepositBody, AmountsParsedFromTextAreCheckedLikeLiterals) {
  // A parser stores 0 as an unsigned integer and -1 as a signed one: both must be refused.
  for (const char* text :
       {R"({"amount_minor": 0})", R"({"amount_minor": -1})", R"({"amount_minor": 10000000001})",
        R"({"amount_minor": 18446744073709551615})", R"({"amount_minor": 1e3})"}) {
    EXPECT_EQ(Fields(ErrorsOf(ReadDeposit(json::parse(text)))), std::vector<std::string>{"amount_minor"})
        << text;
  }
  EXPECT_EQ(ReadDeposit(json::parse(R"({"amount_minor": 1})")),
            (std::variant<DepositRequest, core::FieldErrors>(DepositRequest{1, {}})));
}

TEST(DepositBody, EveryProblemIsReportedAtOnce) {
  const auto errors = ErrorsOf(ReadDeposit(json{{"amount_minor", 0}, {"currency", "rub"}, {"note", "x"}}));
  EXPECT_EQ(Fields(errors), (std::vector<std::string>{"amount_minor", "currency", "note"}));
}

TEST(DepositBody, ABodyThatIsNotAnObjectIsRefused) {
  for (const json& bad : {json::array(), json(5), json("x"), json(nullptr)}) {
    EXPECT_EQ(Fields(ErrorsOf(ReadDeposit(bad))), std::vector<std::string>{""}) << bad;
  }
}

TEST(PageQuery, DefaultsLimitAndCursor) {
  const auto parsed = ReadPageQuery({});
  ASSERT_TRUE(std::holds_alternative<PageQuery>(parsed));
  EXPECT_EQ(std::get<PageQuery>(parsed), (PageQuery{20, std::nullopt}));
}

TEST(PageQuery, ReadsLimitAndACursorItIssued) {
  const auto parsed = ReadPageQuery({{"limit", "100"}, {"cursor", LedgerCursor(42)}});
  ASSERT_TRUE(std::holds_alternative<PageQuery>(parsed));
  EXPECT_EQ(std::get<PageQuery>(parsed), (PageQuery{100, 42}));
}

TEST(PageQuery, RefusesBadLimitsForeignCursorsUnknownAndRepeatedParameters) {
  for (const char* limit : {"0", "101", "-1", "ten", "", "1.5", "99999999999999999999"}) {
    const auto parsed = ReadPageQuery({{"limit", limit}});
    ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(parsed)) << limit;
    EXPECT_EQ(Fields(std::get<core::FieldErrors>(parsed)), std::vector<std::string>{"limit"});
  }
  for (const std::string& cursor : {std::string("garbage!"), std::string(""), LedgerCursor(0),
                                    LedgerCursor(-5), std::string("bGVkZ2VyOg"), std::string(200, 'A')}) {
    const auto parsed = ReadPageQuery({{"cursor", cursor}});
    ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(parsed)) << cursor;
    EXPECT_EQ(Fields(std::get<core::FieldErrors>(parsed)), std::vector<std::string>{"cursor"});
  }
  const auto parsed = ReadPageQuery({{"limit", "5"}, {"limit", "6"}, {"sort", "asc"}});
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(parsed));
  EXPECT_EQ(Fields(std::get<core::FieldErrors>(parsed)), (std::vector<std::string>{"limit", "sort"}));
}

TEST(Cursor, RoundTripsPositions) {
  for (const std::int64_t position : {1LL, 42LL, 9'223'372'036'854'775'807LL}) {
    EXPECT_EQ(LedgerPosition(LedgerCursor(position)), position);
  }
  EXPECT_EQ(LedgerPosition("MTI"), std::nullopt);  // 12, but not in the shape of this listing's cursors
  EXPECT_EQ(LedgerPosition(wire::EncodeCursor({{"seq", 12}, {"id", "x"}})), std::nullopt);
  EXPECT_EQ(LedgerPosition(wire::EncodeCursor({{"seq", "12"}})), std::nullopt);
}

TEST(AccountJson, AnEmptyAccountIsAtZeroAndNotStored) {
  EXPECT_EQ(AccountJson(EmptyAccount(kCustomer, "RUB")), (json{{"customer_id", kCustomer},
                                                               {"balance_minor", 0},
                                                               {"currency", "RUB"},
                                                               {"version", 0},
                                                               {"updated_at", nullptr}}));
}

TEST(AccountJson, AStoredAccountShowsItsVersionAndTime) {
  const Account account{.customer_id = kCustomer,
                        .balance_minor = 12990,
                        .currency = "RUB",
                        .version = 4,
                        .updated_at = "2026-11-23T10:00:00.123Z"};
  EXPECT_EQ(AccountJson(account), (json{{"customer_id", kCustomer},
                                        {"balance_minor", 12990},
                                        {"currency", "RUB"},
                                        {"version", 4},
                                        {"updated_at", "2026-11-23T10:00:00.123Z"}}));
}

TEST(EntryJson, ShowsTheOrderOfChargesAndNullForDeposits) {
  EXPECT_EQ(EntryJson(DepositOf(500, 700)), (json{{"id", "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01"},
                                                  {"kind", "deposit"},
                                                  {"amount_minor", 500},
                                                  {"currency", "RUB"},
                                                  {"order_id", nullptr},
                                                  {"balance_after_minor", 700},
                                                  {"created_at", "2026-01-01T00:00:00.000Z"}}));
  LedgerEntry charge = DepositOf(300, 400);
  charge.kind = EntryKind::kCharge;
  charge.idempotency_key.reset();
  charge.order_id = "7f3e2d1c-0b9a-4887-a665-544332211000";
  EXPECT_EQ(EntryJson(charge)["order_id"], "7f3e2d1c-0b9a-4887-a665-544332211000");
  EXPECT_EQ(EntryJson(charge)["kind"], "charge");
  EXPECT_EQ(DepositJson(DepositOf(500, 700)), (json{{"id", "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01"},
                                                    {"amount_minor", 500},
                                                    {"currency", "RUB"},
                                                    {"created_at", "2026-01-01T00:00:00.000Z"}}));
}

TEST(TotalsJson, NamesEverySum) {
  EXPECT_EQ(
      TotalsJson(LedgerTotals{
          .deposits_minor = 1, .balances_minor = 2, .captured_minor = 3, .refunded_minor = 4, .accounts = 5}),
      (json{{"deposits_minor", 1},
            {"balances_minor", 2},
            {"captured_minor", 3},
            {"refunded_minor", 4},
            {"accounts", 5}}));
}

TEST(PaymentJson, HasThePublicFields) {
  const Payment captured{.payment_id = "11111111-2222-4333-8444-555555555555",
                         .order_id = "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01",
                         .customer_id = kCustomer,
                         .status = PaymentStatus::kCaptured,
                         .amount_minor = 5000,
                         .currency = "RUB",
                         .order_version = 1,
                         .version = 1,
                         .created_at = "2026-01-01T00:00:00.000Z",
                         .updated_at = "2026-01-01T00:00:00.000Z"};
  Payment payment = captured;
  payment.status = PaymentStatus::kFailed;
  payment.reason = "insufficient_funds";
  EXPECT_EQ(PaymentJson(payment), (json{{"payment_id", "11111111-2222-4333-8444-555555555555"},
                                        {"order_id", "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01"},
                                        {"status", "FAILED"},
                                        {"amount_minor", 5000},
                                        {"currency", "RUB"},
                                        {"reason", "insufficient_funds"},
                                        {"version", 1},
                                        {"created_at", "2026-01-01T00:00:00.000Z"},
                                        {"updated_at", "2026-01-01T00:00:00.000Z"}}));
  EXPECT_TRUE(PaymentJson(captured)["reason"].is_null());
}

}  // namespace
}  // namespace microstore::payment::api
