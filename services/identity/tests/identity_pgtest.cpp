// The identity use cases against a real PostgreSQL: what they store, what they refuse, and the
// events they leave in the outbox.
#include <gtest/gtest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "identity/api/json.hpp"
#include "identity/app/accounts.hpp"
#include "identity/app/admin_bootstrap.hpp"
#include "identity/app/authority.hpp"
#include "identity/app/sessions.hpp"
#include "identity/app/users.hpp"
#include "identity/domain/refusals.hpp"
#include "identity/infra/schema.hpp"
#include "identity/infra/secrets.hpp"
#include "identity/infra/token_store.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/auth/keys.hpp"
#include "platform/core/ids.hpp"
#include "platform/core/text.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/service_harness.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::identity {
namespace {

namespace asio = boost::asio;
namespace mt = microstore::testing;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;
using auth::Role;
using auth::RoleSet;
using nlohmann::json;

constexpr const char* kIssuer = "identity-test";
constexpr const char* kPassword = "tulips-and-7-roses";
constexpr const char* kAdminEmail = "root@example.com";
constexpr const char* kAdminPassword = "root-password-1";

class IdentityTest : public ::testing::Test {
 protected:
  IdentityTest()
      : keys_(auth::GenerateKeyPair("k1")),
        verifier_(std::get<auth::Verifier>(auth::Verifier::FromConfig("k1:" + keys_.public_key, kIssuer))) {
    mt::MigrateSync(db_.url(), Migrations());
    pool_ =
        std::make_unique<pg::Pool>(io_.get_executor(), pg::PoolOptions{.conninfo = db_.url(), .max_size = 4});
    authority_ = MakeAuthority();
  }

  std::unique_ptr<Authority> MakeAuthority(PasswordCost cost = MinimumPasswordCost()) {
    auto signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed));
    return std::make_unique<Authority>(workers_.get_executor(), std::move(signer), cost,
                                       TokenPolicy{kIssuer, 15min, 1h}, [this] { return now_; });
  }

  template <typename T>
  T Run(asio::awaitable<T> task) {
    return mt::Run(io_, std::move(task));
  }

  // What a use case that must succeed answered; a refusal is thrown, failing the test.
  template <typename T>
  T Ok(asio::awaitable<Outcome<T>> task) {
    Outcome<T> outcome = Run(std::move(task));
    if (const auto* refusal = std::get_if<Refusal>(&outcome)) {
      throw std::runtime_error("refused: " + refusal->detail);
    }
    return std::move(std::get<T>(outcome));
  }

  // The problem a use case was refused with; nullopt when it succeeded.
  template <typename T>
  std::optional<Problem> ProblemOf(asio::awaitable<Outcome<T>> task) {
    const Outcome<T> outcome = Run(std::move(task));
    if (const auto* refusal = std::get_if<Refusal>(&outcome)) return refusal->problem;
    return std::nullopt;
  }

  static messaging::EventContext Context() { return {"corr-1", "req-1", ""}; }

  User Register(const std::string& email, std::string password = kPassword) {
    Registration registration{
        email, std::move(password), {"Anna", "Petrova", std::nullopt, {Channel::kEmail}}};
    return Ok(identity::Register(*pool_, outbox_, *authority_, registration, Context()));
  }

  TokenPair SignIn(const std::string& email, std::string password = kPassword) {
    return Ok(identity::SignIn(*pool_, *authority_, email, std::move(password)));
  }

  TokenPair SignInAdmin() {
    Run(EnsureAdmin(*pool_, outbox_, *authority_, kAdminEmail, kAdminPassword));
    return SignIn(kAdminEmail, kAdminPassword);
  }

  auth::Principal PrincipalOf(const TokenPair& pair) {
    auto verified = verifier_.Verify(pair.access_token, now_);
    if (auto* error = std::get_if<auth::VerifyError>(&verified)) {
      throw std::runtime_error("token refused: " + std::string(auth::Describe(*error)));
    }
    return std::get<auth::Principal>(verified);
  }

  Caller CallerOf(const TokenPair& pair, auth::Access access = auth::Access::Authenticated()) {
    return Ok(Authorize(*pool_, PrincipalOf(pair), access));
  }

  // Every outbox envelope of that type, oldest first.
  json Events(const std::string& type) {
    const json all = json::parse(mt::QueryValueSync(
        db_.url(),
        "SELECT coalesce(json_agg(json_build_object('type', type, 'body', body::json) ORDER BY id), "
        "'[]'::json) FROM outbox"));
    json found = json::array();
    for (const auto& row : all) {
      if (row.at("type") == type) found.push_back(row.at("body"));
    }
    return found;
  }

  std::string Value(const std::string& sql) { return mt::QueryValueSync(db_.url(), sql); }

  mt::TempDatabase db_;
  asio::thread_pool workers_{2};
  asio::io_context io_;
  auth::GeneratedKeyPair keys_;
  auth::Verifier verifier_;
  Timestamp now_ = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  messaging::Outbox outbox_{"identity", "identity-test", [this] { return now_; }};
  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<Authority> authority_;
};

