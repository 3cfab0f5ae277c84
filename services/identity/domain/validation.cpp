#include "identity/domain/validation.hpp"

#include <algorithm>

#include "platform/core/text.hpp"

namespace microstore::identity {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return AsciiLower(c); });
  return out;
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Letters of the Latin, Greek and Cyrillic scripts: enough for the store's customers without
// pulling in a Unicode database.
bool IsLetter(char32_t c) {
  if (IsAsciiLetter(c)) return true;
  if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;
  if (c >= 0x370 && c <= 0x3FF) return c != 0x37E && c != 0x387;
  if (c >= 0x400 && c <= 0x52F) return !(c >= 0x482 && c <= 0x489);
  return c >= 0x1E00 && c <= 0x1EFF;
}

bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

bool ValidLocalPart(std::string_view local) {
  if (local.empty() || local.size() > kMaxEmailLocalBytes) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  for (std::size_t i = 0; i < local.size(); ++i) {
    if (local[i] == '.') {
      if (local[i + 1] == '.') return false;  // i + 1 exists: the last byte is not a dot
    } else if (!IsAtext(local[i])) {
      return false;
    }
  }
  return true;
}

bool ValidDomain(std::string_view domain) {
  int labels = 0;
  bool last_all_digits = false;
  while (true) {
    const std::size_t dot = domain.find('.');
    const std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    last_all_digits = true;
    for (char c : label) {
      const bool digit = c >= '0' && c <= '9';
      if (!digit && !(c >= 'a' && c <= 'z') && c != '-') return false;
      last_all_digits = last_all_digits && digit;
    }
    ++labels;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return labels >= 2 && !last_all_digits;
}

}  // namespace

Checked<std::string> NormalizeEmail(std::string_view text) {
  const std::string email = AsciiLower(Trim(text));
  if (email.empty()) return Checked<std::string>::Refused("must not be empty");
  if (email.size() > kMaxEmailBytes) return Checked<std::string>::Refused("must be at most 254 bytes");
  const std::size_t at = email.find('@');
  if (at == std::string::npos || email.find('@', at + 1) != std::string::npos ||
      !ValidLocalPart(std::string_view(email).substr(0, at)) ||
      !ValidDomain(std::string_view(email).substr(at + 1))) {
    return Checked<std::string>::Refused("is not an e-mail address");
  }
  return Checked<std::string>::Ok(email);
}

std::vector<std::string> PasswordProblems(std::string_view password, std::string_view normalized_email) {
  const auto decoded = core::DecodeUtf8(password);
  if (!decoded) return {"must be valid UTF-8"};
  std::vector<std::string> problems;
  if (decoded->size() < kMinPasswordChars) problems.emplace_back("must be at least 10 characters long");
  if (decoded->size() > kMaxPasswordChars) problems.emplace_back("must be at most 128 characters long");
  if (std::none_of(decoded->begin(), decoded->end(), IsLetter)) {
    problems.emplace_back("must contain at least one letter");
  }
  if (std::none_of(decoded->begin(), decoded->end(), IsAsciiDigit)) {
    problems.emplace_back("must contain at least one digit");
  }
  if (std::any_of(decoded->begin(), decoded->end(), IsControl)) {
    problems.emplace_back("must not contain control characters");
  }
  const std::string_view local = normalized_email.substr(0, normalized_email.find('@'));
  if (local.size() >= kMinLocalPartInPassword && AsciiLower(password).find(local) != std::string::npos) {
    problems.emplace_back("must not contain the e-mail address's local part");
  }
  return problems;
}

Checked<std::string> NormalizeName(std::string_view text) {
  const std::string_view name = Trim(text);
  const auto decoded = core::DecodeUtf8(name);
  if (!decoded) return Checked<std::string>::Refused("must be valid UTF-8");
  if (decoded->empty()) return Checked<std::string>::Refused("must not be empty");
  if (decoded->size() > kMaxNameChars)
    return Checked<std::string>::Refused("must be at most 100 characters long");
  if (std::any_of(decoded->begin(), decoded->end(), IsControl)) {
    return Checked<std::string>::Refused("must not contain control characters");
  }
  return Checked<std::string>::Ok(std::string(name));
}

Checked<std::string> NormalizePhone(std::string_view text) {
  std::string phone;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    phone.push_back(c);
  }
  const bool shaped =
      phone.size() >= 8 && phone.size() <= 16 && phone[0] == '+' && phone[1] != '0' &&
      std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!shaped)
    return Checked<std::string>::Refused("must be '+' and 7 to 15 digits, the first not 0 (E.164)");
  return Checked<std::string>::Ok(phone);
}

