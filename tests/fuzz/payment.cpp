// payment's request readers, as api/routes.cpp calls them. The first line names the route:
//   deposit       POST /accounts/me/deposits body: Request::Json, api::ReadDeposit
//   key           the Idempotency-Key header: http::IdempotencyKey
//   transactions  GET /accounts/me/transactions query string: QueryParameters, api::ReadPageQuery
//   cursor        a ledger cursor: api::LedgerPosition
// Invariants: only HttpError 400/415/422 escapes; refusals name their fields; an accepted deposit
// is 1..10^10 minor units in a three-letter currency; a cursor that decodes names a position ≥ 1,
// which LedgerCursor encodes back to a cursor naming the same position.
#include <algorithm>
#include <variant>

#include "payment/api/json.hpp"
#include "payment/domain/account.hpp"
#include "platform/http/query.hpp"
#include "support.hpp"

namespace {

namespace http = microstore::http;
namespace payment = microstore::payment;
namespace core = microstore::core;
using microstore::fuzz::AllowingHttpErrors;
using microstore::fuzz::CheckProblems;
using nlohmann::json;

void Deposit(std::string_view text) {
  const http::Request request = microstore::fuzz::JsonRequest(text);
  std::optional<json> body;
  AllowingHttpErrors({400, 415, 422}, [&] { body = request.Json(); });
  if (!body) return;
  auto validated = payment::api::ReadDeposit(*body);
  if (auto* errors = std::get_if<core::FieldErrors>(&validated)) return CheckProblems(*errors, "deposit");
  const auto& deposit = std::get<payment::DepositRequest>(validated);
  FUZZ_CHECK(
      deposit.amount_minor >= payment::kMinDepositMinor && deposit.amount_minor <= payment::kMaxDepositMinor,
      "an accepted deposit out of range");
  if (deposit.currency) {
    FUZZ_CHECK(deposit.currency->size() == 3 &&
               std::all_of(deposit.currency->begin(), deposit.currency->end(),
                           [](char c) { return c >= 'A' && c <= 'Z'; }));
  }
}

void Key(std::string_view header) {
  http::Request request;
  request.headers.Add("Idempotency-Key", std::string(header));
  const auto key = http::IdempotencyKey(request);
  const bool printable =
      std::all_of(header.begin(), header.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
  const bool refused = std::holds_alternative<core::FieldError>(key);
  FUZZ_CHECK(refused == (header.empty() || header.size() > http::kMaxIdempotencyKeyBytes || !printable),
             "the Idempotency-Key rule is not what the header says");
  if (refused) {
    CheckProblems(core::FieldErrors{std::get<core::FieldError>(key)}, "key");
  } else {
    FUZZ_CHECK(std::get<std::string>(key) == header, "an accepted Idempotency-Key is not the header's value");
  }
}

void CheckCursor(std::string_view text) {
  const auto position = payment::api::LedgerPosition(text);
  if (!position) return;
  FUZZ_CHECK(*position >= 1, "a cursor position below 1");
  FUZZ_CHECK(payment::api::LedgerPosition(payment::api::LedgerCursor(*position)) == position,
             "a cursor's position does not survive LedgerCursor");
}

void Transactions(std::string_view query_string) {
  http::Request request;
  request.target = "/api/v1/accounts/me/transactions?" + std::string(query_string);
  std::vector<std::pair<std::string, std::string>> parameters;
  if (!AllowingHttpErrors({400}, [&] { parameters = http::QueryParameters(request); })) return;
  auto parsed = payment::api::ReadPageQuery(parameters);
  if (auto* errors = std::get_if<core::FieldErrors>(&parsed)) return CheckProblems(*errors, "transactions");
  const auto& query = std::get<payment::PageQuery>(parsed);
  FUZZ_CHECK(query.limit >= 1 && query.limit <= static_cast<std::int64_t>(http::kMaxPageLimit));
  if (query.before) {
    FUZZ_CHECK(payment::api::LedgerPosition(payment::api::LedgerCursor(*query.before)) == query.before);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kRoutes[] = {"deposit", "key", "transactions", "cursor"};
  const auto selected = microstore::fuzz::Select(microstore::fuzz::AsText(data, size), kRoutes);
  return microstore::fuzz::Guarded([&] {
    switch (selected.index) {
      case 0:
        return Deposit(selected.rest);
      case 1:
        return Key(selected.rest);
      case 2:
        return Transactions(selected.rest);
      case 3:
        return CheckCursor(selected.rest);
    }
  });
}
