#pragma once

#include <stdexcept>
#include <string>
#include <vector>

// The ways an identity operation can be refused. The use cases throw IdentityError; the HTTP
// layer maps each Problem to a status and a stable problem code (api/routes.cpp).
namespace microstore::identity {

enum class Problem {
  kValidation,           // 422 validation-failed (with field problems)
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

// One invalid input field: `field` is its JSON name, `message` what is wrong with it.
struct FieldProblem {
  std::string field;
  std::string message;

  bool operator==(const FieldProblem&) const = default;
};
using FieldProblems = std::vector<FieldProblem>;

class IdentityError : public std::runtime_error {
 public:
  IdentityError(Problem problem, std::string detail, FieldProblems fields = {})
      : std::runtime_error(std::move(detail)), problem_(problem), fields_(std::move(fields)) {}

  Problem problem() const { return problem_; }
  const FieldProblems& fields() const { return fields_; }

 private:
  Problem problem_;
  FieldProblems fields_;
};

}  // namespace microstore::identity
