#include "catalog/domain/validation.hpp"

#include <algorithm>
#include <array>

#include "platform/core/text.hpp"
#include "catalog/domain/utf8.hpp"

namespace microstore::catalog {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 10> kEditableFields = {
    "sku",      "name",         "description",   "photo_url", "price_minor",
    "currency", "weight_grams", "dimensions_mm", "tags",      "on_promotion"};
constexpr std::array<std::string_view, 5> kReadOnlyFields = {"id", "archived", "version", "created_at",
                                                             "updated_at"};
constexpr std::array<std::string_view, 3> kMeasures = {"length", "width", "height"};

// Echoed field names are attacker-chosen; keep them short.
constexpr std::size_t kMaxEchoedFieldBytes = 100;

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

std::string EchoedName(std::string_view name) {
  if (name.size() <= kMaxEchoedFieldBytes) return std::string(name);
  std::size_t cut = kMaxEchoedFieldBytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return std::string(name.substr(0, cut)) + "…";
}

class Validator {
 public:
  Problems problems;

  void Add(std::string field, std::string message) {
    problems.push_back({std::move(field), std::move(message)});
  }

  // The string at `field`, or nullopt after recording why it is not a usable string.
  std::optional<std::string> Text(const json& value, const std::string& field) {
    if (!value.is_string()) {
      Add(field, "must be a string");
      return std::nullopt;
    }
    return value.get<std::string>();
  }

  std::optional<std::int64_t> Integer(const json& value, const std::string& field, std::int64_t max) {
    const std::string range = "must be an integer from 0 to " + std::to_string(max);
    if (value.is_number_unsigned()) {
      const auto number = value.get<std::uint64_t>();
      if (number > static_cast<std::uint64_t>(max)) {
        Add(field, range);
        return std::nullopt;
      }
      return static_cast<std::int64_t>(number);
    }
    if (value.is_number_integer()) {
      const auto number = value.get<std::int64_t>();
      if (number < 0 || number > max) {
        Add(field, range);
        return std::nullopt;
      }
      return number;
    }
    Add(field, value.is_number() ? "must be a whole number" : "must be an integer");
    return std::nullopt;
  }

  void Sku(const json& value, std::string& out) {
    auto text = Text(value, "sku");
    if (!text) return;
    if (text->empty() || text->size() > kMaxSkuLength) {
      Add("sku", "must be 1 to 64 characters");
    } else if (!std::all_of(text->begin(), text->end(),
                            [](char c) { return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '-'; })) {
      Add("sku", "may contain only letters A-Z and a-z, digits, '.', '_' and '-'");
    } else {
      out = std::move(*text);
    }
  }

  // Checks characters of free text; `allow_line_breaks` admits tab, CR and LF.
  bool PlainText(const std::string& text, const std::string& field, bool allow_line_breaks) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      const auto c = core::NextCodePoint(text, pos);
      if (!c) {
        Add(field, "is not valid UTF-8");
        return false;
      }
      if (IsControl(*c) && !(allow_line_breaks && (*c == '\t' || *c == '\n' || *c == '\r'))) {
        Add(field, allow_line_breaks ? "must not contain control characters other than tab and line breaks"
                                     : "must not contain control characters");
        return false;
      }
    }
    return true;
  }

  void Name(const json& value, std::string& out) {
    auto text = Text(value, "name");
    if (!text) return;
    const std::size_t length = utf8::CountCodePoints(*text);
    if (length == 0 || length > kMaxNameCharacters) {
      Add("name", "must be 1 to 200 characters");
    } else if (PlainText(*text, "name", false)) {
      if (std::all_of(text->begin(), text->end(), [](char c) { return c == ' '; })) {
        Add("name", "must not be blank");
      } else {
        out = std::move(*text);
      }
    }
  }

  void Description(const json& value, std::string& out) {
    auto text = Text(value, "description");
    if (!text) return;
    if (utf8::CountCodePoints(*text) > kMaxDescriptionCharacters) {
      Add("description", "must be at most 5000 characters");
    } else if (PlainText(*text, "description", true)) {
      out = std::move(*text);
    }
  }

  void PhotoUrl(const json& value, std::optional<std::string>& out) {
    if (value.is_null()) {
      out.reset();
      return;
    }
    if (!value.is_string()) {
      Add("photo_url", "must be a string or null");
      return;
    }
    auto text = Text(value, "photo_url");
    if (!text) return;
    if (text->size() > kMaxPhotoUrlBytes) {
      Add("photo_url", "must be at most 2048 bytes");
    } else if (!IsHttpUrl(*text)) {
      Add("photo_url", "must be an absolute http or https URL");
    } else {
      out = std::move(*text);
    }
  }

  void Currency(const json& value, std::string& out) {
    auto text = Text(value, "currency");
    if (!text) return;
    if (text->size() != 3 ||
        !std::all_of(text->begin(), text->end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      Add("currency", "must be an ISO 4217 code: three upper-case letters");
    } else {
      out = std::move(*text);
    }
  }

  void Dimensions(const json& value, catalog::Dimensions& out) {
    if (!value.is_object()) {
      Add("dimensions_mm", "must be an object with length, width and height");
      return;
    }
    for (const auto& [key, _] : value.items()) {
      if (!Contains(kMeasures, key)) Add("dimensions_mm." + EchoedName(key), "is not a known field");
    }
    std::int64_t* targets[] = {&out.length, &out.width, &out.height};
    for (std::size_t i = 0; i < kMeasures.size(); ++i) {
      const std::string field = "dimensions_mm." + std::string(kMeasures[i]);
      const auto it = value.find(std::string(kMeasures[i]));
      if (it == value.end()) {
        Add(field, "is required");
      } else if (auto number = Integer(*it, field, kMaxMeasure)) {
        *targets[i] = *number;
      }
    }
  }

  void Tags(const json& value, std::vector<std::string>& out) {
    if (!value.is_array()) {
      Add("tags", "must be an array of strings");
      return;
    }
    std::vector<std::string> tags;
    bool valid = true;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string field = "tags[" + std::to_string(i) + "]";
      auto text = Text(value[i], field);
      if (!text) {
        valid = false;
        continue;
      }
      auto tag = NormalizeTag(*text);
      if (!tag) {
        Add(field, "must be 1 to 40 of a-z, 0-9 and '-'");
        valid = false;
      } else if (std::find(tags.begin(), tags.end(), *tag) == tags.end()) {
        tags.push_back(std::move(*tag));
      }
    }
    if (tags.size() > kMaxTags) {
      Add("tags", "must hold at most 20 distinct tags");
      valid = false;
    }
    if (valid) out = std::move(tags);
  }

  void Flag(const json& value, const std::string& field, bool& out) {
    if (!value.is_boolean()) {
      Add(field, "must be true or false");
      return;
    }
    out = value.get<bool>();
  }

  // Refuses the keys of `body` that are not editable fields.
  void KnownFieldsOnly(const json& body) {
    for (const auto& [key, _] : body.items()) {
      if (Contains(kEditableFields, key)) continue;
      Add(EchoedName(key), Contains(kReadOnlyFields, key) ? "is read-only" : "is not a known field");
    }
  }
};

}  // namespace