// --- Registration ------------------------------------------------------------------------

TEST_F(IdentityTest, RegisterStoresTheUserAndAnnouncesIt) {
  const User user = Register("anna@example.com");
  EXPECT_TRUE(core::CanonicalUuid(user.id));
  EXPECT_EQ(user.roles, RoleSet{Role::kCustomer});
  EXPECT_EQ(user.version, 1);
  EXPECT_FALSE(user.disabled);
  EXPECT_EQ(user.created_at, now_);

  EXPECT_EQ(Value("SELECT count(*) FROM users"), "1");
  const std::string hash = Value("SELECT password_hash FROM users");
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_EQ(hash.find(kPassword), std::string::npos);

  const json events = Events("UserRegistered");
  ASSERT_EQ(events.size(), 1u);
  const json& event = events[0];
  EXPECT_EQ(event.at("producer"), "identity");
  EXPECT_EQ(event.at("schema_version"), 1);
  EXPECT_EQ(event.at("correlation_id"), "corr-1");
  EXPECT_EQ(event.at("causation_id"), "req-1");
  EXPECT_EQ(event.at("aggregate"),
            json({{"type", "user"}, {"id", user.id}, {"version", 1}, {"status", "ACTIVE"}}));
  EXPECT_EQ(event.at("payload"), json({{"user_id", user.id},
                                       {"email", "anna@example.com"},
                                       {"first_name", "Anna"},
                                       {"last_name", "Petrova"},
                                       {"phone", nullptr},
                                       {"channels", {"EMAIL"}},
                                       {"roles", {"CUSTOMER"}},
                                       {"registered_at", core::FormatRfc3339Utc(now_)}}));
  // What was stored reads back equal.
  const Caller caller = CallerOf(SignIn("anna@example.com"));
  EXPECT_EQ(Ok(GetUser(*pool_, caller, user.id)), user);
}

TEST_F(IdentityTest, ADuplicateEmailIsRefusedAndStoresNothing) {
  Register("anna@example.com");
  Registration again{
      "anna@example.com", "another-password-9", {"Other", "Person", std::nullopt, {Channel::kEmail}}};
  EXPECT_EQ(ProblemOf(identity::Register(*pool_, outbox_, *authority_, again, Context())),
            Problem::kEmailTaken);
  EXPECT_EQ(Value("SELECT count(*) FROM users"), "1");
  EXPECT_EQ(Events("UserRegistered").size(), 1u);
}

// --- Signing in --------------------------------------------------------------------------

TEST_F(IdentityTest, SignInIssuesAVerifiableAccessTokenAndAHashedRefreshToken) {
  const User user = Register("anna@example.com");
  const TokenPair pair = SignIn("  ANNA@example.com ");
  EXPECT_EQ(pair.expires_in, 15min);
  EXPECT_EQ(pair.refresh_expires_in, 1h);

  const auth::Principal principal = PrincipalOf(pair);
  EXPECT_EQ(principal.subject, user.id);
  EXPECT_EQ(principal.roles, RoleSet{Role::kCustomer});
  EXPECT_TRUE(core::CanonicalUuid(principal.token_id));
  EXPECT_EQ(principal.expires_at, std::chrono::time_point_cast<std::chrono::seconds>(now_) + 15min);

  EXPECT_TRUE(IsWellFormedRefreshToken(pair.refresh_token));
  EXPECT_EQ(Value("SELECT count(*) FROM refresh_tokens WHERE token_hash = '" +
                  RefreshTokenHash(pair.refresh_token) + "'"),
            "1");
  EXPECT_EQ(Value("SELECT count(*) FROM refresh_tokens WHERE token_hash = '" + pair.refresh_token + "'"),
            "0");
  EXPECT_EQ(Value("SELECT count(*) FROM access_tokens WHERE jti = '" + principal.token_id + "'"), "1");
  EXPECT_EQ(Value("SELECT count(*) FROM token_families"), "1");

  // Each sign-in is a family of its own, with tokens of its own.
  const TokenPair second = SignIn("anna@example.com");
  EXPECT_NE(PrincipalOf(second).token_id, principal.token_id);
  EXPECT_NE(second.refresh_token, pair.refresh_token);
  EXPECT_EQ(Value("SELECT count(*) FROM token_families"), "2");
}

