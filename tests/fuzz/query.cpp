// Query strings, percent-decoding and cursors as every route reads them: http::QueryParameters,
// Request::Query, http::UnknownQueryParameters / RefuseQueryParameters, http::QueryReader (its
// integers, flags, limit and cursor), core::ParseInteger, wire::DecodeCursor, http::PercentDecode,
// core::EchoedName; and the same bytes as the headers routes check (Content-Type:
// http::IsJsonMediaType, Idempotency-Key: http::IdempotencyKey). The input is the query string.
//   - the only exception is HttpError 400 malformed-query (422 from RefuseQueryParameters);
//   - PercentDecode inverts percent-encoding, never grows the text, and leaves text without
//     escapes as it is; QueryParameters and Request::Query agree on every name's first value;
//   - an echoed name is valid UTF-8 without control characters, at most 100 bytes and "…", and
//     a short plain name is echoed as it is;
//   - QueryReader's values are within their ranges, and every parameter it does not read as
//     asked is named by one error; ParseInteger is std::from_chars restricted to its rules;
//   - a cursor that decodes encodes and decodes again to the same position.
#include <variant>

#include <charconv>

#include "platform/core/numbers.hpp"
#include "platform/http/query.hpp"
#include "platform/http/uri.hpp"
#include "support.hpp"
#include "platform/wire/fields.hpp"

namespace {

namespace http = microstore::http;
using microstore::fuzz::AllowingHttpErrors;
using microstore::fuzz::IsUtf8;

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

void CheckPercentDecode(std::string_view text) {
  for (const bool plus : {false, true}) {
    const auto decoded = http::PercentDecode(text, plus);
    if (decoded) FUZZ_CHECK(decoded->size() <= text.size(), "decoding made the text longer");
    if (text.find('%') == std::string_view::npos && (!plus || text.find('+') == std::string_view::npos)) {
      FUZZ_CHECK(decoded && *decoded == text, "text without escapes changed");
    }
    const auto round_trip = http::PercentDecode(PercentEncode(text), plus);
    FUZZ_CHECK(round_trip && *round_trip == text, "decoding does not invert encoding");
  }
}

void CheckEchoedName(std::string_view name) {
  const std::string echoed = microstore::core::EchoedName(name);
  FUZZ_CHECK(IsUtf8(echoed), "an echoed name is not UTF-8");
  for (const char c : echoed) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F, "a control echoed");
  FUZZ_CHECK(echoed.size() <= microstore::core::kMaxEchoedNameBytes + std::string_view("…").size());
  bool plain = IsUtf8(name) && name.size() <= microstore::core::kMaxEchoedNameBytes;
  for (const char c : name) plain = plain && static_cast<unsigned char>(c) >= 0x20 && c != 0x7F;
  if (plain && name.find("\xC2") == std::string_view::npos) FUZZ_CHECK(echoed == name, "a plain name changed");
}

// ParseInteger's rules, from their description: ASCII digits with an optional leading '-', at
// most 20 characters, within [min, max].
std::optional<std::int64_t> ReferenceInteger(std::string_view text, std::int64_t min, std::int64_t max) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  const std::string_view digits = text.front() == '-' ? text.substr(1) : text;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) return std::nullopt;
  return value;
}

void CheckReader(const std::vector<std::pair<std::string, std::string>>& parameters) {
  http::QueryReader reader(parameters, {"limit", "cursor", "n", "flag", "q"});
  const std::size_t limit = reader.Limit();
  FUZZ_CHECK(limit >= 1 && limit <= http::kMaxPageLimit);
  const auto n = reader.Integer("n", -5, 1'000'000);
  if (n) FUZZ_CHECK(*n >= -5 && *n <= 1'000'000);
  (void)reader.Flag("flag");
  const auto cursor = reader.Cursor([](std::string_view text) { return microstore::wire::DecodeCursor(text); });
  if (cursor) {
    const auto again = microstore::wire::DecodeCursor(microstore::wire::EncodeCursor(*cursor));
    FUZZ_CHECK(again && *again == *cursor, "a cursor does not survive encoding again");
  }
  for (const auto& error : reader.errors()) {
    FUZZ_CHECK(IsUtf8(error.field) && IsUtf8(error.message) && !error.message.empty());
  }
  // Every parameter is read as asked, or an error names it (q is known and never read).
  for (const auto& parameter : parameters) {
    const std::string& name = parameter.first;
    const std::string& value = parameter.second;
    const bool named = std::any_of(reader.errors().begin(), reader.errors().end(), [&](const auto& error) {
      return error.field == name || error.field == microstore::core::EchoedName(name);
    });
    std::size_t times = 0;
    for (const auto& other : parameters) times += other.first == name;
    const bool known = name == "limit" || name == "cursor" || name == "n" || name == "flag" || name == "q";
    if (!known || times > 1) FUZZ_CHECK(named, "an unknown or repeated parameter not named: " + name);
    if (known && times == 1 && name == "limit") {
      FUZZ_CHECK(named == !ReferenceInteger(value, 1, http::kMaxPageLimit), "limit judged unlike ParseInteger");
    }
  }
  try {
    reader.ThrowIfInvalid();
    FUZZ_CHECK(reader.errors().empty());
  } catch (const http::HttpError& e) {
    FUZZ_CHECK(e.status() == 422 && !reader.errors().empty());
  }
}