std::optional<std::string> NormalizeTag(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxTagLength) return std::nullopt;
  std::string normalized;
  normalized.reserve(tag.size());
  for (char c : tag) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return std::nullopt;
    normalized.push_back(c);
  }
  return normalized;
}

bool IsHttpUrl(std::string_view url) {
  std::size_t scheme_end = 0;
  const auto starts_with_ci = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      char c = url[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[i]) return false;
    }
    return true;
  };
  if (starts_with_ci("https://")) {
    scheme_end = 8;
  } else if (starts_with_ci("http://")) {
    scheme_end = 7;
  } else {
    return false;
  }
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;
    if (std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos) return false;
  }
  const std::string_view rest = url.substr(scheme_end);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  // No user:password@ in a photo link: it is never needed and hides the real host.
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  std::string_view host = authority;
  std::string_view port;
  if (host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!std::all_of(host.begin(), host.end(),
                     [](char c) { return IsAsciiAlnum(c) || c == ':' || c == '.'; })) {
      return false;
    }
    if (!port.empty() && port.front() != ':') return false;
  } else {
    const auto colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon);
      host = host.substr(0, colon);
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(),
                                     [](char c) { return IsAsciiAlnum(c) || c == '.' || c == '-'; })) {
      return false;
    }
  }
  if (!port.empty()) {
    port.remove_prefix(1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
  }
  return true;
}

std::variant<ProductFields, Problems> ValidateNewProduct(const json& body) {
  Validator v;
  if (!body.is_object()) {
    v.Add("", "must be a JSON object");
    return v.problems;
  }
  v.KnownFieldsOnly(body);
  ProductFields fields;
  const auto required = [&](const char* name) -> const json* {
    const auto it = body.find(name);
    if (it == body.end()) {
      v.Add(name, "is required");
      return nullptr;
    }
    return &*it;
  };
  const auto optional = [&](const char* name) -> const json* {
    const auto it = body.find(name);
    return it == body.end() ? nullptr : &*it;
  };
  if (const json* value = required("sku")) v.Sku(*value, fields.sku);
  if (const json* value = required("name")) v.Name(*value, fields.name);
  if (const json* value = optional("description")) v.Description(*value, fields.description);
  if (const json* value = optional("photo_url")) v.PhotoUrl(*value, fields.photo_url);
  if (const json* value = required("price_minor")) {
    if (auto price = v.Integer(*value, "price_minor", kMaxPriceMinor)) fields.price_minor = *price;
  }
  if (const json* value = required("currency")) v.Currency(*value, fields.currency);
  if (const json* value = optional("weight_grams")) {
    if (auto weight = v.Integer(*value, "weight_grams", kMaxMeasure)) fields.weight_grams = *weight;
  }
  if (const json* value = optional("dimensions_mm")) v.Dimensions(*value, fields.dimensions_mm);
  if (const json* value = optional("tags")) v.Tags(*value, fields.tags);
  if (const json* value = optional("on_promotion")) v.Flag(*value, "on_promotion", fields.on_promotion);
  if (!v.problems.empty()) return v.problems;
  return fields;
}

std::variant<ProductFields, Problems> ApplyPatch(const ProductFields& current, const json& patch) {
  Validator v;
  if (!patch.is_object()) {
    v.Add("", "must be a JSON object");
    return v.problems;
  }
  v.KnownFieldsOnly(patch);
  json merged = FieldsToJson(current);
  for (const auto& [key, value] : patch.items()) {
    if (!Contains(kEditableFields, key)) continue;
    if (key == "dimensions_mm" && value.is_object()) {
      for (const auto& [measure, number] : value.items()) merged[key][measure] = number;
    } else {
      merged[key] = value;
    }
  }
  auto result = ValidateNewProduct(merged);
  if (auto* problems = std::get_if<Problems>(&result)) {
    v.problems.insert(v.problems.end(), problems->begin(), problems->end());
  }
  if (!v.problems.empty()) return v.problems;
  return result;
}

}  // namespace microstore::catalog