TEST_F(IdentityTest, WrongOrUnknownCredentialsAreRefusedAlike) {
  Register("anna@example.com");
  EXPECT_EQ(ProblemOf(identity::SignIn(*pool_, *authority_, "anna@example.com", "wrong-password-1")),
            Problem::kInvalidCredentials);
  EXPECT_EQ(ProblemOf(identity::SignIn(*pool_, *authority_, "nobody@example.com", kPassword)),
            Problem::kInvalidCredentials);
  EXPECT_EQ(ProblemOf(identity::SignIn(*pool_, *authority_, "not an email", kPassword)),
            Problem::kInvalidCredentials);
  EXPECT_EQ(ProblemOf(identity::SignIn(*pool_, *authority_, "anna@example.com", "")),
            Problem::kInvalidCredentials);
  EXPECT_EQ(ProblemOf(identity::SignIn(*pool_, *authority_, "anna@example.com", std::string(10'000, 'x'))),
            Problem::kInvalidCredentials);
  EXPECT_EQ(Value("SELECT count(*) FROM token_families"), "0");
}

TEST_F(IdentityTest, SignInRehashesAPasswordStoredWithAnOldCost) {
  Register("anna@example.com");
  const std::string old_hash = Value("SELECT password_hash FROM users");
  pg::Pool pool(io_.get_executor(), {.conninfo = db_.url(), .max_size = 2});
  const PasswordCost dearer{MinimumPasswordCost().opslimit + 1, MinimumPasswordCost().memlimit * 2};
  auto upgraded = MakeAuthority(dearer);
  Ok(identity::SignIn(pool, *upgraded, "anna@example.com", kPassword));
  const std::string new_hash = Value("SELECT password_hash FROM users");
  EXPECT_NE(new_hash, old_hash);
  const PasswordHasher check(dearer);
  EXPECT_FALSE(check.NeedsRehash(new_hash));
  EXPECT_TRUE(check.Verify(new_hash, kPassword));
  // A second sign-in has nothing to upgrade.
  Ok(identity::SignIn(pool, *upgraded, "anna@example.com", kPassword));
  EXPECT_EQ(Value("SELECT password_hash FROM users"), new_hash);
}

// --- Refresh -----------------------------------------------------------------------------

TEST_F(IdentityTest, RefreshRotatesWithinTheFamily) {
  Register("anna@example.com");
  const TokenPair first = SignIn("anna@example.com");
  now_ += 1min;
  const TokenPair second = Ok(Refresh(*pool_, outbox_, *authority_, first.refresh_token, Context()));
  EXPECT_NE(second.refresh_token, first.refresh_token);
  EXPECT_NE(PrincipalOf(second).token_id, PrincipalOf(first).token_id);
  EXPECT_EQ(PrincipalOf(second).expires_at, std::chrono::time_point_cast<std::chrono::seconds>(now_) + 15min);
  EXPECT_EQ(Value("SELECT count(*) FROM token_families"), "1");
  EXPECT_EQ(Value("SELECT count(DISTINCT family_id) FROM refresh_tokens"), "1");
  EXPECT_EQ(Value("SELECT used_at IS NOT NULL FROM refresh_tokens WHERE token_hash = '" +
                  RefreshTokenHash(first.refresh_token) + "'"),
            "t");
  // The new one rotates in turn.
  const TokenPair third = Ok(Refresh(*pool_, outbox_, *authority_, second.refresh_token, Context()));
  EXPECT_NE(third.refresh_token, second.refresh_token);
  EXPECT_TRUE(Events("TokenRevoked").empty());
}

TEST_F(IdentityTest, ReusingARotatedTokenRevokesTheWholeFamily) {
  const User user = Register("anna@example.com");
  const TokenPair first = SignIn("anna@example.com");
  const TokenPair other_session = SignIn("anna@example.com");
  const TokenPair second = Ok(Refresh(*pool_, outbox_, *authority_, first.refresh_token, Context()));

  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, first.refresh_token, Context())),
            Problem::kRefreshTokenReused);

  // Both live access tokens of the family are announced, the other session's are not.
  const json events = Events("TokenRevoked");
  ASSERT_EQ(events.size(), 2u);
  std::set<std::string> announced;
  for (const auto& event : events) {
    announced.insert(event.at("payload").at("token_id").get<std::string>());
    EXPECT_EQ(event.at("payload").at("reason"), "refresh_reuse");
    EXPECT_EQ(event.at("payload").at("user_id"), user.id);
    EXPECT_EQ(event.at("aggregate").at("type"), "token");
    EXPECT_EQ(event.at("aggregate").at("status"), "REVOKED");
    EXPECT_EQ(event.at("aggregate").at("version"), 1);
    EXPECT_EQ(event.at("correlation_id"), "corr-1");
  }
  EXPECT_EQ(announced, (std::set<std::string>{PrincipalOf(first).token_id, PrincipalOf(second).token_id}));
  EXPECT_EQ(events[0].at("payload").at("expires_at"), core::FormatRfc3339Utc(PrincipalOf(first).expires_at));

  // Even the family's newest refresh token is dead now, and so are its access tokens.
  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, second.refresh_token, Context())),
            Problem::kInvalidRefreshToken);
  EXPECT_EQ(ProblemOf(Authorize(*pool_, PrincipalOf(second), auth::Access::Authenticated())),
            Problem::kTokenRevoked);
  EXPECT_EQ(ProblemOf(Authorize(*pool_, PrincipalOf(first), auth::Access::Authenticated())),
            Problem::kTokenRevoked);
  // A second reuse revokes nothing more.
  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, first.refresh_token, Context())),
            Problem::kInvalidRefreshToken);
  EXPECT_EQ(Events("TokenRevoked").size(), 2u);
  // The other sign-in is untouched.
  EXPECT_NO_THROW(CallerOf(other_session));
  EXPECT_NO_THROW(Ok(Refresh(*pool_, outbox_, *authority_, other_session.refresh_token, Context())));
}

