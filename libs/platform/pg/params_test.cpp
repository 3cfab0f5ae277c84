#include "platform/pg/params.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "platform/pg/errors.hpp"

namespace microstore::pg {
namespace {

using Values = std::vector<std::optional<std::string>>;

TEST(Params, ConvertsScalarsToText) {
  const std::string owned = "owned";
  const std::string_view view = "view";
  const char* pointer = "pointer";
  const Params params =
      MakeParams(true, false, std::int16_t{-7}, 42, std::numeric_limits<std::int64_t>::max(),
                 std::uint8_t{200}, 0.1, -2.5f, owned, view, pointer, "literal");
  EXPECT_EQ(params.values(), (Values{"true", "false", "-7", "42", "9223372036854775807", "200", "0.1", "-2.5",
                                     "owned", "view", "pointer", "literal"}));
}

TEST(Params, EncodesNullsAndOptionals) {
  const std::optional<int> some = 5;
  const std::optional<std::string> none;
  const char* null_pointer = nullptr;
  const Params params = MakeParams(some, none, std::nullopt, null_pointer);
  EXPECT_EQ(params.values(), (Values{"5", std::nullopt, std::nullopt, std::nullopt}));
}

TEST(Params, SpellsNonFiniteDoublesAsPostgresDoes) {
  const Params params =
      MakeParams(std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                 -std::numeric_limits<double>::infinity());
  EXPECT_EQ(params.values(), (Values{"NaN", "Infinity", "-Infinity"}));
}

TEST(Params, DoublesRoundTrip) {
  const double value = 0.1 + 0.2;
  const Params params = MakeParams(value);
  EXPECT_EQ(std::stod(*params.values()[0]), value);
}

TEST(Params, RejectsNulBytesWithoutEchoingTheValue) {
  try {
    MakeParams(1, std::string("secret\0tail", 11));
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("$2"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
}

TEST(QuoteIdentifier, DoublesEmbeddedQuotes) {
  EXPECT_EQ(QuoteIdentifier("orders"), "\"orders\"");
  EXPECT_EQ(QuoteIdentifier("Mixed \"Case\"; DROP"), "\"Mixed \"\"Case\"\"; DROP\"");
  EXPECT_THROW(QuoteIdentifier(""), std::invalid_argument);
  EXPECT_THROW(QuoteIdentifier(std::string_view("a\0b", 3)), std::invalid_argument);
}

template <typename Expected>
void ExpectMapsTo(const std::string& sqlstate) {
  try {
    ThrowForSqlState(sqlstate, "message", "constraint_name");
    FAIL() << "nothing thrown for " << sqlstate;
  } catch (const Expected& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate);
    EXPECT_EQ(e.constraint(), "constraint_name");
    EXPECT_STREQ(e.what(), "message");
  } catch (const std::exception& e) {
    ADD_FAILURE() << sqlstate << " mapped to the wrong type: " << typeid(e).name();
  }
}

TEST(Errors, MapSqlStateToTypes) {
  ExpectMapsTo<UniqueViolation>("23505");
  ExpectMapsTo<ForeignKeyViolation>("23503");
  ExpectMapsTo<CheckViolation>("23514");
  ExpectMapsTo<NotNullViolation>("23502");
  ExpectMapsTo<IntegrityViolation>("23P01");
  ExpectMapsTo<SerializationFailure>("40001");
  ExpectMapsTo<DeadlockDetected>("40P01");
  ExpectMapsTo<TransactionRollback>("40001");
  ExpectMapsTo<QueryCanceled>("57014");
  ExpectMapsTo<ConnectionLost>("08006");
  ExpectMapsTo<ConnectionLost>("57P01");
  ExpectMapsTo<ConnectionLost>("57P02");
  ExpectMapsTo<ConnectionLost>("57P03");
}

TEST(Errors, UnknownSqlStateIsPlainError) {
  try {
    ThrowForSqlState("42601", "syntax error");
  } catch (const Error& e) {
    EXPECT_EQ(typeid(e), typeid(Error));
    EXPECT_EQ(e.sqlstate(), "42601");
  }
}

}  // namespace
}  // namespace microstore::pg
