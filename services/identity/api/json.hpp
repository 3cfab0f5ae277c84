#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "identity/app/sessions.hpp"
#include "identity/app/users.hpp"
#include "identity/domain/user.hpp"
#include "identity/domain/validation.hpp"
#include "platform/core/field_error.hpp"
#include "platform/http/query.hpp"

// JSON ↔ domain for identity's HTTP API. Pure: no I/O, so every mapping is unit-tested.
namespace microstore::identity::api {

// {id, email, first_name, last_name, phone (null when none), channels, roles, disabled,
//  created_at, updated_at, version}. Never the password hash.
nlohmann::json UserJson(const User& user);

// {access_token, token_type "Bearer", expires_in, refresh_token, refresh_expires_in} (seconds).
nlohmann::json TokenPairJson(const TokenPair& pair);

// The fields of a registration body (an object); fields of the wrong type go to `rejected`.
RegistrationInput ParseRegistration(const nlohmann::json& body);

// The fields of a profile patch (an object); `phone: null` removes the phone; email and password
// are refused ("cannot be changed here"); unknown fields are ignored.
ProfilePatch ParseProfilePatch(const nlohmann::json& body);

struct Credentials {
  std::string email;
  std::string password;
};

// {email, password} as strings, or the errors.
std::variant<Credentials, core::FieldErrors> ParseCredentials(const nlohmann::json& body);

// The credentials of an `Authorization: Basic base64(email:password)` header value; nullopt when
// it is not one (no Basic scheme, bad base64, no colon).
std::optional<Credentials> ParseBasicAuthorization(std::string_view header);

// {refresh_token} as a string, or the error.
std::variant<std::string, core::FieldErrors> ParseRefreshRequest(const nlohmann::json& body);

// The user listing's opaque next_cursor (wire::EncodeCursor of the position), and back: nullopt
// for any text EncodeUserCursor did not write.
std::string EncodeUserCursor(const UserCursor& cursor);
std::optional<UserCursor> DecodeUserCursor(std::string_view text);

struct ListQuery {
  std::optional<UserCursor> after;
  std::optional<std::string> email;  // normalised
  std::size_t limit = http::kDefaultPageLimit;
};

// The query of GET /users (http::QueryParameters) read by http::QueryReader: ?limit (1..100,
// default 20), ?cursor (a next_cursor), ?email (exact, normalised); any other parameter, or one
// given twice, is refused too.
std::variant<ListQuery, core::FieldErrors> ParseListQuery(
    std::vector<std::pair<std::string, std::string>> parameters);

// {items: [user…], next_cursor?}
nlohmann::json UserPageJson(const UserPage& page);

}  // namespace microstore::identity::api
