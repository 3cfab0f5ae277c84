#include "identity/api/json.hpp"

#include <gtest/gtest.h>

#include "platform/core/encoding.hpp"

namespace microstore::identity::api {
namespace {

using nlohmann::json;

TEST(UserJson, HasEveryFieldAndNoHash) {
  User user = NewUser("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "anna@example.com",
                      {"Anna", "Petrova", std::nullopt, {Channel::kEmail}}, {auth::Role::kCustomer},
                      Timestamp(std::chrono::milliseconds(1'800'000'000'123)));
  user.version = 3;
  EXPECT_EQ(UserJson(user),
            json::parse(R"({"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","email":"anna@example.com",
      "first_name":"Anna","last_name":"Petrova","phone":null,"channels":["EMAIL"],"roles":["CUSTOMER"],
      "disabled":false,"created_at":"2027-01-15T08:00:00.123Z","updated_at":"2027-01-15T08:00:00.123Z",
      "version":3})"));
}

TEST(TokenPairJson, IsAnOAuthStyleBearerPair) {
  const TokenPair pair{"a.b.c", "refresh", std::chrono::seconds(900), std::chrono::seconds(2'592'000)};
  EXPECT_EQ(TokenPairJson(pair),
            json::parse(R"({"access_token":"a.b.c","token_type":"Bearer","expires_in":900,
      "refresh_token":"refresh","refresh_expires_in":2592000})"));
}

TEST(ParseRegistration, ReadsStringsAndRejectsWrongTypes) {
  const RegistrationInput input = ParseRegistration(json::parse(
      R"({"email":42,"password":"p","first_name":"A","last_name":null,"phone":"+71234567","channels":["SMS",1],"x":1})"));
  EXPECT_EQ(input.email, std::nullopt);
  EXPECT_EQ(input.password, "p");
  EXPECT_EQ(input.first_name, "A");
  EXPECT_EQ(input.last_name, std::nullopt);
  EXPECT_EQ(input.phone, "+71234567");
  EXPECT_EQ(input.channels, std::nullopt);
  EXPECT_EQ(input.rejected,
            (core::FieldErrors{{"email", "must be a string"}, {"channels[1]", "must be a string"}}));

  const RegistrationInput channels = ParseRegistration(json::parse(R"({"channels":"EMAIL"})"));
  EXPECT_EQ(channels.rejected, (core::FieldErrors{{"channels", "must be an array of strings"}}));
}

TEST(ParseRegistration, ThenValidationReportsEachFieldOnce) {
  auto result = ValidateRegistration(ParseRegistration(json::parse(R"({"email":42})")));
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(result));
  EXPECT_EQ(std::get<core::FieldErrors>(result), (core::FieldErrors{{"email", "must be a string"},
                                                                    {"password", "is required"},
                                                                    {"first_name", "is required"},
                                                                    {"last_name", "is required"}}));
}

TEST(ParseProfilePatch, DistinguishesAbsentNullAndValue) {
  const ProfilePatch absent = ParseProfilePatch(json::object());
  EXPECT_FALSE(absent.phone.has_value());
  const ProfilePatch cleared = ParseProfilePatch(json::parse(R"({"phone":null})"));
  ASSERT_TRUE(cleared.phone.has_value());
  EXPECT_FALSE(cleared.phone->has_value());
  const ProfilePatch set = ParseProfilePatch(json::parse(R"({"phone":"+71234567","first_name":"B"})"));
  EXPECT_EQ(set.phone, std::optional<std::string>("+71234567"));
  EXPECT_EQ(set.first_name, "B");
  EXPECT_TRUE(set.rejected.empty());
}

TEST(ParseProfilePatch, RefusesEmailPasswordAndWrongTypes) {
  const ProfilePatch patch =
      ParseProfilePatch(json::parse(R"({"email":"x@y.z","password":"p","phone":7,"last_name":[]})"));
  EXPECT_EQ(patch.rejected, (core::FieldErrors{{"email", "cannot be changed here"},
                                               {"password", "cannot be changed here"},
                                               {"last_name", "must be a string"},
                                               {"phone", "must be a string or null"}}));
}

TEST(ParseCredentials, NeedsBothStrings) {
  auto good = ParseCredentials(json::parse(R"({"email":"a@b.co","password":"secret"})"));
  ASSERT_TRUE(std::holds_alternative<Credentials>(good));
  EXPECT_EQ(std::get<Credentials>(good).email, "a@b.co");
  EXPECT_EQ(std::get<Credentials>(good).password, "secret");
  auto bad = ParseCredentials(json::parse(R"({"email":1})"));
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(bad));
  EXPECT_EQ(std::get<core::FieldErrors>(bad),
            (core::FieldErrors{{"email", "must be a string"}, {"password", "is required"}}));
}

