// stock's request readers (api/json.hpp), as api/routes.cpp calls them. The first line names the route:
//   restock     POST /items/{id}/restock body: Request::Json, ValidateRestock
//   adjustment  POST /items/{id}/adjustments body: Request::Json, ValidateAdjustment
//   items       GET /items query string: QueryParameters, ParseItemLookup
//   movements   GET /items/{id}/movements query string: QueryParameters, ParseMovementsQuery
// Invariants: only HttpError 400/415/422 escapes; refusals name their fields; accepted quantities,
// deltas and reasons are within the documented limits; a lookup gives 1–100 distinct canonical
// ids; a next_cursor this service writes reads back as the position it names.
#include <algorithm>
#include <variant>

#include "platform/core/ids.hpp"
#include "platform/core/text.hpp"
#include "platform/http/query.hpp"
#include "stock/api/json.hpp"
#include "stock/domain/requests.hpp"
#include "stock/domain/stock_item.hpp"
#include "support.hpp"

namespace {

namespace http = microstore::http;
namespace stock = microstore::stock;
using microstore::core::FieldErrors;
using microstore::fuzz::AllowingHttpErrors;
using microstore::fuzz::CheckProblems;
using nlohmann::json;

std::optional<json> Body(std::string_view text) {
  const http::Request request = microstore::fuzz::JsonRequest(text);
  std::optional<json> body;
  AllowingHttpErrors({400, 415, 422}, [&] { body = request.Json(); });
  return body;
}

void CheckReason(const std::string& reason) {
  const auto code_points = microstore::core::DecodeUtf8(reason);
  FUZZ_CHECK(code_points && !code_points->empty() && code_points->size() <= stock::kMaxReasonLength,
             "an accepted reason breaks the length rule");
}

void Restock(std::string_view text) {
  const auto body = Body(text);
  if (!body) return;
  auto validated = stock::api::ValidateRestock(*body);
  if (auto* problems = std::get_if<FieldErrors>(&validated)) return CheckProblems(*problems, "restock");
  const auto& restock = std::get<stock::RestockRequest>(validated);
  FUZZ_CHECK(restock.quantity >= 1 && restock.quantity <= stock::kMaxQuantity);
  CheckReason(restock.reason);
}

void Adjustment(std::string_view text) {
  const auto body = Body(text);
  if (!body) return;
  auto validated = stock::api::ValidateAdjustment(*body);
  if (auto* problems = std::get_if<FieldErrors>(&validated)) return CheckProblems(*problems, "adjustment");
  const auto& adjustment = std::get<stock::AdjustmentRequest>(validated);
  FUZZ_CHECK(adjustment.delta != 0 && adjustment.delta >= -stock::kMaxQuantity &&
             adjustment.delta <= stock::kMaxQuantity);
  CheckReason(adjustment.reason);
}

std::optional<stock::api::QueryParameters> Parameters(std::string_view query_string, bool& utf8) {
  http::Request request;
  request.target = "/api/v1/items?" + std::string(query_string);
  stock::api::QueryParameters parameters;
  if (!AllowingHttpErrors({400}, [&] { parameters = http::QueryParameters(request); })) return std::nullopt;
  utf8 = true;
  for (const auto& [name, value] : parameters) utf8 = utf8 && microstore::fuzz::IsUtf8(name);
  return parameters;
}

void Items(std::string_view query_string) {
  bool utf8 = true;
  const auto parameters = Parameters(query_string, utf8);
  if (!parameters) return;
  auto parsed = stock::api::ParseItemLookup(*parameters);
  if (auto* problems = std::get_if<FieldErrors>(&parsed)) {
    if (utf8) CheckProblems(*problems, "items");
    return;
  }
  const auto& ids = std::get<std::vector<std::string>>(parsed);
  FUZZ_CHECK(!ids.empty() && ids.size() <= stock::kMaxLookupIds);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    FUZZ_CHECK(microstore::core::CanonicalUuid(ids[i]) == ids[i], "a looked-up id not canonical");
    for (std::size_t j = 0; j < i; ++j) FUZZ_CHECK(ids[i] != ids[j], "a repeated id");
  }
}

void Movements(std::string_view query_string) {
  bool utf8 = true;
  const auto parameters = Parameters(query_string, utf8);
  if (!parameters) return;
  auto parsed = stock::api::ParseMovementsQuery(*parameters);
  if (auto* problems = std::get_if<FieldErrors>(&parsed)) {
    if (utf8) CheckProblems(*problems, "movements");
    return;
  }
  const auto& query = std::get<stock::MovementsQuery>(parsed);
  FUZZ_CHECK(query.limit >= 1 && query.limit <= 100);
  if (query.before_id) {
    FUZZ_CHECK(*query.before_id >= 1);
    auto again = stock::api::ParseMovementsQuery({{"cursor", stock::api::MovementsCursor(*query.before_id)}});
    FUZZ_CHECK(std::holds_alternative<stock::MovementsQuery>(again) &&
                   std::get<stock::MovementsQuery>(again).before_id == query.before_id,
               "a next_cursor does not read back as its position");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kRoutes[] = {"restock", "adjustment", "items", "movements"};
  const auto selected = microstore::fuzz::Select(microstore::fuzz::AsText(data, size), kRoutes);
  return microstore::fuzz::Guarded([&] {
    switch (selected.index) {
      case 0:
        return Restock(selected.rest);
      case 1:
        return Adjustment(selected.rest);
      case 2:
        return Items(selected.rest);
      case 3:
        return Movements(selected.rest);
    }
  });
}
