#include "identity/infra/user_store.hpp"

#include <stdexcept>

#include "platform/core/text.hpp"
#include "platform/pg/pool.hpp"
#include "platform/pg/result.hpp"

namespace microstore::identity {
namespace {

namespace asio = boost::asio;

constexpr const char* kColumns =
    "id::text, email, first_name, last_name, phone, array_to_string(channels, ','), array_to_string(roles, "
    "','), "
    "disabled, (extract(epoch FROM created_at) * 1000)::bigint, (extract(epoch FROM updated_at) * "
    "1000)::bigint, "
    "version";

std::vector<std::string_view> Split(std::string_view text) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    parts.push_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

// A PostgreSQL array literal of closed-set names (roles, channels): they hold only [A-Z_], so
// they need no quoting. The literal still travels as a parameter.
std::string ArrayLiteral(const std::vector<std::string>& names) {
  std::string out = "{";
  for (const auto& name : names) {
    if (out.size() > 1) out += ',';
    out += name;
  }
  return out + "}";
}

Timestamp FromMillis(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

User ReadUser(const pg::Result& result, int row) {
  User user;
  user.id = result.Get<std::string>(row, 0);
  user.email = result.Get<std::string>(row, 1);
  user.profile.first_name = result.Get<std::string>(row, 2);
  user.profile.last_name = result.Get<std::string>(row, 3);
  user.profile.phone = result.Get<std::optional<std::string>>(row, 4);
  for (auto name : Split(result.Get<std::string_view>(row, 5))) {
    const auto channel = ParseChannel(name);
    if (!channel) throw std::runtime_error("users.channels holds an unknown channel");
    user.profile.channels.push_back(*channel);
  }
  for (auto name : Split(result.Get<std::string_view>(row, 6))) {
    const auto role = auth::ParseRole(name);
    if (!role) throw std::runtime_error("users.roles holds an unknown role");
    user.roles.Add(*role);
  }
  user.disabled = result.Get<bool>(row, 7);
  user.created_at = FromMillis(result.Get<std::int64_t>(row, 8));
  user.updated_at = FromMillis(result.Get<std::int64_t>(row, 9));
  user.version = result.Get<std::int64_t>(row, 10);
  return user;
}

std::optional<User> FirstUser(const pg::Result& result) {
  if (result.Rows() == 0) return std::nullopt;
  return ReadUser(result, 0);
}

}  // namespace

asio::awaitable<bool> InsertUser(pg::Transaction& transaction, User user, std::string password_hash) {
  const auto result = co_await transaction.Query(
      "INSERT INTO users (id, email, password_hash, first_name, last_name, phone, channels, roles, disabled, "
      "created_at, updated_at, version) "
      "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::text[], $8::text[], $9, $10::timestamptz, $11::timestamptz, "
      "$12) "
      "ON CONFLICT (email) DO NOTHING",
      user.id, user.email, password_hash, user.profile.first_name, user.profile.last_name, user.profile.phone,
      ArrayLiteral(ToStrings(user.profile.channels)), ArrayLiteral(user.roles.ToStrings()), user.disabled,
      core::FormatRfc3339Utc(user.created_at), core::FormatRfc3339Utc(user.updated_at), user.version);
  co_return result.AffectedRows() == 1;
}

asio::awaitable<std::optional<User>> LockUser(pg::Transaction& transaction, std::string id) {
  co_return FirstUser(co_await transaction.Query(
      std::string("SELECT ") + kColumns + " FROM users WHERE id = $1::uuid FOR NO KEY UPDATE", id));
}

asio::awaitable<std::optional<User>> LockUserByEmail(pg::Transaction& transaction, std::string email) {
  co_return FirstUser(co_await transaction.Query(
      std::string("SELECT ") + kColumns + " FROM users WHERE email = $1 FOR NO KEY UPDATE", email));
}

asio::awaitable<std::vector<User>> LockUsers(pg::Transaction& transaction, std::vector<std::string> ids) {
  const auto result = co_await transaction.Query(std::string("SELECT ") + kColumns +
                                                     " FROM users WHERE id = ANY($1::uuid[]) ORDER BY id "
                                                     "FOR NO KEY UPDATE",
                                                 ArrayLiteral(ids));
  std::vector<User> users;
  for (int row = 0; row < result.Rows(); ++row) users.push_back(ReadUser(result, row));
  co_return users;
}

asio::awaitable<void> SaveUser(pg::Transaction& transaction, User user) {
  const auto result = co_await transaction.Query(
      "UPDATE users SET first_name = $2, last_name = $3, phone = $4, channels = $5::text[], roles = "
      "$6::text[], "
      "disabled = $7, updated_at = $8::timestamptz, version = $9 WHERE id = $1::uuid",
      user.id, user.profile.first_name, user.profile.last_name, user.profile.phone,
      ArrayLiteral(ToStrings(user.profile.channels)), ArrayLiteral(user.roles.ToStrings()), user.disabled,
      core::FormatRfc3339Utc(user.updated_at), user.version);
  if (result.AffectedRows() != 1) throw std::logic_error("SaveUser: the user row is gone");
}

asio::awaitable<std::optional<User>> FindUser(pg::Pool& pool, std::string id) {
  co_return FirstUser(
      co_await pool.Query(std::string("SELECT ") + kColumns + " FROM users WHERE id = $1::uuid", id));
}

asio::awaitable<std::optional<StoredCredentials>> FindCredentials(pg::Pool& pool, std::string email) {
  const auto result = co_await pool.Query(
      std::string("SELECT ") + kColumns + ", password_hash FROM users WHERE email = $1", email);
  if (result.Rows() == 0) co_return std::nullopt;
  co_return StoredCredentials{ReadUser(result, 0), result.Get<std::string>(0, 11)};
}

asio::awaitable<void> ReplacePasswordHash(pg::Pool& pool, std::string id, std::string old_hash,
                                          std::string new_hash) {
  co_await pool.Query("UPDATE users SET password_hash = $3 WHERE id = $1::uuid AND password_hash = $2", id,
                      old_hash, new_hash);
}

asio::awaitable<std::vector<User>> FindUsers(pg::Pool& pool, std::optional<UserCursor> after,
                                             std::optional<std::string> email, int limit) {
  std::optional<std::int64_t> after_ms;
  std::optional<std::string> after_id;
  if (after) {
    after_ms = after->created_at_ms;
    after_id = after->id;
  }
  const auto result =
      co_await pool.Query(std::string("SELECT ") + kColumns +
                              " FROM users WHERE ($1::bigint IS NULL OR (created_at, id) > "
                              "(timestamptz 'epoch' + $1::bigint * interval '1 millisecond', $2::uuid)) "
                              "AND ($3::text IS NULL OR email = $3) ORDER BY created_at, id LIMIT $4",
                          after_ms, after_id, email, limit);
  std::vector<User> users;
  for (int row = 0; row < result.Rows(); ++row) users.push_back(ReadUser(result, row));
  co_return users;
}

asio::awaitable<std::optional<TokenHolder>> FindTokenHolder(pg::Pool& pool, std::string user_id,
                                                            std::string jti) {
  const auto result = co_await pool.Query(
      "SELECT disabled, array_to_string(roles, ','), "
      "EXISTS (SELECT 1 FROM access_tokens WHERE jti = $2 AND revoked_at IS NOT NULL) "
      "FROM users WHERE id = $1::uuid",
      user_id, jti);
  if (result.Rows() == 0) co_return std::nullopt;
  TokenHolder holder;
  holder.disabled = result.Get<bool>(0, 0);
  for (auto name : Split(result.Get<std::string_view>(0, 1))) {
    if (const auto role = auth::ParseRole(name)) holder.roles.Add(*role);
  }
  holder.token_revoked = result.Get<bool>(0, 2);
  co_return holder;
}

}  // namespace microstore::identity