void CheckParseInteger(std::string_view text) {
  for (const auto& [min, max] : {std::pair<std::int64_t, std::int64_t>{INT64_MIN, INT64_MAX}, {1, 100}, {-5, 5}}) {
    FUZZ_CHECK(microstore::core::ParseInteger(text, min, max) == ReferenceInteger(text, min, max),
               "ParseInteger disagrees with its rules on " + std::string(text));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query = microstore::fuzz::AsText(data, size);
  return microstore::fuzz::Guarded([&] {
    CheckPercentDecode(query);

    http::Request request;
    request.target = "/api/v1/things?" + std::string(query);
    FUZZ_CHECK(request.QueryString() == query && request.Path() == "/api/v1/things");

    std::vector<std::pair<std::string, std::string>> parameters;
    const bool well_formed = AllowingHttpErrors({400}, [&] { parameters = http::QueryParameters(request); });
    if (well_formed) {
      for (const auto& [name, value] : parameters) {
        if (name.empty()) continue;  // Request::Query also sees the empty pairs that QueryParameters skips
        std::optional<std::string> first;
        for (const auto& [other, other_value] : parameters) {
          if (other == name) {
            first = other_value;
            break;
          }
        }
        FUZZ_CHECK(request.Query(name) == first, "Request::Query and QueryParameters disagree on " + name);
      }
      const auto unknown = http::UnknownQueryParameters(request);
      FUZZ_CHECK(unknown.size() == parameters.size());
      for (std::size_t i = 0; i < unknown.size(); ++i) {
        FUZZ_CHECK(unknown[i].field == microstore::core::EchoedName(parameters[i].first));
        CheckEchoedName(parameters[i].first);
      }
    }
    if (well_formed) CheckReader(parameters);
    AllowingHttpErrors({400, 422}, [&] { http::RefuseQueryParameters(request); });
    AllowingHttpErrors({400}, [&] { (void)request.Query("cursor"); });

    CheckEchoedName(query);
    CheckParseInteger(query);
    if (const auto cursor = microstore::wire::DecodeCursor(query)) {
      FUZZ_CHECK(microstore::wire::DecodeCursor(microstore::wire::EncodeCursor(*cursor)) == cursor);
    }

    // The same bytes as an Idempotency-Key header.
    http::Request keyed;
    keyed.headers.Add("Idempotency-Key", std::string(query));
    const auto key = http::IdempotencyKey(keyed);
    if (const auto* accepted = std::get_if<std::string>(&key)) {
      FUZZ_CHECK(*accepted == query && !query.empty() && query.size() <= http::kMaxIdempotencyKeyBytes);
      for (const char c : query) FUZZ_CHECK(c >= 0x20 && c <= 0x7E, "a key with a byte that is not printable ASCII");
    }
    FUZZ_CHECK(std::holds_alternative<http::FieldError>(http::IdempotencyKey(http::Request{})), "no key accepted");

    // The same bytes as a Content-Type value.
    if (http::IsJsonMediaType(query)) {
      std::string type(query.substr(0, query.find(';')));
      while (!type.empty() && type.back() == ' ') type.pop_back();
      FUZZ_CHECK(type.size() >= 5 && microstore::core::EqualsIgnoreCase(type.substr(type.size() - 4), "json"));
    }
  });
}
