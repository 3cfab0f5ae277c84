#include "identity/api/json.hpp"

#include <cctype>
#include <cstdint>

#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"
#include "platform/core/text.hpp"
#include "platform/wire/fields.hpp"
#include "platform/wire/json_reader.hpp"

namespace microstore::identity::api {
namespace {

using nlohmann::json;

bool Names(const core::FieldErrors& problems, std::string_view field) {
  for (const auto& problem : problems) {
    if (problem.field == field) return true;
  }
  return false;
}

std::optional<std::string> StringField(const json& body, const char* name, core::FieldErrors& rejected) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    rejected.push_back({name, "must be a string"});
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::vector<std::string>> StringList(const json& body, const char* name,
                                                   core::FieldErrors& rejected) {
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
      rejected.push_back({wire::ElementPath(name, i), "must be a string"});
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

std::variant<Credentials, core::FieldErrors> ParseCredentials(const json& body) {
  core::FieldErrors problems;
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

std::variant<std::string, core::FieldErrors> ParseRefreshRequest(const json& body) {
  core::FieldErrors problems;
  auto token = StringField(body, "refresh_token", problems);
  if (!problems.empty()) return problems;
  if (!token) return core::FieldErrors{{"refresh_token", "is required"}};
  return std::move(*token);
}

std::string EncodeUserCursor(const UserCursor& cursor) {
  return wire::EncodeCursor({{"c", cursor.created_at_ms}, {"i", cursor.id}});
}

std::optional<UserCursor> DecodeUserCursor(std::string_view text) {
  const auto position = wire::DecodeCursor(text);
  if (!position || !position->is_object() || position->size() != 2) return std::nullopt;
  const auto created_at = position->find("c");
  const auto id = position->find("i");
  if (created_at == position->end() || id == position->end() || !id->is_string()) return std::nullopt;
  const auto created_at_ms = wire::Integer(*created_at, 0, INT64_MAX);
  const std::string& id_text = id->get_ref<const std::string&>();
  // Only the id as EncodeUserCursor writes it (canonical: no upper case); wire::DecodeCursor
  // already refuses the same JSON spelled otherwise.
  if (!created_at_ms || core::CanonicalUuid(id_text) != id_text) return std::nullopt;
  return UserCursor{*created_at_ms, id_text};
}

std::variant<ListQuery, core::FieldErrors> ParseListQuery(
    std::vector<std::pair<std::string, std::string>> parameters) {
  http::QueryReader reader(std::move(parameters), {"limit", "cursor", "email"});
  ListQuery query;
  query.limit = reader.Limit();
  query.after = reader.Cursor(DecodeUserCursor);
  if (const std::string* email = reader.Find("email")) {
    auto normalized = NormalizeEmail(*email);
    if (normalized) {
      query.email = std::move(normalized.value);
    } else {
      reader.Fail("email", normalized.problem);
    }
  }
  if (!reader.errors().empty()) return reader.errors();
  return query;
}

json UserPageJson(const UserPage& page) {
  json items = json::array();
  for (const auto& user : page.items) items.push_back(UserJson(user));
  json body = {{"items", std::move(items)}};
  if (page.next) body["next_cursor"] = EncodeUserCursor(*page.next);
  return body;
}

}  // namespace microstore::identity::api
