// Validation of the API's bodies and query parameters (api/json.hpp) and the rules on their
// values (domain/requests.hpp).
#include "stock/domain/requests.hpp"

#include <gtest/gtest.h>

#include "stock/api/json.hpp"
#include "stock/domain/stock_item.hpp"

namespace microstore::stock::api {
namespace {

using nlohmann::json;
using Problems = core::FieldErrors;

const std::string kChair = "a0000000-0000-4000-8000-00000000000a";
const std::string kTable = "a0000000-0000-4000-8000-00000000000b";

template <typename T>
Problems ProblemsOf(const std::variant<T, Problems>& validated) {
  const auto* problems = std::get_if<Problems>(&validated);
  return problems ? *problems : Problems{};
}

template <typename T>
std::vector<std::string> FieldsOf(const std::variant<T, Problems>& validated) {
  std::vector<std::string> fields;
  for (const auto& problem : ProblemsOf(validated)) fields.push_back(problem.field);
  return fields;
}

TEST(ValidateRestock, AcceptsAQuantityAndAReason) {
  EXPECT_EQ(std::get<RestockRequest>(ValidateRestock({{"quantity", 25}, {"reason", "delivery 17"}})),
            (RestockRequest{25, "delivery 17"}));
  EXPECT_EQ(std::get<RestockRequest>(ValidateRestock({{"quantity", 1}, {"reason", "x"}})).quantity, 1);
  EXPECT_EQ(std::get<RestockRequest>(ValidateRestock({{"quantity", kMaxQuantity}, {"reason", "x"}})).quantity,
            kMaxQuantity);
  // Limits count characters, not bytes: 500 Cyrillic letters are 1000 bytes.
  std::string cyrillic;
  for (int i = 0; i < 500; ++i) cyrillic += "ж";
  EXPECT_TRUE(
      std::holds_alternative<RestockRequest>(ValidateRestock({{"quantity", 1}, {"reason", cyrillic}})));
  EXPECT_TRUE(std::holds_alternative<RestockRequest>(
      ValidateRestock({{"quantity", 1}, {"reason", "line 1\nline 2"}})));
}

TEST(ValidateRestock, NamesEveryBadField) {
  EXPECT_EQ(FieldsOf(ValidateRestock(json::object())), (std::vector<std::string>{"quantity", "reason"}));
  EXPECT_EQ(FieldsOf(ValidateRestock({{"quantity", 0}, {"reason", ""}})),
            (std::vector<std::string>{"quantity", "reason"}));
  EXPECT_EQ(FieldsOf(ValidateRestock({{"quantity", 3}, {"reason", "ok"}, {"free", 3}, {"actor", "me"}})),
            (std::vector<std::string>{"actor", "free"}));  // objects iterate in key order
  EXPECT_EQ(FieldsOf(ValidateRestock(json::array())), (std::vector<std::string>{""}));
  EXPECT_EQ(FieldsOf(ValidateRestock("text")), (std::vector<std::string>{""}));
}

TEST(ValidateRestock, RefusesQuantitiesOutsideOneToTheMaximum) {
  for (const json& quantity : {json(0), json(-1), json(kMaxQuantity + 1), json(2.5), json(3.0), json("3"),
                               json(nullptr), json(true), json(18446744073709551615ull)}) {
    EXPECT_EQ(ProblemsOf(ValidateRestock({{"quantity", quantity}, {"reason", "x"}})),
              (Problems{{"quantity", "must be an integer from 1 to 1000000"}}))
        << quantity;
  }
}

TEST(ValidateRestock, RefusesBadReasons) {
  const std::string too_long(kMaxReasonLength + 1, 'a');
  const std::vector<std::pair<json, std::string>> cases = {
      {json(nullptr), "must be a string"},
      {json(7), "must be a string"},
      {json(""), "must be 1 to 500 characters"},
      {json(too_long), "must be 1 to 500 characters"},
      {json("   \t\n"), "must not be blank"},
      {json("bell\x07"), "must not contain control characters"},
      {json("nul\x7f"), "must not contain control characters"},
  };
  for (const auto& [reason, message] : cases) {
    EXPECT_EQ(ProblemsOf(ValidateRestock({{"quantity", 1}, {"reason", reason}})),
              (Problems{{"reason", message}}))
        << reason;
  }
  EXPECT_EQ(ProblemsOf(ValidateRestock({{"quantity", 1}})), (Problems{{"reason", "is required"}}));
}

TEST(ReasonProblem, CountsCharactersAndRefusesBlankAndControlText) {
  EXPECT_EQ(ReasonProblem("delivery 17"), std::nullopt);
  EXPECT_EQ(ReasonProblem("line 1\r\n\tline 2"), std::nullopt);
  EXPECT_EQ(ReasonProblem(""), "must be 1 to 500 characters");
  EXPECT_EQ(ReasonProblem("\xff"), "is not valid UTF-8");
  EXPECT_EQ(ReasonProblem("\u3000\u00a0"), "must not be blank");
  EXPECT_EQ(ReasonProblem("esc\x1b"), "must not contain control characters");
  EXPECT_EQ(DeltaProblem(0), "must not be 0");
  EXPECT_EQ(DeltaProblem(-1), std::nullopt);
}

TEST(ValidateAdjustment, AcceptsANonZeroDeltaEitherWay) {
  EXPECT_EQ(std::get<AdjustmentRequest>(ValidateAdjustment({{"delta", -3}, {"reason", "broken"}})),
            (AdjustmentRequest{-3, "broken"}));
  EXPECT_EQ(std::get<AdjustmentRequest>(ValidateAdjustment({{"delta", 4}, {"reason", "found"}})).delta, 4);
  EXPECT_EQ(
      std::get<AdjustmentRequest>(ValidateAdjustment({{"delta", -kMaxQuantity}, {"reason", "x"}})).delta,
      -kMaxQuantity);
}

TEST(ValidateAdjustment, RefusesZeroOutOfRangeAndUnknownFields) {
  EXPECT_EQ(ProblemsOf(ValidateAdjustment({{"delta", 0}, {"reason", "x"}})),
            (Problems{{"delta", "must not be 0"}}));
  EXPECT_EQ(FieldsOf(ValidateAdjustment({{"delta", -kMaxQuantity - 1}, {"reason", "x"}})),
            (std::vector<std::string>{"delta"}));
  EXPECT_EQ(FieldsOf(ValidateAdjustment({{"delta", 1.5}, {"reason", "x"}})),
            (std::vector<std::string>{"delta"}));
  EXPECT_EQ(FieldsOf(ValidateAdjustment({{"quantity", 1}, {"reason", "x"}})),
            (std::vector<std::string>{"quantity", "delta"}));
  EXPECT_EQ(FieldsOf(ValidateAdjustment({{"delta", 2}})), (std::vector<std::string>{"reason"}));
}

TEST(ParseItemLookup, ReadsCommaSeparatedIdsInOrderOnce) {
  const auto ids = ParseItemLookup({{"product_id", kTable + "," + kChair + "," + kTable}});
  EXPECT_EQ(std::get<std::vector<std::string>>(ids), (std::vector<std::string>{kTable, kChair}));
  std::string upper = kChair;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(std::get<std::vector<std::string>>(ParseItemLookup({{"product_id", upper}})),
            (std::vector<std::string>{kChair}));
}

TEST(ParseItemLookup, RefusesMissingBadTooManyAndUnknownParameters) {
  EXPECT_EQ(ProblemsOf(ParseItemLookup({})), (Problems{{"product_id", "is required"}}));
  EXPECT_EQ(ProblemsOf(ParseItemLookup({{"product_id", ""}})),
            (Problems{{"product_id", "id 1 is not a UUID"}}));
  EXPECT_EQ(ProblemsOf(ParseItemLookup({{"product_id", kChair + ",,"}})),
            (Problems{{"product_id", "id 2 is not a UUID"}}));
  EXPECT_EQ(ProblemsOf(ParseItemLookup({{"product_id", kChair + ",42"}})),
            (Problems{{"product_id", "id 2 is not a UUID"}}));
  EXPECT_EQ(FieldsOf(ParseItemLookup({{"product_id", kChair}, {"product_id", kTable}})),
            (std::vector<std::string>{"product_id"}));
  EXPECT_EQ(ProblemsOf(ParseItemLookup({{"product_id", kChair}, {"limit", "5"}})),
            (Problems{{"limit", "is not a known query parameter"}}));
  EXPECT_EQ(FieldsOf(ParseItemLookup({{"id", kChair}})), (std::vector<std::string>{"id", "product_id"}));

  std::string list;
  for (int i = 0; i <= static_cast<int>(kMaxLookupIds); ++i) {
    char suffix[13];
    std::snprintf(suffix, sizeof suffix, "%012d", i);
    if (!list.empty()) list += ",";
    list += "a0000000-0000-4000-8000-" + std::string(suffix);
  }
  EXPECT_EQ(ProblemsOf(ParseItemLookup({{"product_id", list}})),
            (Problems{{"product_id", "names more than 100 products"}}));
  list = list.substr(0, list.rfind(','));
  EXPECT_EQ(std::get<std::vector<std::string>>(ParseItemLookup({{"product_id", list}})).size(),
            kMaxLookupIds);
}

TEST(ParseMovementsQuery, ReadsLimitAndCursor) {
  EXPECT_EQ(std::get<MovementsQuery>(ParseMovementsQuery({})), (MovementsQuery{20, std::nullopt}));
  EXPECT_EQ(
      std::get<MovementsQuery>(ParseMovementsQuery({{"limit", "100"}, {"cursor", MovementsCursor(77)}})),
      (MovementsQuery{100, 77}));
  EXPECT_EQ(std::get<MovementsQuery>(ParseMovementsQuery({{"limit", "1"}})).limit, 1);
}

TEST(ParseMovementsQuery, RefusesBadValuesRepeatsAndUnknownParameters) {
  for (const char* limit : {"0", "101", "-1", "", "ten", "1.5", "99999999999999999999"}) {
    EXPECT_EQ(ProblemsOf(ParseMovementsQuery({{"limit", limit}})),
              (Problems{{"limit", "must be an integer from 1 to 100"}}))
        << limit;
  }
  for (const char* cursor : {"0", "", "abc", "-5", "99999999999999999999"}) {
    EXPECT_EQ(FieldsOf(ParseMovementsQuery({{"cursor", cursor}})), (std::vector<std::string>{"cursor"}))
        << cursor;
  }
  EXPECT_EQ(FieldsOf(ParseMovementsQuery({{"limit", "5"}, {"limit", "6"}, {"sort", "x"}})),
            (std::vector<std::string>{"limit", "sort"}));
}

}  // namespace
}  // namespace microstore::stock::api
