// Validation of what clients send: the Idempotency-Key, deposit bodies, query parameters, cursors.
#include "payment/domain/requests.hpp"

#include <gtest/gtest.h>

namespace microstore::payment {
namespace {

using nlohmann::json;

Problems ProblemsOf(const std::variant<DepositRequest, Problems>& validated) {
  if (const auto* problems = std::get_if<Problems>(&validated)) return *problems;
  return {};
}

std::vector<std::string> Fields(const Problems& problems) {
  std::vector<std::string> fields;
  for (const auto& problem : problems) fields.push_back(problem.field);
  return fields;
}

TEST(IdempotencyKey, OneToTwoHundredPrintableAsciiCharacters) {
  EXPECT_EQ(CheckIdempotencyKey("a"), std::nullopt);
  EXPECT_EQ(CheckIdempotencyKey("2b1f7c0e-deposit #1 ~!"), std::nullopt);
  EXPECT_EQ(CheckIdempotencyKey(std::string(200, 'k')), std::nullopt);
}

TEST(IdempotencyKey, MissingEmptyLongOrNonAsciiIsRefusedNamingTheHeader) {
  const std::string too_long(201, 'k');
  const std::string with_nul("a\0b", 3);
  for (const std::optional<std::string_view> bad :
       {std::optional<std::string_view>(), std::optional<std::string_view>(""),
        std::optional<std::string_view>(too_long), std::optional<std::string_view>("tab\there"),
        std::optional<std::string_view>("ключ"), std::optional<std::string_view>(with_nul),
        std::optional<std::string_view>("del\x7f")}) {
    const auto problem = CheckIdempotencyKey(bad);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->field, "Idempotency-Key");
  }
  EXPECT_EQ(CheckIdempotencyKey(std::nullopt)->message, "is required");
}

TEST(DepositBody, AnAmountInRangeIsAccepted) {
  EXPECT_EQ(ValidateDeposit(json{{"amount_minor", 1}}),
            (std::variant<DepositRequest, Problems>(DepositRequest{1, {}})));
  EXPECT_EQ(ValidateDeposit(json{{"amount_minor", 10'000'000'000}}),
            (std::variant<DepositRequest, Problems>(DepositRequest{10'000'000'000, {}})));
  EXPECT_EQ(ValidateDeposit(json{{"amount_minor", 500}, {"currency", "RUB"}}),
            (std::variant<DepositRequest, Problems>(DepositRequest{500, "RUB"})));
}

TEST(DepositBody, BadAmountsAreRefusedNamingTheField) {
  for (const json& bad : {json(0), json(-1), json(10'000'000'001), json(1.5), json(100.0), json("100"),
                          json(true), json(nullptr), json::array({1}), json(18'446'744'073'709'551'615u)}) {
    EXPECT_EQ(Fields(ProblemsOf(ValidateDeposit(json{{"amount_minor", bad}}))),
              std::vector<std::string>{"amount_minor"})
        << bad;
  }
  EXPECT_EQ(Fields(ProblemsOf(ValidateDeposit(json::object()))), std::vector<std::string>{"amount_minor"});
}

TEST(DepositBody, AmountsParsedFromTextAreCheckedLikeLiterals) {
  // A parser stores 0 as an unsigned integer and -1 as a signed one: both must be refused.
  for (const char* text :
       {R"({"amount_minor": 0})", R"({"amount_minor": -1})", R"({"amount_minor": 10000000001})",
        R"({"amount_minor": 18446744073709551615})", R"({"amount_minor": 1e3})"}) {
    EXPECT_EQ(Fields(ProblemsOf(ValidateDeposit(json::parse(text)))),
              std::vector<std::string>{"amount_minor"})
        << text;
  }
  EXPECT_EQ(ValidateDeposit(json::parse(R"({"amount_minor": 1})")),
            (std::variant<DepositRequest, Problems>(DepositRequest{1, {}})));
}

TEST(DepositBody, EveryProblemIsReportedAtOnce) {
  const auto problems =
      ProblemsOf(ValidateDeposit(json{{"amount_minor", 0}, {"currency", "rub"}, {"note", "x"}}));
  EXPECT_EQ(Fields(problems), (std::vector<std::string>{"amount_minor", "currency", "note"}));
}

TEST(DepositBody, ABodyThatIsNotAnObjectIsRefused) {
  for (const json& bad : {json::array(), json(5), json("x"), json(nullptr)}) {
    EXPECT_EQ(Fields(ProblemsOf(ValidateDeposit(bad))), std::vector<std::string>{""}) << bad;
  }
}

TEST(PageQuery, DefaultsLimitAndCursor) {
  const auto parsed = ParsePageQuery({});
  ASSERT_TRUE(std::holds_alternative<PageQuery>(parsed));
  EXPECT_EQ(std::get<PageQuery>(parsed), (PageQuery{20, std::nullopt}));
}

TEST(PageQuery, ReadsLimitAndACursorItIssued) {
  const auto parsed = ParsePageQuery({{"limit", "100"}, {"cursor", EncodeCursor(42)}});
  ASSERT_TRUE(std::holds_alternative<PageQuery>(parsed));
  EXPECT_EQ(std::get<PageQuery>(parsed), (PageQuery{100, 42}));
}

TEST(PageQuery, RefusesBadLimitsForeignCursorsUnknownAndRepeatedParameters) {
  for (const char* limit : {"0", "101", "-1", "ten", "", "1.5", "99999999999999999999"}) {
    const auto parsed = ParsePageQuery({{"limit", limit}});
    ASSERT_TRUE(std::holds_alternative<Problems>(parsed)) << limit;
    EXPECT_EQ(Fields(std::get<Problems>(parsed)), std::vector<std::string>{"limit"});
  }
  for (const std::string& cursor : {std::string("garbage!"), std::string(""), EncodeCursor(0),
                                    EncodeCursor(-5), std::string("bGVkZ2VyOg"), std::string(200, 'A')}) {
    const auto parsed = ParsePageQuery({{"cursor", cursor}});
    ASSERT_TRUE(std::holds_alternative<Problems>(parsed)) << cursor;
    EXPECT_EQ(Fields(std::get<Problems>(parsed)), std::vector<std::string>{"cursor"});
  }
  const auto parsed = ParsePageQuery({{"limit", "5"}, {"limit", "6"}, {"sort", "asc"}});
  ASSERT_TRUE(std::holds_alternative<Problems>(parsed));
  EXPECT_EQ(Fields(std::get<Problems>(parsed)), (std::vector<std::string>{"limit", "sort"}));
}

TEST(Cursor, RoundTripsPositions) {
  for (const std::int64_t position : {1LL, 42LL, 9'223'372'036'854'775'807LL}) {
    EXPECT_EQ(DecodeCursor(EncodeCursor(position)), position);
  }
  EXPECT_EQ(DecodeCursor("MTI"), std::nullopt);  // "12" without the prefix
}

}  // namespace
}  // namespace microstore::payment
