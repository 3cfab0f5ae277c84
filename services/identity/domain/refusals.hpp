#pragma once

#include <string>
#include <variant>

#include "platform/core/field_error.hpp"

// The ways an identity use case can refuse, as values: a use case answers Outcome<what it made>,
// and the HTTP layer maps each Problem to a status and a stable problem code (api/routes.cpp).
// Failures of the database or the worker pool are no refusals: they stay exceptions.
namespace microstore::identity {

enum class Problem {
  kValidation,           // 422 validation-failed (with field errors)
  kEmailTaken,           // 409 email-taken
  kInvalidCredentials,   // 401 invalid-credentials: unknown e-mail or wrong password
  kAccountDisabled,      // 403 account-disabled: signing in or refreshing as a disabled user
  kInvalidRefreshToken,  // 401 invalid-refresh-token: unknown, expired, or of a revoked family
  kRefreshTokenReused,   // 401 refresh-token-reused: an already rotated token; its family is now revoked
  kTokenRevoked,         // 401 token-revoked: the access token was revoked (logout, reuse, disable)
  kTokenOfDisabledUser,  // 401 account-disabled: an access token of a user disabled since
  kUnknownSubject,       // 401 invalid-token: the token names no user of ours
  kForbidden,            // 403 forbidden
  kUserNotFound,         // 404 not-found
  kCannotDemoteSelf,     // 409 cannot-demote-self: an admin removing their own ADMIN role
  kCannotDisableSelf,    // 409 cannot-disable-self
};

struct Refusal {
  Problem problem = Problem::kValidation;
  std::string detail;             // what the client is told
  core::FieldErrors fields = {};  // kValidation: every invalid field

  bool operator==(const Refusal&) const = default;
};

template <typename T>
using Outcome = std::variant<T, Refusal>;

}  // namespace microstore::identity