TEST_F(IdentityTest, UnknownMalformedAndExpiredRefreshTokensAreInvalid) {
  Register("anna@example.com");
  const TokenPair pair = SignIn("anna@example.com");
  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, NewRefreshToken(), Context())),
            Problem::kInvalidRefreshToken);
  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, "short", Context())),
            Problem::kInvalidRefreshToken);
  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, "", Context())), Problem::kInvalidRefreshToken);
  now_ += 1h;
  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, pair.refresh_token, Context())),
            Problem::kInvalidRefreshToken);
  EXPECT_TRUE(Events("TokenRevoked").empty());
}

// --- Logout ------------------------------------------------------------------------------

TEST_F(IdentityTest, LogoutEndsOnlyItsOwnFamily) {
  const User user = Register("anna@example.com");
  const TokenPair phone = SignIn("anna@example.com");
  const TokenPair refreshed = Ok(Refresh(*pool_, outbox_, *authority_, phone.refresh_token, Context()));
  const TokenPair laptop = SignIn("anna@example.com");

  Run(Logout(*pool_, outbox_, *authority_, CallerOf(refreshed), Context()));

  const json events = Events("TokenRevoked");
  ASSERT_EQ(events.size(), 2u);  // both access tokens of the phone's family
  for (const auto& event : events) {
    EXPECT_EQ(event.at("payload").at("reason"), "logout");
    EXPECT_NE(event.at("payload").at("token_id"), PrincipalOf(laptop).token_id);
  }
  EXPECT_EQ(ProblemOf(Authorize(*pool_, PrincipalOf(refreshed), auth::Access::Authenticated())),
            Problem::kTokenRevoked);
  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, refreshed.refresh_token, Context())),
            Problem::kInvalidRefreshToken);
  EXPECT_EQ(CallerOf(laptop).user_id, user.id);
  EXPECT_NO_THROW(Ok(Refresh(*pool_, outbox_, *authority_, laptop.refresh_token, Context())));
}

TEST_F(IdentityTest, LogoutDoesNotAnnounceExpiredTokens) {
  Register("anna@example.com");
  const TokenPair first = SignIn("anna@example.com");
  now_ += 20min;  // the first access token has expired
  const TokenPair second = Ok(Refresh(*pool_, outbox_, *authority_, first.refresh_token, Context()));
  Run(Logout(*pool_, outbox_, *authority_, CallerOf(second), Context()));
  const json events = Events("TokenRevoked");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("payload").at("token_id"), PrincipalOf(second).token_id);
}

// --- Profile -----------------------------------------------------------------------------

TEST_F(IdentityTest, UpdateProfileSavesAndAnnouncesTheChange) {
  const User user = Register("anna@example.com");
  const Caller caller = CallerOf(SignIn("anna@example.com"));
  now_ += 1s;
  ProfilePatch patch;
  patch.last_name = "Ivanova";
  patch.phone = std::optional<std::string>("+7 999 123 45 67");
  patch.channels = std::vector<std::string>{"EMAIL", "SMS"};
  const User updated = Ok(UpdateProfile(*pool_, outbox_, *authority_, caller, patch, Context()));
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.updated_at, now_);
  EXPECT_EQ(updated.created_at, user.created_at);
  EXPECT_EQ(updated.profile, (Profile{"Anna", "Ivanova", "+79991234567", {Channel::kEmail, Channel::kSms}}));
  EXPECT_EQ(Ok(GetUser(*pool_, caller, user.id)), updated);

  const json events = Events("CustomerProfileUpdated");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("aggregate").at("version"), 2);
  EXPECT_EQ(events[0].at("payload"), json({{"user_id", user.id},
                                           {"email", "anna@example.com"},
                                           {"first_name", "Anna"},
                                           {"last_name", "Ivanova"},
                                           {"phone", "+79991234567"},
                                           {"channels", {"EMAIL", "SMS"}}}));

  // The same values again change nothing and announce nothing.
  const User same = Ok(UpdateProfile(*pool_, outbox_, *authority_, caller, patch, Context()));
  EXPECT_EQ(same.version, 2);
  EXPECT_EQ(Events("CustomerProfileUpdated").size(), 1u);
}

