#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "identity/app/identity.hpp"
#include "identity/domain/errors.hpp"
#include "identity/domain/pagination.hpp"
#include "identity/domain/user.hpp"
#include "identity/domain/validation.hpp"

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

// {email, password} as strings, or the problems.
std::variant<Credentials, FieldProblems> ParseCredentials(const nlohmann::json& body);

// The credentials of an `Authorization: Basic base64(email:password)` header value; nullopt when
// it is not one (no Basic scheme, bad base64, no colon).
std::optional<Credentials> ParseBasicAuthorization(std::string_view header);

// {refresh_token} as a string, or the problem.
std::variant<std::string, FieldProblems> ParseRefreshRequest(const nlohmann::json& body);

struct ListQuery {
  std::optional<UserCursor> after;
  std::optional<std::string> email;  // normalised
  int limit = kDefaultPageSize;
};

// ?limit=1..100 (default 20), ?cursor (from next_cursor), ?email (exact, normalised).
std::variant<ListQuery, FieldProblems> ParseListQuery(const std::optional<std::string>& limit,
                                                      const std::optional<std::string>& cursor,
                                                      const std::optional<std::string>& email);

// {items: [user…], next_cursor?}
nlohmann::json UserPageJson(const UserPage& page);

}  // namespace microstore::identity::api
