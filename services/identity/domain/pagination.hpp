#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Keyset pagination of users by (created_at, id): the cursor names the last user of a page.
namespace microstore::identity {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

struct UserCursor {
  std::int64_t created_at_ms = 0;  // milliseconds since the epoch
  std::string id;                  // lower-case UUID

  bool operator==(const UserCursor&) const = default;
};

// Opaque text for `next_cursor` (base64url).
std::string EncodeCursor(const UserCursor& cursor);
// nullopt for anything EncodeCursor did not produce.
std::optional<UserCursor> DecodeCursor(std::string_view text);

}  // namespace microstore::identity
