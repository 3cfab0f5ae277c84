// order's request readers (api/json.hpp), as api/routes.cpp calls them. The first line names the
// route:
//   create  POST /orders body: Request::Json, ReadCreateOrder
//   key     the Idempotency-Key header: http::IdempotencyKey
//   list    GET /orders query string: QueryParameters, ReadListQuery (its cursor, DecodeCursor)
//   cursor  a cursor: DecodeCursor
// Invariants: only HttpError 400/415/422 escapes; refusals name their fields; accepted orders
// have 1–100 lines of distinct canonical product ids and quantities 1–1000, with a fingerprint
// that depends on the lines only; a cursor that decodes is one EncodeCursor produced.
#include <algorithm>
#include <variant>

#include "order/api/json.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/query.hpp"
#include "support.hpp"

namespace {

namespace http = microstore::http;
namespace order = microstore::order;
using microstore::fuzz::AllowingHttpErrors;
using microstore::fuzz::CheckProblems;
using nlohmann::json;

void Create(std::string_view text) {
  const http::Request request = microstore::fuzz::JsonRequest(text);
  std::optional<json> body;
  AllowingHttpErrors({400, 415, 422}, [&] { body = request.Json(); });
  if (!body) return;
  auto parsed = order::api::ReadCreateOrder(*body);
  if (auto* problems = std::get_if<microstore::core::FieldErrors>(&parsed)) return CheckProblems(*problems, "create");
  const auto& lines = std::get<std::vector<order::RequestedLine>>(parsed);
  FUZZ_CHECK(!lines.empty() && lines.size() <= order::kMaxLines);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    FUZZ_CHECK(microstore::core::CanonicalUuid(lines[i].product_id) == lines[i].product_id, "a product id not canonical");
    FUZZ_CHECK(lines[i].quantity >= 1 && lines[i].quantity <= order::kMaxQuantity);
    for (std::size_t j = 0; j < i; ++j) FUZZ_CHECK(lines[j].product_id != lines[i].product_id, "a repeated product");
  }
  // The fingerprint of the same lines written again (another order of fields, other spelling of
  // the ids) is the same.
  json again = {{"items", json::array()}};
  for (const auto& line : lines) {
    std::string upper = line.product_id;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    again["items"].push_back({{"quantity", line.quantity}, {"product_id", upper}});
  }
  auto reparsed = order::api::ReadCreateOrder(again);
  FUZZ_CHECK(std::holds_alternative<std::vector<order::RequestedLine>>(reparsed), "accepted lines do not parse again");
  FUZZ_CHECK(order::RequestFingerprint(std::get<std::vector<order::RequestedLine>>(reparsed)) ==
                 order::RequestFingerprint(lines),
             "the fingerprint depends on how the lines were written");
}

void Key(std::string_view header) {
  http::Request request;
  request.headers.Set("Idempotency-Key", std::string(header));
  const auto key = http::IdempotencyKey(request);
  const auto* problem = std::get_if<http::FieldError>(&key);
  const bool printable = std::all_of(header.begin(), header.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
  FUZZ_CHECK((problem != nullptr) == (header.empty() || header.size() > http::kMaxIdempotencyKeyBytes || !printable),
             "the Idempotency-Key rule is not what the header says");
  if (problem) FUZZ_CHECK(problem->field == "Idempotency-Key");
  if (!problem) FUZZ_CHECK(std::get<std::string>(key) == header, "the key is not the header's");
  FUZZ_CHECK(std::holds_alternative<http::FieldError>(http::IdempotencyKey(http::Request())), "a missing key accepted");
}

void CheckCursor(std::string_view text) {
  const auto cursor = order::api::DecodeCursor(text);
  if (!cursor) return;
  FUZZ_CHECK(microstore::core::CanonicalUuid(cursor->id) == cursor->id, "a cursor id not canonical");
  FUZZ_CHECK(order::api::EncodeCursor(*cursor) == text, "a cursor EncodeCursor did not produce was accepted");
}

void List(std::string_view query_string) {
  http::Request request;
  request.target = "/api/v1/orders?" + std::string(query_string);
  std::vector<std::pair<std::string, std::string>> parameters;
  if (!AllowingHttpErrors({400}, [&] { parameters = http::QueryParameters(request); })) return;
  auto parsed = order::api::ReadListQuery(parameters);
  // Every name in an error is a known one or echoed (core::EchoedName): plain text whatever was sent.
  if (auto* problems = std::get_if<microstore::core::FieldErrors>(&parsed)) return CheckProblems(*problems, "list");
  const auto& query = std::get<order::OrderListQuery>(parsed);
  FUZZ_CHECK(query.limit >= 1 && query.limit <= http::kMaxPageLimit);
  for (std::size_t i = 0; i < query.statuses.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) FUZZ_CHECK(query.statuses[i] != query.statuses[j], "a repeated status");
  }
  if (query.after) FUZZ_CHECK(order::api::DecodeCursor(order::api::EncodeCursor(*query.after)) == query.after);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kRoutes[] = {"create", "key", "list", "cursor"};
  const auto selected = microstore::fuzz::Select(microstore::fuzz::AsText(data, size), kRoutes);
  return microstore::fuzz::Guarded([&] {
    switch (selected.index) {
      case 0: return Create(selected.rest);
      case 1: return Key(selected.rest);
      case 2: return List(selected.rest);
      case 3: return CheckCursor(selected.rest);
    }
  });
}
