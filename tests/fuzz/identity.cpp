// identity's request readers, as its routes call them (api/routes.cpp): the JSON body through
// Request::Json, the query through http::QueryParameters, then the pure readers and validators
// of api/json.hpp and domain/validation.hpp.
// The first line names the route:
//   register  POST /register body        profile  PATCH /users/me body
//   signin    POST /token body           refresh  POST /token/refresh body
//   basic     an Authorization header    users    GET /users query string    cursor  a users cursor
// Invariants: only HttpError 400/415/422 escapes; refusals name their fields; what is accepted is
// normalised (normalising it again changes nothing) and obeys the documented rules; a cursor
// that decodes is one EncodeUserCursor produced.
#include <algorithm>
#include <variant>

#include "identity/api/json.hpp"
#include "identity/domain/validation.hpp"
#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/query.hpp"
#include "support.hpp"

namespace {

namespace core = microstore::core;
namespace http = microstore::http;
namespace identity = microstore::identity;
using microstore::fuzz::AllowingHttpErrors;
using microstore::fuzz::CheckProblems;
using nlohmann::json;

// What every route with a body does first: Request::Json, and an object or 400.
std::optional<json> ObjectBody(std::string_view text) {
  const http::Request request = microstore::fuzz::JsonRequest(text);
  std::optional<json> body;
  AllowingHttpErrors({400, 415, 422}, [&] { body = request.Json(); });
  if (body && !body->is_object()) return std::nullopt;  // 400 invalid-body
  return body;
}

void CheckNormalised(const identity::Profile& profile) {
  for (const std::string* name : {&profile.first_name, &profile.last_name}) {
    const auto again = identity::NormalizeName(*name);
    FUZZ_CHECK(again && *again.value == *name, "an accepted name is not normalised: " + *name);
  }
  if (profile.phone) {
    const auto again = identity::NormalizePhone(*profile.phone);
    FUZZ_CHECK(again && *again.value == *profile.phone, "an accepted phone is not normalised");
  }
  FUZZ_CHECK(!profile.channels.empty(), "a profile without channels");
  FUZZ_CHECK(std::is_sorted(profile.channels.begin(), profile.channels.end()) &&
                 std::adjacent_find(profile.channels.begin(), profile.channels.end()) == profile.channels.end(),
             "channels not distinct and in order");
  const bool sms = std::find(profile.channels.begin(), profile.channels.end(), identity::Channel::kSms) !=
                   profile.channels.end();
  FUZZ_CHECK(!sms || profile.phone, "SMS without a phone");
}

void CheckEmail(const std::string& email) {
  FUZZ_CHECK(email.size() <= identity::kMaxEmailBytes && email.find('@') != std::string::npos);
  const auto again = identity::NormalizeEmail(email);
  FUZZ_CHECK(again && *again.value == email, "an accepted e-mail is not normalised: " + email);
}

void Register(std::string_view text) {
  const auto body = ObjectBody(text);
  if (!body) return;
  auto validated = identity::ValidateRegistration(identity::api::ParseRegistration(*body));
  if (auto* problems = std::get_if<core::FieldErrors>(&validated)) return CheckProblems(*problems, "register");
  const auto& registration = std::get<identity::Registration>(validated);
  CheckEmail(registration.email);
  FUZZ_CHECK(identity::PasswordProblems(registration.password, registration.email).empty(),
             "an accepted password breaks a rule");
  CheckNormalised(registration.profile);
}

void PatchProfile(std::string_view text) {
  const auto body = ObjectBody(text);
  if (!body) return;
  const identity::Profile plain{"Ada", "Lovelace", std::nullopt, {identity::Channel::kEmail}};
  const identity::Profile with_sms{"Ada", "Lovelace", "+79991234567",
                                   {identity::Channel::kEmail, identity::Channel::kSms}};
  for (const identity::Profile* current : {&plain, &with_sms}) {
    auto patched = identity::ApplyProfilePatch(*current, identity::api::ParseProfilePatch(*body));
    if (auto* problems = std::get_if<core::FieldErrors>(&patched)) {
      CheckProblems(*problems, "profile");
      continue;
    }
    CheckNormalised(std::get<identity::Profile>(patched));
  }
}

void SignIn(std::string_view text) {
  const auto body = ObjectBody(text);
  if (!body) return;
  auto parsed = identity::api::ParseCredentials(*body);
  if (auto* problems = std::get_if<core::FieldErrors>(&parsed)) return CheckProblems(*problems, "signin");
}

void Refresh(std::string_view text) {
  const auto body = ObjectBody(text);
  if (!body) return;
  auto parsed = identity::api::ParseRefreshRequest(*body);
  if (auto* problems = std::get_if<core::FieldErrors>(&parsed)) return CheckProblems(*problems, "refresh");
}

void Basic(std::string_view header) {
  const auto credentials = identity::api::ParseBasicAuthorization(header);
  if (!credentials) return;
  FUZZ_CHECK(credentials->email.find(':') == std::string::npos, "the e-mail of Basic credentials holds a colon");
  const std::string again = "Basic " + core::Base64Encode(credentials->email + ":" + credentials->password);
  const auto reread = identity::api::ParseBasicAuthorization(again);
  FUZZ_CHECK(reread && reread->email == credentials->email && reread->password == credentials->password,
             "Basic credentials do not survive encoding again");
}

void CheckCursor(std::string_view text) {
  const auto cursor = identity::api::DecodeUserCursor(text);
  if (!cursor) return;
  FUZZ_CHECK(cursor->created_at_ms >= 0 && core::CanonicalUuid(cursor->id) == cursor->id);
  FUZZ_CHECK(identity::api::EncodeUserCursor(*cursor) == text,
             "a cursor EncodeUserCursor did not produce was accepted");
}

void ListUsers(std::string_view query) {
  http::Request request;
  request.target = "/api/v1/users?" + std::string(query);
  AllowingHttpErrors({400}, [&] {
    auto parsed = identity::api::ParseListQuery(http::QueryParameters(request));
    if (auto* problems = std::get_if<core::FieldErrors>(&parsed)) return CheckProblems(*problems, "users");
    const auto& list = std::get<identity::api::ListQuery>(parsed);
    FUZZ_CHECK(list.limit >= 1 && list.limit <= http::kMaxPageLimit);
    if (list.email) CheckEmail(*list.email);
    if (list.after) {
      FUZZ_CHECK(identity::api::DecodeUserCursor(identity::api::EncodeUserCursor(*list.after)) == list.after);
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kRoutes[] = {"register", "profile", "signin", "refresh", "basic", "users", "cursor"};
  const auto selected = microstore::fuzz::Select(microstore::fuzz::AsText(data, size), kRoutes);
  return microstore::fuzz::Guarded([&] {
    switch (selected.index) {
      case 0: return Register(selected.rest);
      case 1: return PatchProfile(selected.rest);
      case 2: return SignIn(selected.rest);
      case 3: return Refresh(selected.rest);
      case 4: return Basic(selected.rest);
      case 5: return ListUsers(selected.rest);
      case 6: return CheckCursor(selected.rest);
    }
  });
}