TEST_F(IdentityTest, AnInvalidProfilePatchStoresNothing) {
  Register("anna@example.com");
  const Caller caller = CallerOf(SignIn("anna@example.com"));
  ProfilePatch patch;
  patch.first_name = "Ok";
  patch.channels = std::vector<std::string>{"SMS"};  // no phone
  const Outcome<User> outcome = Run(UpdateProfile(*pool_, outbox_, *authority_, caller, patch, Context()));
  const auto* refusal = std::get_if<Refusal>(&outcome);
  ASSERT_NE(refusal, nullptr) << "the patch was accepted";
  EXPECT_EQ(refusal->problem, Problem::kValidation);
  EXPECT_EQ(refusal->fields, (core::FieldErrors{{"channels", "SMS needs a phone number"}}));
  EXPECT_EQ(Value("SELECT first_name || ' ' || version FROM users"), "Anna 1");
  EXPECT_TRUE(Events("CustomerProfileUpdated").empty());
}

// --- Reading users -----------------------------------------------------------------------

TEST_F(IdentityTest, UsersSeeThemselvesAdminsSeeEveryone) {
  const User anna = Register("anna@example.com");
  const User boris = Register("boris@example.com");
  const Caller as_anna = CallerOf(SignIn("anna@example.com"));
  const Caller as_admin = CallerOf(SignInAdmin());

  EXPECT_EQ(Ok(GetUser(*pool_, as_anna, anna.id)).email, "anna@example.com");
  EXPECT_EQ(ProblemOf(GetUser(*pool_, as_anna, boris.id)), Problem::kForbidden);
  EXPECT_EQ(ProblemOf(GetUser(*pool_, as_anna, "3f2504e0-4f89-41d3-9a0c-0305e82c3301")), Problem::kForbidden);
  EXPECT_EQ(ProblemOf(GetUser(*pool_, as_anna, "junk")), Problem::kForbidden);

  EXPECT_EQ(Ok(GetUser(*pool_, as_admin, boris.id)).email, "boris@example.com");
  EXPECT_EQ(ProblemOf(GetUser(*pool_, as_admin, "3f2504e0-4f89-41d3-9a0c-0305e82c3301")),
            Problem::kUserNotFound);
  EXPECT_EQ(ProblemOf(GetUser(*pool_, as_admin, "junk")), Problem::kUserNotFound);
}

TEST_F(IdentityTest, ListUsersPagesByKeysetEvenWithEqualTimes) {
  std::set<std::string> registered;
  for (int i = 0; i < 5; ++i) registered.insert(Register("user" + std::to_string(i) + "@example.com").id);
  now_ += 1s;
  registered.insert(Register("late@example.com").id);

  std::set<std::string> seen;
  std::optional<UserCursor> after;
  int pages = 0;
  while (true) {
    const UserPage page = Run(ListUsers(*pool_, after, std::nullopt, 2));
    ++pages;
    for (const auto& user : page.items)
      EXPECT_TRUE(seen.insert(user.id).second) << "listed twice: " << user.id;
    if (!page.next) break;
    EXPECT_EQ(page.items.size(), 2u);
    // As the route hands it out and reads it back.
    after = api::DecodeUserCursor(api::EncodeUserCursor(*page.next));
    ASSERT_TRUE(after);
  }
  EXPECT_EQ(seen, registered);
  EXPECT_EQ(pages, 3);

  const UserPage one = Run(ListUsers(*pool_, std::nullopt, std::string("late@example.com"), 20));
  ASSERT_EQ(one.items.size(), 1u);
  EXPECT_EQ(one.items[0].email, "late@example.com");
  EXPECT_FALSE(one.next);
  EXPECT_TRUE(Run(ListUsers(*pool_, std::nullopt, std::string("none@example.com"), 20)).items.empty());
  // A page exactly full has no next page.
  EXPECT_FALSE(Run(ListUsers(*pool_, std::nullopt, std::nullopt, 6)).next);
}

// --- Roles -------------------------------------------------------------------------------