std::string Basic(std::string_view credentials) {
  std::string encoded = core::Base64UrlEncode(credentials);
  for (char& c : encoded) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (encoded.size() % 4 != 0) encoded += '=';
  return "Basic " + encoded;
}

TEST(ParseBasicAuthorization, DecodesStandardBase64) {
  const std::string password = "pa:ss~~~\x3f\x3f\x3f\xfb\xff";
  const std::string header = Basic("anna@example.com:" + password);
  ASSERT_NE(header.find_first_of("+/"), std::string::npos) << "the test must exercise both alphabets";
  auto credentials = ParseBasicAuthorization(header);
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->email, "anna@example.com");
  EXPECT_EQ(credentials->password, password);  // only the first colon separates
  EXPECT_TRUE(ParseBasicAuthorization("basic " + Basic("a:b").substr(6)));
}

TEST(ParseBasicAuthorization, RefusesAnythingElse) {
  EXPECT_FALSE(ParseBasicAuthorization(""));
  EXPECT_FALSE(ParseBasicAuthorization("Bearer abc"));
  EXPECT_FALSE(ParseBasicAuthorization("Basic"));
  EXPECT_FALSE(ParseBasicAuthorization("Basic !!!"));
  EXPECT_FALSE(ParseBasicAuthorization(Basic("no-colon")));
  EXPECT_FALSE(ParseBasicAuthorization("Basic YT-6Yg"));  // base64url alphabet is not Basic's
}

TEST(ParseRefreshRequest, NeedsAString) {
  EXPECT_EQ(std::get<std::string>(ParseRefreshRequest(json::parse(R"({"refresh_token":"abc"})"))), "abc");
  EXPECT_EQ(std::get<core::FieldErrors>(ParseRefreshRequest(json::object())),
            (core::FieldErrors{{"refresh_token", "is required"}}));
  EXPECT_EQ(std::get<core::FieldErrors>(ParseRefreshRequest(json::parse(R"({"refresh_token":1})"))),
            (core::FieldErrors{{"refresh_token", "must be a string"}}));
}

TEST(ParseListQuery, DefaultsAndLimits) {
  auto defaults = ParseListQuery({});
  ASSERT_TRUE(std::holds_alternative<ListQuery>(defaults));
  EXPECT_EQ(std::get<ListQuery>(defaults).limit, 20u);
  EXPECT_EQ(std::get<ListQuery>(ParseListQuery({{"limit", "100"}})).limit, 100u);
  EXPECT_EQ(std::get<ListQuery>(ParseListQuery({{"limit", "1"}})).limit, 1u);
  for (const char* bad : {"0", "101", "-1", "", "ten", "5x", "99999999999"}) {
    auto parsed = ParseListQuery({{"limit", bad}});
    ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(parsed)) << bad;
    EXPECT_EQ(std::get<core::FieldErrors>(parsed).at(0).field, "limit");
  }
}

TEST(ParseListQuery, CursorAndEmail) {
  const std::string cursor = EncodeUserCursor({42, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"});
  auto parsed = ParseListQuery({{"cursor", cursor}, {"email", " Anna@Example.com "}});
  ASSERT_TRUE(std::holds_alternative<ListQuery>(parsed));
  EXPECT_EQ(std::get<ListQuery>(parsed).after, (UserCursor{42, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"}));
  EXPECT_EQ(std::get<ListQuery>(parsed).email, "anna@example.com");
  auto bad = ParseListQuery({{"limit", "0"}, {"cursor", "junk"}, {"email", "nope"}});
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(bad));
  EXPECT_EQ(std::get<core::FieldErrors>(bad).size(), 3u);
}

// http::QueryReader's rules, which every listing shares.
TEST(ParseListQuery, RefusesUnknownAndRepeatedParameters) {
  auto parsed = ParseListQuery({{"sort", "email"}, {"limit", "5"}, {"limit", "6"}});
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(parsed));
  EXPECT_EQ(
      std::get<core::FieldErrors>(parsed),
      (core::FieldErrors{{"sort", "is not a known query parameter"}, {"limit", "is given more than once"}}));
}

TEST(UserPageJson, OmitsTheCursorOnTheLastPage) {
  UserPage page;
  EXPECT_EQ(UserPageJson(page), json::parse(R"({"items":[]})"));
  page.next = UserCursor{42, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"};
  EXPECT_EQ(UserPageJson(page),
            json({{"items", json::array()}, {"next_cursor", EncodeUserCursor(*page.next)}}));
}

}  // namespace
}  // namespace microstore::identity::api
