// The one reader of outside JSON (wire::ReadJson) and the request body reader on top of it
// (http::Request::Json), against their documented contract:
//   - nothing but http::HttpError escapes Request::Json, and only 400 or 422 (the body is JSON-typed);
//   - a document ReadJson accepts is what nlohmann's own parser reads, holds valid UTF-8 only (so
//     a strict dump does not throw), nests at most 64 deep, and re-reads to itself after a dump;
//   - a refusal names its field in valid UTF-8 and describes itself;
//   - a refusal as malformed (syntax, range, encoding) is one nlohmann's own parser makes too.
#include <nlohmann/json.hpp>

#include <variant>

#include "support.hpp"
#include "platform/wire/json_reader.hpp"

namespace {

using microstore::fuzz::IsUtf8;
using nlohmann::json;
namespace wire = microstore::wire;

std::size_t Depth(const json& value) {
  std::size_t deepest = 0;
  if (value.is_structured()) {
    for (const auto& child : value) deepest = std::max(deepest, Depth(child));
    return deepest + 1;
  }
  return 0;
}

void CheckAccepted(std::string_view text, const json& document) {
  FUZZ_CHECK(Depth(document) <= wire::JsonLimits{}.max_depth);
  std::string dumped;
  try {
    dumped = document.dump();  // strict: throws on invalid UTF-8
  } catch (const json::exception& e) {
    microstore::fuzz::Fail("an accepted document does not dump", e.what());
  }
  auto again = wire::ReadJson(dumped);
  FUZZ_CHECK(std::holds_alternative<json>(again), "the dump of an accepted document is refused: " +
                                                      std::get<wire::JsonDefect>(again).Describe());
  FUZZ_CHECK(std::get<json>(again) == document, "the dump re-reads to another document");
  // nlohmann's own parser agrees on what the text means (it keeps the last of repeated names,
  // but ReadJson accepted none).
  const json plain = json::parse(text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!plain.is_discarded(), "nlohmann refuses what ReadJson accepts");
  FUZZ_CHECK(plain == document, "nlohmann reads another document");
}

void CheckRefused(std::string_view text, const wire::JsonDefect& defect) {
  FUZZ_CHECK(IsUtf8(defect.field), "the field of a defect is not UTF-8");
  FUZZ_CHECK(!defect.message.empty() && IsUtf8(defect.message), "the message of a defect is empty or not UTF-8");
  const std::string described = defect.Describe();
  FUZZ_CHECK(IsUtf8(described));
  if (defect.kind == wire::JsonDefect::Kind::kSyntax) {
    FUZZ_CHECK(defect.byte <= text.size() + 1, "a syntax error past the end of the text");
  }
  // Syntax, range and encoding defects are nlohmann's own refusals, passed on; repeated names and
  // depth are the strict rules (the rest of the text may be JSON that nlohmann accepts).
  if (defect.kind != wire::JsonDefect::Kind::kDuplicateName && defect.kind != wire::JsonDefect::Kind::kTooDeep) {
    const json plain = json::parse(text, nullptr, /*allow_exceptions=*/false);
    FUZZ_CHECK(plain.is_discarded(), "ReadJson refuses as malformed what nlohmann accepts: " + described);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = microstore::fuzz::AsText(data, size);
  return microstore::fuzz::Guarded([&] {
    auto read = wire::ReadJson(text);
    if (const auto* document = std::get_if<json>(&read)) {
      CheckAccepted(text, *document);
    } else {
      CheckRefused(text, std::get<wire::JsonDefect>(read));
    }

    // The same text as a request body: Request::Json answers the same, as a document or an HttpError.
    const microstore::http::Request request = microstore::fuzz::JsonRequest(text);
    json body;
    const bool parsed = microstore::fuzz::AllowingHttpErrors({400, 422}, [&] { body = request.Json(); });
    FUZZ_CHECK(parsed == std::holds_alternative<json>(read), "Request::Json and ReadJson disagree");
    if (parsed) FUZZ_CHECK(body == std::get<json>(read));
  });
}
