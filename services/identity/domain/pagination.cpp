#include "identity/domain/pagination.hpp"

#include <charconv>

#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"
#include "identity/domain/validation.hpp"

namespace microstore::identity {

std::string EncodeCursor(const UserCursor& cursor) {
  return core::Base64UrlEncode(std::to_string(cursor.created_at_ms) + "/" + cursor.id);
}

std::optional<UserCursor> DecodeCursor(std::string_view text) {
  if (text.size() > 128) return std::nullopt;
  const auto raw = core::Base64UrlDecode(text);
  if (!raw) return std::nullopt;
  const std::size_t slash = raw->find('/');
  if (slash == std::string::npos) return std::nullopt;
  UserCursor cursor;
  const char* begin = raw->data();
  const char* end = raw->data() + slash;
  const auto [stop, ec] = std::from_chars(begin, end, cursor.created_at_ms);
  if (ec != std::errc() || stop != end || cursor.created_at_ms < 0) return std::nullopt;
  auto id = core::CanonicalUuid(std::string_view(*raw).substr(slash + 1));
  if (!id) return std::nullopt;
  cursor.id = std::move(*id);
  // Only the spelling EncodeCursor writes (no upper-case id, no leading zeros, no other base64).
  if (EncodeCursor(cursor) != text) return std::nullopt;
  return cursor;
}

}  // namespace microstore::identity