TEST_F(IdentityTest, RolesAreGrantedAndRevokedIdempotently) {
  const User anna = Register("anna@example.com");
  const Caller admin = CallerOf(SignInAdmin());
  const std::size_t before = Events("UserRolesChanged").size();

  const User granted =
      Ok(GrantRole(*pool_, outbox_, *authority_, admin, anna.id, Role::kOperator, Context()));
  EXPECT_EQ(granted.roles, (RoleSet{Role::kCustomer, Role::kOperator}));
  EXPECT_EQ(granted.version, 2);
  const User again = Ok(GrantRole(*pool_, outbox_, *authority_, admin, anna.id, Role::kOperator, Context()));
  EXPECT_EQ(again.version, 2);

  const User revoked =
      Ok(RevokeRole(*pool_, outbox_, *authority_, admin, anna.id, Role::kCustomer, Context()));
  EXPECT_EQ(revoked.roles, RoleSet{Role::kOperator});
  EXPECT_EQ(revoked.version, 3);
  Ok(RevokeRole(*pool_, outbox_, *authority_, admin, anna.id, Role::kCustomer, Context()));

  const json events = Events("UserRolesChanged");
  ASSERT_EQ(events.size(), before + 2);
  EXPECT_EQ(events[before].at("payload"), json({{"user_id", anna.id}, {"roles", {"CUSTOMER", "OPERATOR"}}}));
  EXPECT_EQ(events[before].at("aggregate").at("version"), 2);
  EXPECT_EQ(events[before + 1].at("payload"), json({{"user_id", anna.id}, {"roles", {"OPERATOR"}}}));
  EXPECT_EQ(events[before + 1].at("aggregate").at("version"), 3);
  // New tokens carry the new roles.
  EXPECT_EQ(PrincipalOf(SignIn("anna@example.com")).roles, RoleSet{Role::kOperator});
}

TEST_F(IdentityTest, AnAdminCannotDemoteThemselvesAndUnknownUsersAreNotFound) {
  const Caller admin = CallerOf(SignInAdmin());
  EXPECT_EQ(
      ProblemOf(RevokeRole(*pool_, outbox_, *authority_, admin, admin.user_id, Role::kAdmin, Context())),
      Problem::kCannotDemoteSelf);
  EXPECT_TRUE(Ok(GetUser(*pool_, admin, admin.user_id)).roles.Has(Role::kAdmin));
  EXPECT_EQ(ProblemOf(GrantRole(*pool_, outbox_, *authority_, admin, "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
                                Role::kOperator, Context())),
            Problem::kUserNotFound);
  EXPECT_EQ(ProblemOf(GrantRole(*pool_, outbox_, *authority_, admin, "junk", Role::kOperator, Context())),
            Problem::kUserNotFound);
}

TEST_F(IdentityTest, ADemotedAdminLosesAdminRoutesAtOnce) {
  const Caller root = CallerOf(SignInAdmin());
  const User second = Register("second@example.com");
  Ok(GrantRole(*pool_, outbox_, *authority_, root, second.id, Role::kAdmin, Context()));
  const TokenPair second_tokens = SignIn("second@example.com");
  const Caller second_admin = CallerOf(second_tokens, auth::Access::AnyOf({Role::kAdmin}));

  Ok(RevokeRole(*pool_, outbox_, *authority_, root, second.id, Role::kAdmin, Context()));
  // The token still says ADMIN; identity checks the database.
  EXPECT_TRUE(PrincipalOf(second_tokens).roles.Has(Role::kAdmin));
  EXPECT_EQ(ProblemOf(Authorize(*pool_, PrincipalOf(second_tokens), auth::Access::AnyOf({Role::kAdmin}))),
            Problem::kForbidden);
  // And a Caller obtained before the demotion cannot act either (checked inside the transaction).
  EXPECT_EQ(ProblemOf(RevokeRole(*pool_, outbox_, *authority_, second_admin, root.user_id, Role::kAdmin,
                                 Context())),
            Problem::kForbidden);
  EXPECT_TRUE(Ok(GetUser(*pool_, root, root.user_id)).roles.Has(Role::kAdmin));
}

// --- Disable / enable --------------------------------------------------------------------