std::variant<std::vector<Channel>, core::FieldErrors> ParseChannels(const std::vector<std::string>& names) {
  core::FieldErrors problems;
  bool email = false;
  bool sms = false;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto channel = ParseChannel(names[i]);
    if (!channel) {
      problems.push_back({"channels[" + std::to_string(i) + "]", "must be EMAIL or SMS"});
    } else if (*channel == Channel::kEmail) {
      email = true;
    } else {
      sms = true;
    }
  }
  if (names.empty()) problems.push_back({"channels", "must name at least one channel"});
  if (!problems.empty()) return problems;
  std::vector<Channel> channels;
  if (email) channels.push_back(Channel::kEmail);
  if (sms) channels.push_back(Channel::kSms);
  return channels;
}

namespace {

bool HasSms(const std::vector<Channel>& channels) {
  return std::find(channels.begin(), channels.end(), Channel::kSms) != channels.end();
}

bool Names(const core::FieldErrors& problems, std::string_view field) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const core::FieldError& p) { return p.field == field; });
}

void Require(const core::FieldErrors& rejected, const char* field, core::FieldErrors& problems) {
  if (!Names(rejected, field)) problems.push_back({field, "is required"});
}

void CheckName(const std::optional<std::string>& text, const char* field, bool required,
               const core::FieldErrors& rejected, std::string& out, core::FieldErrors& problems) {
  if (!text) {
    if (required) Require(rejected, field, problems);
    return;
  }
  auto name = NormalizeName(*text);
  if (name) {
    out = std::move(*name.value);
  } else {
    problems.push_back({field, name.problem});
  }
}

}  // namespace

std::variant<Registration, core::FieldErrors> ValidateRegistration(const RegistrationInput& input) {
  core::FieldErrors problems = input.rejected;
  Registration registration;
  if (!input.email) {
    Require(input.rejected, "email", problems);
  } else if (auto email = NormalizeEmail(*input.email)) {
    registration.email = std::move(*email.value);
  } else {
    problems.push_back({"email", email.problem});
  }
  if (!input.password) {
    Require(input.rejected, "password", problems);
  } else {
    for (auto& problem : PasswordProblems(*input.password, registration.email)) {
      problems.push_back({"password", std::move(problem)});
    }
    registration.password = *input.password;
  }
  CheckName(input.first_name, "first_name", true, input.rejected, registration.profile.first_name, problems);
  CheckName(input.last_name, "last_name", true, input.rejected, registration.profile.last_name, problems);
  bool phone_ok = true;
  if (input.phone) {
    if (auto phone = NormalizePhone(*input.phone)) {
      registration.profile.phone = std::move(phone.value);
    } else {
      phone_ok = false;
      problems.push_back({"phone", phone.problem});
    }
  }
  if (!input.channels) {
    registration.profile.channels = {Channel::kEmail};
  } else {
    auto channels = ParseChannels(*input.channels);
    if (auto* list = std::get_if<std::vector<Channel>>(&channels)) {
      registration.profile.channels = std::move(*list);
      if (phone_ok && !registration.profile.phone && HasSms(registration.profile.channels)) {
        problems.push_back({"channels", "SMS needs a phone number"});
      }
    } else {
      auto& more = std::get<core::FieldErrors>(channels);
      problems.insert(problems.end(), more.begin(), more.end());
    }
  }
  if (!problems.empty()) return problems;
  return registration;
}

std::variant<Profile, core::FieldErrors> ApplyProfilePatch(const Profile& current,
                                                           const ProfilePatch& patch) {
  core::FieldErrors problems = patch.rejected;
  Profile next = current;
  CheckName(patch.first_name, "first_name", false, patch.rejected, next.first_name, problems);
  CheckName(patch.last_name, "last_name", false, patch.rejected, next.last_name, problems);
  bool phone_ok = true;
  if (patch.phone) {
    if (!*patch.phone) {
      next.phone.reset();
    } else if (auto phone = NormalizePhone(**patch.phone)) {
      next.phone = std::move(phone.value);
    } else {
      phone_ok = false;
      problems.push_back({"phone", phone.problem});
    }
  }
  bool channels_ok = true;
  if (patch.channels) {
    auto channels = ParseChannels(*patch.channels);
    if (auto* list = std::get_if<std::vector<Channel>>(&channels)) {
      next.channels = std::move(*list);
    } else {
      channels_ok = false;
      auto& more = std::get<core::FieldErrors>(channels);
      problems.insert(problems.end(), more.begin(), more.end());
    }
  }
  if (phone_ok && channels_ok && !next.phone && HasSms(next.channels)) {
    // Blame the field the caller touched: removing the phone, or asking for SMS.
    problems.push_back({patch.channels ? "channels" : "phone", "SMS needs a phone number"});
  }
  if (!problems.empty()) return problems;
  return next;
}

}  // namespace microstore::identity
