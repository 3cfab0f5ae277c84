#include "gateway/domain/revocations.hpp"

namespace microstore::gateway {

bool Supersedes(std::int64_t incoming_version, std::optional<std::int64_t> known_version) {
  return !known_version || incoming_version > *known_version;
}

std::string_view Describe(Refusal refusal) {
  switch (refusal) {
    case Refusal::kTokenRevoked:
      return "the token has been revoked";
    case Refusal::kUserDisabled:
      return "the token's user is disabled";
    case Refusal::kNone:
      break;
  }
  return "";
}

void RevocationCache::RevokeToken(std::string token_id, WallClock::time_point expires_at) {
  tokens_.insert_or_assign(std::move(token_id), expires_at);
}

bool RevocationCache::ApplyUser(const UserState& state) {
  auto found = users_.find(state.user_id);
  const std::optional<std::int64_t> known =
      found == users_.end() ? std::nullopt : std::optional<std::int64_t>(found->second.version);
  if (!Supersedes(state.version, known)) return false;
  if (found == users_.end()) found = users_.emplace(state.user_id, KnownUser{}).first;
  if (found->second.disabled) --disabled_users_;
  found->second = {state.version, state.disabled};
  if (state.disabled) ++disabled_users_;
  return true;
}

Refusal RevocationCache::Check(std::string_view subject, std::string_view token_id) const {
  if (!token_id.empty() && tokens_.find(token_id) != tokens_.end()) return Refusal::kTokenRevoked;
  if (disabled_users_ > 0) {
    const auto user = users_.find(subject);
    if (user != users_.end() && user->second.disabled) return Refusal::kUserDisabled;
  }
  return Refusal::kNone;
}

std::size_t RevocationCache::ForgetExpired(WallClock::time_point cutoff) {
  return std::erase_if(tokens_, [&](const auto& entry) { return entry.second < cutoff; });
}

void RevocationCache::Clear() {
  tokens_.clear();
  users_.clear();
  disabled_users_ = 0;
}

namespace {

bool Digits(std::string_view text, std::size_t at, std::size_t count, int& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<WallClock::time_point> ParseRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS
  int year, month, day, hour, minute, second;
  if (!Digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !Digits(text, 5, 2, month) ||
      text[7] != '-' || !Digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
      !Digits(text, 11, 2, hour) || text[13] != ':' || !Digits(text, 14, 2, minute) || text[16] != ':' ||
      !Digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  std::chrono::nanoseconds fraction{0};
  if (at < text.size() && text[at] == '.') {
    ++at;
    std::int64_t nanos = 0;
    std::size_t digits = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (digits == 9) return std::nullopt;
      nanos = nanos * 10 + (text[at] - '0');
      ++digits;
      ++at;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 9; ++i) nanos *= 10;
    fraction = std::chrono::nanoseconds(nanos);
  }
  std::chrono::minutes offset{0};
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const int sign = text[at] == '+' ? 1 : -1;
    int offset_hours, offset_minutes;
    if (!Digits(text, at + 1, 2, offset_hours) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !Digits(text, at + 4, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset = std::chrono::minutes(sign * (offset_hours * 60 + offset_minutes));
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;  // 60: a leap second
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  const auto midnight = std::chrono::sys_days(date);
  // In seconds first: every four-digit year fits. A WallClock time point (nanoseconds) holds only
  // the years 1678 to 2262; converting a time outside them would overflow.
  const std::chrono::sys_seconds whole =
      midnight + std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second) - offset;
  constexpr auto kLast = std::chrono::duration_cast<std::chrono::seconds>(WallClock::duration::max()) -
                         std::chrono::seconds(1);  // room for the fraction
  constexpr auto kFirst = std::chrono::duration_cast<std::chrono::seconds>(WallClock::duration::min()) +
                          std::chrono::seconds(1);
  if (whole.time_since_epoch() < kFirst || whole.time_since_epoch() > kLast) return std::nullopt;
  return std::chrono::time_point_cast<WallClock::duration>(whole) + fraction;
}

}  // namespace microstore::gateway