TEST_F(IdentityTest, DisablingRevokesEveryLiveTokenAndEnablingRestoresSignIn) {
  const User anna = Register("anna@example.com");
  const Caller admin = CallerOf(SignInAdmin());
  const TokenPair old_session = SignIn("anna@example.com");
  now_ += 20min;  // old_session's access token has expired by now
  const TokenPair phone = SignIn("anna@example.com");
  const TokenPair laptop = SignIn("anna@example.com");

  const User disabled = Ok(DisableUser(*pool_, outbox_, *authority_, admin, anna.id, Context()));
  EXPECT_TRUE(disabled.disabled);
  EXPECT_EQ(disabled.version, 2);

  const json announced = Events("UserDisabled");
  ASSERT_EQ(announced.size(), 1u);
  EXPECT_EQ(announced[0].at("payload"), json({{"user_id", anna.id}}));
  EXPECT_EQ(announced[0].at("aggregate"),
            json({{"type", "user"}, {"id", anna.id}, {"version", 2}, {"status", "DISABLED"}}));
  const json revoked = Events("TokenRevoked");
  ASSERT_EQ(revoked.size(), 2u);
  std::set<std::string> ids;
  for (const auto& event : revoked) {
    ids.insert(event.at("payload").at("token_id").get<std::string>());
    EXPECT_EQ(event.at("payload").at("reason"), "user_disabled");
  }
  EXPECT_EQ(ids, (std::set<std::string>{PrincipalOf(phone).token_id, PrincipalOf(laptop).token_id}));

  // Idempotent: nothing more happens.
  EXPECT_EQ(Ok(DisableUser(*pool_, outbox_, *authority_, admin, anna.id, Context())).version, 2);
  EXPECT_EQ(Events("UserDisabled").size(), 1u);
  EXPECT_EQ(Events("TokenRevoked").size(), 2u);

  EXPECT_EQ(ProblemOf(identity::SignIn(*pool_, *authority_, "anna@example.com", kPassword)),
            Problem::kAccountDisabled);
  EXPECT_EQ(ProblemOf(identity::SignIn(*pool_, *authority_, "anna@example.com", "wrong-password-1")),
            Problem::kInvalidCredentials);
  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, phone.refresh_token, Context())),
            Problem::kAccountDisabled);
  EXPECT_EQ(ProblemOf(Authorize(*pool_, PrincipalOf(phone), auth::Access::Authenticated())),
            Problem::kTokenRevoked);

  const User enabled = Ok(EnableUser(*pool_, outbox_, *authority_, admin, anna.id, Context()));
  EXPECT_FALSE(enabled.disabled);
  EXPECT_EQ(enabled.version, 3);
  const json back = Events("UserEnabled");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].at("aggregate").at("status"), "ACTIVE");
  EXPECT_EQ(back[0].at("aggregate").at("version"), 3);
  EXPECT_EQ(Ok(EnableUser(*pool_, outbox_, *authority_, admin, anna.id, Context())).version, 3);
  EXPECT_EQ(Events("UserEnabled").size(), 1u);

  // Old sessions stay dead; a new sign-in works.
  EXPECT_EQ(ProblemOf(Refresh(*pool_, outbox_, *authority_, laptop.refresh_token, Context())),
            Problem::kInvalidRefreshToken);
  EXPECT_EQ(CallerOf(SignIn("anna@example.com")).user_id, anna.id);
}

TEST_F(IdentityTest, ATokenOfADisabledUserIsRefusedEvenIfNotRecorded) {
  const User anna = Register("anna@example.com");
  const Caller admin = CallerOf(SignInAdmin());
  // A token minted with the key but never recorded by identity (as other tools might).
  auth::Principal minted{anna.id, {Role::kCustomer}, "unrecorded-jti", now_ + 5min};
  EXPECT_EQ(Ok(Authorize(*pool_, minted, auth::Access::Authenticated())).user_id, anna.id);
  Ok(DisableUser(*pool_, outbox_, *authority_, admin, anna.id, Context()));
  EXPECT_EQ(ProblemOf(Authorize(*pool_, minted, auth::Access::Authenticated())),
            Problem::kTokenOfDisabledUser);
  auth::Principal stranger{"3f2504e0-4f89-41d3-9a0c-0305e82c3301", {}, "", now_ + 5min};
  EXPECT_EQ(ProblemOf(Authorize(*pool_, stranger, auth::Access::Authenticated())), Problem::kUnknownSubject);
  auth::Principal garbage{"user-1", {}, "", now_ + 5min};
  EXPECT_EQ(ProblemOf(Authorize(*pool_, garbage, auth::Access::Authenticated())), Problem::kUnknownSubject);
}

TEST_F(IdentityTest, AnAdminCannotDisableThemselves) {
  const Caller admin = CallerOf(SignInAdmin());
  EXPECT_EQ(ProblemOf(DisableUser(*pool_, outbox_, *authority_, admin, admin.user_id, Context())),
            Problem::kCannotDisableSelf);
  EXPECT_EQ(Value("SELECT disabled FROM users WHERE email = 'root@example.com'"), "f");
  EXPECT_EQ(ProblemOf(DisableUser(*pool_, outbox_, *authority_, admin, "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
                                  Context())),
            Problem::kUserNotFound);
}

// --- Admin bootstrap ---------------------------------------------------------------------

