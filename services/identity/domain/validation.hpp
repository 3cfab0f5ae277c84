#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "identity/domain/user.hpp"
#include "platform/core/field_error.hpp"

// Input rules for accounts and profiles. Each check returns the normalised value or a message
// fit for a core::FieldError; the composite validations report every broken rule at once.
namespace microstore::identity {

inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr std::size_t kMaxEmailLocalBytes = 64;
inline constexpr std::size_t kMinPasswordChars = 10;
inline constexpr std::size_t kMaxPasswordChars = 128;
inline constexpr std::size_t kMaxNameChars = 100;
// The local part of the e-mail must not appear in the password once it is this long.
inline constexpr std::size_t kMinLocalPartInPassword = 3;

// A normalised value, or why the input was refused.
template <typename T>
struct Checked {
  std::optional<T> value;
  std::string problem;  // set when value is empty

  static Checked Ok(T v) { return {std::move(v), {}}; }
  static Checked Refused(std::string why) { return {std::nullopt, std::move(why)}; }
  explicit operator bool() const { return value.has_value(); }
};

// Trimmed (ASCII white space) and lower-cased; at most 254 bytes; `local@domain` with an
// unquoted ASCII local part (letters, digits, !#$%&'*+/=?^_`{|}~- and single inner dots, at most
// 64 bytes) and a domain of at least two dot-separated labels (letters, digits, inner hyphens,
// at most 63 each; the last not all digits).
Checked<std::string> NormalizeEmail(std::string_view text);

// Every rule `password` breaks, as messages (empty when acceptable): 10–128 characters (Unicode
// code points), at least one letter (Latin, Greek or Cyrillic) and one digit, no control
// characters, valid UTF-8, and not containing the local part of `normalized_email` (compared
// case-insensitively) when that part has at least 3 characters. `normalized_email` may be empty.
std::vector<std::string> PasswordProblems(std::string_view password, std::string_view normalized_email);

// Trimmed (ASCII white space); 1–100 characters; valid UTF-8 without control characters.
Checked<std::string> NormalizeName(std::string_view text);

// Spaces, hyphens, dots and parentheses are dropped; what remains must be "+" and 7–15 digits,
// the first not 0 (E.164): "+7 (999) 123-45-67" → "+79991234567".
Checked<std::string> NormalizePhone(std::string_view text);

// Channel names to channels: distinct, in enum order; at least one. Problems name the element
// ("channels[1]") or the list ("channels").
std::variant<std::vector<Channel>, core::FieldErrors> ParseChannels(const std::vector<std::string>& names);

// What a registration request carries; nullopt = absent. `rejected` holds problems found while
// decoding the request (a field of the wrong JSON type): they are reported with the rest, and a
// field named there is not also reported as missing.
struct RegistrationInput {
  core::FieldErrors rejected;
  std::optional<std::string> email;
  std::optional<std::string> password;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> phone;                  // absent or null: no phone
  std::optional<std::vector<std::string>> channels;  // absent: ["EMAIL"]
};

struct Registration {
  std::string email;  // normalised
  std::string password;
  Profile profile;
};

// The registration, or every problem of the input (missing required fields included; SMS
// without a phone is refused).
std::variant<Registration, core::FieldErrors> ValidateRegistration(const RegistrationInput& input);

// A partial profile update; nullopt = leave unchanged. phone: an inner nullopt removes it.
// `rejected`: problems found while decoding the request, reported with the rest.
struct ProfilePatch {
  core::FieldErrors rejected;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::optional<std::string>> phone;
  std::optional<std::vector<std::string>> channels;
};

// `current` with `patch` applied, or every problem of the patch (including a result that
// keeps SMS without a phone).
std::variant<Profile, core::FieldErrors> ApplyProfilePatch(const Profile& current, const ProfilePatch& patch);

}  // namespace microstore::identity
