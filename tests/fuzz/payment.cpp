// payment's request readers, as api/routes.cpp calls them. The first line names the route:
//   deposit       POST /accounts/me/deposits body: Request::Json, ValidateDeposit
//   key           the Idempotency-Key header: CheckIdempotencyKey
//   transactions  GET /accounts/me/transactions query string: QueryParameters, ParsePageQuery
//   cursor        a ledger cursor: DecodeCursor
// Invariants: only HttpError 400/415/422 escapes; refusals name their fields; an accepted deposit
// is 1..10^10 minor units in a three-letter currency; a cursor that decodes is one EncodeCursor
// produced, naming a position ≥ 1.
#include <algorithm>
#include <variant>

#include "payment/domain/account.hpp"
#include "payment/domain/requests.hpp"
#include "platform/http/query.hpp"
#include "support.hpp"

namespace {

namespace http = microstore::http;
namespace payment = microstore::payment;
using microstore::fuzz::AllowingHttpErrors;
using microstore::fuzz::CheckProblems;
using nlohmann::json;

void Deposit(std::string_view text) {
  const http::Request request = microstore::fuzz::JsonRequest(text);
  std::optional<json> body;
  AllowingHttpErrors({400, 415, 422}, [&] { body = request.Json(); });
  if (!body) return;
  auto validated = payment::ValidateDeposit(*body);
  if (auto* problems = std::get_if<payment::Problems>(&validated)) return CheckProblems(*problems, "deposit");
  const auto& deposit = std::get<payment::DepositRequest>(validated);
  FUZZ_CHECK(deposit.amount_minor >= payment::kMinDepositMinor && deposit.amount_minor <= payment::kMaxDepositMinor,
             "an accepted deposit out of range");
  if (deposit.currency) {
    FUZZ_CHECK(deposit.currency->size() == 3 && std::all_of(deposit.currency->begin(), deposit.currency->end(),
                                                            [](char c) { return c >= 'A' && c <= 'Z'; }));
  }
}

void Key(std::string_view header) {
  const auto problem = payment::CheckIdempotencyKey(header);
  const bool printable = std::all_of(header.begin(), header.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
  FUZZ_CHECK(problem.has_value() ==
                 (header.empty() || header.size() > payment::kMaxIdempotencyKeyLength || !printable),
             "the Idempotency-Key rule is not what the header says");
}

void CheckCursor(std::string_view text) {
  const auto position = payment::DecodeCursor(text);
  if (!position) return;
  FUZZ_CHECK(*position >= 1, "a cursor position below 1");
  FUZZ_CHECK(payment::EncodeCursor(*position) == text, "a cursor EncodeCursor did not produce was accepted");
}

void Transactions(std::string_view query_string) {
  http::Request request;
  request.target = "/api/v1/accounts/me/transactions?" + std::string(query_string);
  payment::QueryParameters parameters;
  if (!AllowingHttpErrors({400}, [&] { parameters = http::QueryParameters(request); })) return;
  auto parsed = payment::ParsePageQuery(parameters);
  if (auto* problems = std::get_if<payment::Problems>(&parsed)) return CheckProblems(*problems, "transactions");
  const auto& query = std::get<payment::PageQuery>(parsed);
  FUZZ_CHECK(query.limit >= 1 && query.limit <= payment::kMaxPageSize);
  if (query.before) FUZZ_CHECK(payment::DecodeCursor(payment::EncodeCursor(*query.before)) == query.before);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kRoutes[] = {"deposit", "key", "transactions", "cursor"};
  const auto selected = microstore::fuzz::Select(microstore::fuzz::AsText(data, size), kRoutes);
  return microstore::fuzz::Guarded([&] {
    switch (selected.index) {
      case 0: return Deposit(selected.rest);
      case 1: return Key(selected.rest);
      case 2: return Transactions(selected.rest);
      case 3: return CheckCursor(selected.rest);
    }
  });
}