TEST_F(IdentityTest, AdminBootstrapCreatesOnceAndNeverTouchesThePassword) {
  EXPECT_EQ(Run(EnsureAdmin(*pool_, outbox_, *authority_, " Root@Example.com", kAdminPassword)),
            BootstrapOutcome::kCreated);
  EXPECT_EQ(Run(EnsureAdmin(*pool_, outbox_, *authority_, kAdminEmail, "another-password-2")),
            BootstrapOutcome::kAlreadyAdmin);
  EXPECT_EQ(Value("SELECT count(*) FROM users"), "1");
  EXPECT_EQ(Value("SELECT array_to_string(roles, ',') FROM users"), "ADMIN");

  const json registered = Events("UserRegistered");
  ASSERT_EQ(registered.size(), 1u);
  EXPECT_EQ(registered[0].at("payload").at("roles"), json({"ADMIN"}));
  EXPECT_EQ(registered[0].at("payload").at("email"), kAdminEmail);
  EXPECT_EQ(registered[0].at("correlation_id"), registered[0].at("id"));  // a flow of its own

  EXPECT_NO_THROW(SignIn(kAdminEmail, kAdminPassword));
  EXPECT_EQ(ProblemOf(identity::SignIn(*pool_, *authority_, kAdminEmail, "another-password-2")),
            Problem::kInvalidCredentials);
}

TEST_F(IdentityTest, AdminBootstrapPromotesAnExistingAccount) {
  const User anna = Register("anna@example.com");
  EXPECT_EQ(Run(EnsureAdmin(*pool_, outbox_, *authority_, "anna@example.com", "bootstrap-password-3")),
            BootstrapOutcome::kPromoted);
  const json changed = Events("UserRolesChanged");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].at("payload"), json({{"user_id", anna.id}, {"roles", {"CUSTOMER", "ADMIN"}}}));
  EXPECT_EQ(changed[0].at("aggregate").at("version"), 2);
  // Her own password still works; the bootstrap one never does.
  EXPECT_NO_THROW(SignIn("anna@example.com", kPassword));
  EXPECT_EQ(ProblemOf(identity::SignIn(*pool_, *authority_, "anna@example.com", "bootstrap-password-3")),
            Problem::kInvalidCredentials);
  EXPECT_EQ(Run(EnsureAdmin(*pool_, outbox_, *authority_, "anna@example.com", "bootstrap-password-3")),
            BootstrapOutcome::kAlreadyAdmin);
  EXPECT_EQ(Events("UserRolesChanged").size(), 1u);
}

struct Replica {
  pg::Pool* pool;
  const messaging::Outbox* outbox;
  const Authority* authority;
};

asio::awaitable<std::pair<BootstrapOutcome, BootstrapOutcome>> BootstrapTogether(Replica a, Replica b,
                                                                                 std::string email) {
  auto [first, second] = co_await (EnsureAdmin(*a.pool, *a.outbox, *a.authority, email, kAdminPassword) &&
                                   EnsureAdmin(*b.pool, *b.outbox, *b.authority, email, kAdminPassword));
  co_return std::make_pair(first, second);
}

TEST_F(IdentityTest, TwoReplicasBootstrappingAtOnceMakeOneAdmin) {
  // Two replicas: separate pools, so their transactions really overlap.
  pg::Pool other_pool(io_.get_executor(), {.conninfo = db_.url(), .max_size = 4});
  auto other_authority = MakeAuthority();
  const messaging::Outbox other_outbox("identity", "identity-test-2");
  const Replica one{pool_.get(), &outbox_, authority_.get()};
  const Replica other{&other_pool, &other_outbox, other_authority.get()};
  for (int round = 0; round < 5; ++round) {
    const std::string email = "root" + std::to_string(round) + "@example.com";
    const auto [a, b] = Run(BootstrapTogether(one, other, email));
    const int created = (a == BootstrapOutcome::kCreated) + (b == BootstrapOutcome::kCreated);
    EXPECT_EQ(created, 1) << "round " << round;
  }
  EXPECT_EQ(Value("SELECT count(*) FROM users"), "5");
  EXPECT_EQ(Events("UserRegistered").size(), 5u);
  EXPECT_TRUE(Events("UserRolesChanged").empty());
}

// --- Housekeeping ------------------------------------------------------------------------

TEST_F(IdentityTest, ExpiredTokensAreDeletedButLiveOnesStay) {
  Register("anna@example.com");
  const TokenPair old_pair = SignIn("anna@example.com");
  Run(Logout(*pool_, outbox_, *authority_, CallerOf(old_pair), Context()));
  const TokenPair live = SignIn("anna@example.com");
  ASSERT_EQ(Value("SELECT count(*) FROM token_families"), "2");

  // Nothing has expired yet.
  EXPECT_EQ(Run(DeleteExpiredTokens(*pool_, now_, 100)), 0);
  // Once every token of both families expired, all rows go.
  EXPECT_GT(Run(DeleteExpiredTokens(*pool_, now_ + 2h, 100)), 0);
  EXPECT_EQ(Value("SELECT count(*) FROM token_families"), "0");
  EXPECT_EQ(Value("SELECT count(*) FROM refresh_tokens"), "0");
  EXPECT_EQ(Value("SELECT count(*) FROM access_tokens"), "0");
  (void)live;
}

}  // namespace
}  // namespace microstore::identity
