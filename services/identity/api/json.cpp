#include "identity/api/json.hpp"

#include <cctype>
#include <charconv>

#include "platform/core/encoding.hpp"
#include "platform/core/text.hpp"

namespace microstore::identity::api {
namespace {

using nlohmann::json;

bool Names(const FieldProblems& problems, std::string_view field) {
  for (const auto& problem : problems) {
    if (problem.field == field) return true;
  }
  return false;
}

std::optional<std::string> StringField(const json& body, const char* name, FieldProblems& rejected) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    rejected.push_back({name, "must be a string"});
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::vector<std::string>> StringList(const json& body, const char* name,
                                                   FieldProblems& rejected) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) {
    rejected.push_back({name, "must be an array of strings"});
    return std::nullopt;
  }
  std::vector<std::string> values;
  bool ok = true;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& item = (*it)[i];
    if (!item.is_string()) {
      rejected.push_back({std::string(name) + "[" + std::to_string(i) + "]", "must be a string"});
      ok = false;
    } else {
      values.push_back(item.get<std::string>());
    }
  }
  if (!ok) return std::nullopt;
  return values;
}

}  // namespace

json UserJson(const User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"first_name", user.profile.first_name},
          {"last_name", user.profile.last_name},
          {"phone", user.profile.phone ? json(*user.profile.phone) : json(nullptr)},
          {"channels", ToStrings(user.profile.channels)},
          {"roles", user.roles.ToStrings()},
          {"disabled", user.disabled},
          {"created_at", core::FormatRfc3339Utc(user.created_at)},
          {"updated_at", core::FormatRfc3339Utc(user.updated_at)},
          {"version", user.version}};
}

json TokenPairJson(const TokenPair& pair) {
  return {{"access_token", pair.access_token},
          {"token_type", "Bearer"},
          {"expires_in", pair.expires_in.count()},
          {"refresh_token", pair.refresh_token},
          {"refresh_expires_in", pair.refresh_expires_in.count()}};
}

RegistrationInput ParseRegistration(const json& body) {
  RegistrationInput input;
  input.email = StringField(body, "email", input.rejected);
  input.password = StringField(body, "password", input.rejected);
  input.first_name = StringField(body, "first_name", input.rejected);
  input.last_name = StringField(body, "last_name", input.rejected);
  input.phone = StringField(body, "phone", input.rejected);
  input.channels = StringList(body, "channels", input.rejected);
  return input;
}

ProfilePatch ParseProfilePatch(const json& body) {
  ProfilePatch patch;
  for (const char* fixed : {"email", "password"}) {
    if (body.contains(fixed)) patch.rejected.push_back({fixed, "cannot be changed here"});
  }
  patch.first_name = StringField(body, "first_name", patch.rejected);
  patch.last_name = StringField(body, "last_name", patch.rejected);
  if (const auto it = body.find("phone"); it != body.end()) {
    if (it->is_null()) {
      patch.phone = std::optional<std::string>();
    } else if (it->is_string()) {
      patch.phone = it->get<std::string>();
    } else {
      patch.rejected.push_back({"phone", "must be a string or null"});
    }
  }
  patch.channels = StringList(body, "channels", patch.rejected);
  return patch;
}

std::variant<Credentials, FieldProblems> ParseCredentials(const json& body) {
  FieldProblems problems;
  auto email = StringField(body, "email", problems);
  auto password = StringField(body, "password", problems);
  if (!email && !Names(problems, "email")) problems.push_back({"email", "is required"});
  if (!password && !Names(problems, "password")) problems.push_back({"password", "is required"});
  if (!problems.empty()) return problems;
  return Credentials{std::move(*email), std::move(*password)};
}

std::optional<Credentials> ParseBasicAuthorization(std::string_view header) {
  const std::size_t space = header.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string scheme(header.substr(0, space));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "basic") return std::nullopt;
  std::string encoded(header.substr(space + 1));
  while (!encoded.empty() && encoded.front() == ' ') encoded.erase(encoded.begin());
  while (!encoded.empty() && encoded.back() == ' ') encoded.pop_back();
  // Standard base64 differs from base64url only in two characters.
  for (char& c : encoded) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    } else if (c == '-' || c == '_') {
      return std::nullopt;
    }
  }
  const auto decoded = core::Base64UrlDecode(encoded);
  if (!decoded) return std::nullopt;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

std::variant<std::string, FieldProblems> ParseRefreshRequest(const json& body) {
  FieldProblems problems;
  auto token = StringField(body, "refresh_token", problems);
  if (!problems.empty()) return problems;
  if (!token) return FieldProblems{{"refresh_token", "is required"}};
  return std::move(*token);
}

std::variant<ListQuery, FieldProblems> ParseListQuery(const std::optional<std::string>& limit,
                                                      const std::optional<std::string>& cursor,
                                                      const std::optional<std::string>& email) {
  ListQuery query;
  FieldProblems problems;
  if (limit) {
    int value = 0;
    const char* end = limit->data() + limit->size();
    const auto [stop, ec] = std::from_chars(limit->data(), end, value);
    if (limit->empty() || ec != std::errc() || stop != end || value < 1 || value > kMaxPageSize) {
      problems.push_back({"limit", "must be a whole number from 1 to 100"});
    } else {
      query.limit = value;
    }
  }
  if (cursor) {
    query.after = DecodeCursor(*cursor);
    if (!query.after) problems.push_back({"cursor", "is not a cursor this service issued"});
  }
  if (email) {
    auto normalized = NormalizeEmail(*email);
    if (normalized) {
      query.email = std::move(normalized.value);
    } else {
      problems.push_back({"email", normalized.problem});
    }
  }
  if (!problems.empty()) return problems;
  return query;
}

json UserPageJson(const UserPage& page) {
  json items = json::array();
  for (const auto& user : page.items) items.push_back(UserJson(user));
  json body = {{"items", std::move(items)}};
  if (page.next_cursor) body["next_cursor"] = *page.next_cursor;
  return body;
}

}  // namespace microstore::identity::api
