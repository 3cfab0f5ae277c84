#include "platform/wire/fields.hpp"

#include "platform/core/encoding.hpp"
#include "platform/wire/json_reader.hpp"

namespace microstore::wire {

std::optional<std::int64_t> Integer(const nlohmann::json& value, std::int64_t min, std::int64_t max) {
  if (value.is_number_unsigned()) {
    const std::uint64_t number = value.get<std::uint64_t>();
    if (max < 0 || number > static_cast<std::uint64_t>(max)) return std::nullopt;
    const auto exact = static_cast<std::int64_t>(number);
    if (exact < min) return std::nullopt;
    return exact;
  }
  if (!value.is_number_integer()) return std::nullopt;
  const std::int64_t number = value.get<std::int64_t>();
  if (number < min || number > max) return std::nullopt;
  return number;
}

std::string EncodeCursor(const nlohmann::json& position) { return core::Base64UrlEncode(position.dump()); }

std::optional<nlohmann::json> DecodeCursor(std::string_view text, std::size_t max_bytes) {
  if (text.empty() || text.size() > max_bytes) return std::nullopt;
  const auto decoded = core::Base64UrlDecode(text);
  if (!decoded) return std::nullopt;
  auto read = ReadJson(*decoded, {.max_depth = 4});
  auto* position = std::get_if<nlohmann::json>(&read);
  if (!position || EncodeCursor(*position) != text) return std::nullopt;
  return std::move(*position);
}

}  // namespace microstore::wire
