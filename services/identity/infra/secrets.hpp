#pragma once

#include <string>
#include <string_view>

// Refresh tokens: 32 random bytes, base64url (43 characters). Only their SHA-256 is stored.
namespace microstore::identity {

std::string NewRefreshToken();
// Lower-case hex SHA-256 of the token text: the key of the refresh_tokens table.
std::string RefreshTokenHash(std::string_view token);
// True when `token` could be one NewRefreshToken made (checked before touching the database).
bool IsWellFormedRefreshToken(std::string_view token);

}  // namespace microstore::identity
