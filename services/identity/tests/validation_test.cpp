#include "identity/domain/validation.hpp"

#include <gtest/gtest.h>

namespace microstore::identity {
namespace {

std::string EmailOf(std::string_view text) {
  auto checked = NormalizeEmail(text);
  return checked ? *checked.value : "refused: " + checked.problem;
}

TEST(NormalizeEmail, TrimsAndLowerCases) {
  EXPECT_EQ(EmailOf("  Anna.Petrova+shop@Example.COM \t"), "anna.petrova+shop@example.com");
  EXPECT_EQ(EmailOf("a@b.co"), "a@b.co");
  EXPECT_EQ(EmailOf("o'brien@mail.example-shop.ru"), "o'brien@mail.example-shop.ru");
}

TEST(NormalizeEmail, RefusesWhatIsNoAddress) {
  for (const char* bad : {"",
                          "   ",
                          "plain",
                          "@example.com",
                          "anna@",
                          "anna@@example.com",
                          "an@na@example.com",
                          "anna@example",
                          "anna@-example.com",
                          "anna@example-.com",
                          "anna@exa_mple.com",
                          "anna@example..com",
                          ".anna@example.com",
                          "anna.@example.com",
                          "an..na@example.com",
                          "an na@example.com",
                          "anna@example.123",
                          "\"anna\"@example.com",
                          "анна@example.com",
                          "anna@пример.рф",
                          "anna@.example.com",
                          "anna@example.com."}) {
    EXPECT_FALSE(NormalizeEmail(bad)) << bad;
  }
  EXPECT_EQ(NormalizeEmail("").problem, "must not be empty");
  EXPECT_EQ(NormalizeEmail("plain").problem, "is not an e-mail address");
}

TEST(NormalizeEmail, LimitsLengths) {
  const std::string local64(64, 'a');
  EXPECT_TRUE(NormalizeEmail(local64 + "@example.com"));
  EXPECT_FALSE(NormalizeEmail(local64 + "a@example.com"));
  const std::string label63(63, 'b');
  EXPECT_TRUE(NormalizeEmail("a@" + label63 + ".com"));
  EXPECT_FALSE(NormalizeEmail("a@" + label63 + "b.com"));
  // 254 bytes accepted, 255 refused with the length as the reason.
  const std::string at254 = local64 + "@" + label63 + "." + label63 + "." + std::string(61, 'c');
  ASSERT_EQ(at254.size(), 254u);
  EXPECT_TRUE(NormalizeEmail(at254));
  EXPECT_EQ(NormalizeEmail(at254 + "c").problem, "must be at most 254 bytes");
}

std::vector<std::string> Problems(std::string_view password, std::string_view email = "") {
  return PasswordProblems(password, email);
}

TEST(PasswordPolicy, AcceptsAGoodPassword) {
  EXPECT_TRUE(Problems("correct horse 42").empty());
  EXPECT_TRUE(Problems("пароль-надёжный-7").empty());  // Cyrillic letters count
  EXPECT_TRUE(Problems(std::string(127, 'x') + "1").empty());
}

TEST(PasswordPolicy, CountsCharactersNotBytes) {
  // 9 Cyrillic letters and a digit: 19 bytes but 10 characters.
  EXPECT_TRUE(Problems("ааааааааа1").empty());
  EXPECT_EQ(Problems("аааааааа1"), std::vector<std::string>{"must be at least 10 characters long"});
  // 127 two-byte letters and a digit: 128 characters, 255 bytes.
  std::string long_password;
  for (int i = 0; i < 127; ++i) long_password += "ж";
  EXPECT_TRUE(Problems(long_password + "1").empty());
  EXPECT_EQ(Problems(long_password + "12"), std::vector<std::string>{"must be at most 128 characters long"});
}

TEST(PasswordPolicy, NamesEveryBrokenRule) {
  EXPECT_EQ(Problems("short"), (std::vector<std::string>{"must be at least 10 characters long",
                                                         "must contain at least one digit"}));
  EXPECT_EQ(Problems("1234567890"), std::vector<std::string>{"must contain at least one letter"});
  EXPECT_EQ(Problems("abcdefghijk"), std::vector<std::string>{"must contain at least one digit"});
  EXPECT_EQ(Problems("!!!!!!!!!!!"), (std::vector<std::string>{"must contain at least one letter",
                                                               "must contain at least one digit"}));
  EXPECT_EQ(Problems(std::string("abc\0def12345", 12)),
            std::vector<std::string>{"must not contain control characters"});
  EXPECT_EQ(Problems("abc\x7f"
                     "def12345"),
            std::vector<std::string>{"must not contain control characters"});
  EXPECT_EQ(Problems("abcdefg12\xff"), std::vector<std::string>{"must be valid UTF-8"});
  EXPECT_EQ(Problems("abcdefg12\xc0\xaf"), std::vector<std::string>{"must be valid UTF-8"});  // overlong '/'
  EXPECT_EQ(Problems("abcdefg12\xed\xa0\x80"), std::vector<std::string>{"must be valid UTF-8"});  // surrogate
  EXPECT_EQ(Problems(""), (std::vector<std::string>{"must be at least 10 characters long",
                                                    "must contain at least one letter",
                                                    "must contain at least one digit"}));
}

TEST(PasswordPolicy, RefusesTheEmailLocalPart) {
  const std::vector<std::string> local{"must not contain the e-mail address's local part"};
  EXPECT_EQ(Problems("my-ANNA.P-2024", "anna.p@example.com"), local);  // case-insensitive
  EXPECT_TRUE(Problems("my-anna-2024x", "anna.p@example.com").empty());
  // Local parts shorter than 3 characters are not worth refusing.
  EXPECT_TRUE(Problems("abcdefgh12", "ab@example.com").empty());
  EXPECT_EQ(Problems("xabcdefgh12", "abc@example.com"), local);
  // No e-mail (it was invalid): the rule is skipped.
  EXPECT_TRUE(Problems("abcdefgh12", "").empty());
}

TEST(NormalizeName, TrimsAndChecksLength) {
  EXPECT_EQ(*NormalizeName("  Анна ").value, "Анна");
  EXPECT_EQ(NormalizeName("   ").problem, "must not be empty");
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "я";
  EXPECT_TRUE(NormalizeName(hundred));
  EXPECT_EQ(NormalizeName(hundred + "я").problem, "must be at most 100 characters long");
  EXPECT_EQ(NormalizeName("Ann\na").problem, "must not contain control characters");
  EXPECT_EQ(NormalizeName(std::string("A\0b", 3)).problem, "must not contain control characters");
  EXPECT_EQ(NormalizeName("\xc3").problem, "must be valid UTF-8");
}

TEST(NormalizePhone, KeepsDigitsAfterAPlus) {
  EXPECT_EQ(*NormalizePhone("+7 (999) 123-45-67").value, "+79991234567");
  EXPECT_EQ(*NormalizePhone("+1234567").value, "+1234567");                  // 7 digits
  EXPECT_EQ(*NormalizePhone("+123456789012345").value, "+123456789012345");  // 15 digits
  for (const char* bad : {"", "+", "79991234567", "+123456", "+1234567890123456", "+0123456789",
                          "+7999abc4567", "++79991234567", "+7 999 123 45 67 ext 2"}) {
    EXPECT_FALSE(NormalizePhone(bad)) << bad;
  }
}

TEST(ParseChannels, DeduplicatesAndOrders) {
  auto parsed = ParseChannels({"SMS", "EMAIL", "SMS"});
  ASSERT_TRUE(std::holds_alternative<std::vector<Channel>>(parsed));
  EXPECT_EQ(std::get<std::vector<Channel>>(parsed), (std::vector<Channel>{Channel::kEmail, Channel::kSms}));
}

TEST(ParseChannels, NamesEachBadElement) {
  auto parsed = ParseChannels({"EMAIL", "email", "PIGEON"});
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(parsed));
  EXPECT_EQ(
      std::get<core::FieldErrors>(parsed),
      (core::FieldErrors{{"channels[1]", "must be EMAIL or SMS"}, {"channels[2]", "must be EMAIL or SMS"}}));
  EXPECT_EQ(std::get<core::FieldErrors>(ParseChannels({})),
            (core::FieldErrors{{"channels", "must name at least one channel"}}));
}

RegistrationInput GoodInput() {
  RegistrationInput input;
  input.email = " Anna@Example.com";
  input.password = "tulips-and-7-roses";
  input.first_name = "Anna";
  input.last_name = " Petrova ";
  return input;
}

TEST(ValidateRegistration, NormalisesAGoodRequest) {
  auto result = ValidateRegistration(GoodInput());
  ASSERT_TRUE(std::holds_alternative<Registration>(result));
  const auto& registration = std::get<Registration>(result);
  EXPECT_EQ(registration.email, "anna@example.com");
  EXPECT_EQ(registration.password, "tulips-and-7-roses");
  EXPECT_EQ(registration.profile.first_name, "Anna");
  EXPECT_EQ(registration.profile.last_name, "Petrova");
  EXPECT_EQ(registration.profile.phone, std::nullopt);
  EXPECT_EQ(registration.profile.channels, std::vector<Channel>{Channel::kEmail});  // the default
}

TEST(ValidateRegistration, AcceptsPhoneAndSms) {
  auto input = GoodInput();
  input.phone = "+7 999 123 45 67";
  input.channels = std::vector<std::string>{"SMS"};
  auto result = ValidateRegistration(input);
  ASSERT_TRUE(std::holds_alternative<Registration>(result));
  EXPECT_EQ(std::get<Registration>(result).profile.phone, "+79991234567");
  EXPECT_EQ(std::get<Registration>(result).profile.channels, std::vector<Channel>{Channel::kSms});
}

TEST(ValidateRegistration, ReportsEveryFieldAtOnce) {
  RegistrationInput input;
  input.email = "not-an-email";
  input.password = "short";
  input.last_name = "";
  input.phone = "12";
  input.channels = std::vector<std::string>{"FAX"};
  auto result = ValidateRegistration(input);
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(result));
  EXPECT_EQ(std::get<core::FieldErrors>(result),
            (core::FieldErrors{{"email", "is not an e-mail address"},
                               {"password", "must be at least 10 characters long"},
                               {"password", "must contain at least one digit"},
                               {"first_name", "is required"},
                               {"last_name", "must not be empty"},
                               {"phone", "must be '+' and 7 to 15 digits, the first not 0 (E.164)"},
                               {"channels[0]", "must be EMAIL or SMS"}}));
}

TEST(ValidateRegistration, PasswordMustNotHoldTheLocalPart) {
  auto input = GoodInput();
  input.password = "ANNA-is-great-1";
  auto result = ValidateRegistration(input);
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(result));
  EXPECT_EQ(std::get<core::FieldErrors>(result),
            (core::FieldErrors{{"password", "must not contain the e-mail address's local part"}}));
}

TEST(ValidateRegistration, SmsNeedsAPhone) {
  auto input = GoodInput();
  input.channels = std::vector<std::string>{"EMAIL", "SMS"};
  auto result = ValidateRegistration(input);
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(result));
  EXPECT_EQ(std::get<core::FieldErrors>(result),
            (core::FieldErrors{{"channels", "SMS needs a phone number"}}));
}

TEST(ValidateRegistration, RejectedFieldsAreReportedOnceWithTheRest) {
  auto input = GoodInput();
  input.email.reset();
  input.rejected = {{"email", "must be a string"}};
  input.first_name = "";
  auto result = ValidateRegistration(input);
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(result));
  EXPECT_EQ(std::get<core::FieldErrors>(result),
            (core::FieldErrors{{"email", "must be a string"}, {"first_name", "must not be empty"}}));
}

Profile CurrentProfile() { return {"Anna", "Petrova", "+79991234567", {Channel::kEmail, Channel::kSms}}; }

TEST(ApplyProfilePatch, EmptyPatchChangesNothing) {
  auto result = ApplyProfilePatch(CurrentProfile(), {});
  ASSERT_TRUE(std::holds_alternative<Profile>(result));
  EXPECT_EQ(std::get<Profile>(result), CurrentProfile());
}

TEST(ApplyProfilePatch, ChangesOnlyWhatIsGiven) {
  ProfilePatch patch;
  patch.last_name = " Ivanova";
  patch.channels = std::vector<std::string>{"EMAIL"};
  auto result = ApplyProfilePatch(CurrentProfile(), patch);
  ASSERT_TRUE(std::holds_alternative<Profile>(result));
  EXPECT_EQ(std::get<Profile>(result), (Profile{"Anna", "Ivanova", "+79991234567", {Channel::kEmail}}));
}

TEST(ApplyProfilePatch, RemovingThePhoneNeedsSmsGone) {
  ProfilePatch patch;
  patch.phone = std::optional<std::string>();
  auto refused = ApplyProfilePatch(CurrentProfile(), patch);
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(refused));
  EXPECT_EQ(std::get<core::FieldErrors>(refused), (core::FieldErrors{{"phone", "SMS needs a phone number"}}));

  patch.channels = std::vector<std::string>{"EMAIL"};
  auto accepted = ApplyProfilePatch(CurrentProfile(), patch);
  ASSERT_TRUE(std::holds_alternative<Profile>(accepted));
  EXPECT_EQ(std::get<Profile>(accepted), (Profile{"Anna", "Petrova", std::nullopt, {Channel::kEmail}}));
}

TEST(ApplyProfilePatch, AskingForSmsWithoutAPhoneBlamesChannels) {
  Profile current{"Anna", "Petrova", std::nullopt, {Channel::kEmail}};
  ProfilePatch patch;
  patch.channels = std::vector<std::string>{"SMS"};
  auto refused = ApplyProfilePatch(current, patch);
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(refused));
  EXPECT_EQ(std::get<core::FieldErrors>(refused),
            (core::FieldErrors{{"channels", "SMS needs a phone number"}}));
}

TEST(ApplyProfilePatch, ReportsEveryProblem) {
  ProfilePatch patch;
  patch.rejected = {{"email", "cannot be changed here"}};
  patch.first_name = "";
  patch.phone = std::optional<std::string>("nope");
  patch.channels = std::vector<std::string>{};
  auto refused = ApplyProfilePatch(CurrentProfile(), patch);
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(refused));
  EXPECT_EQ(std::get<core::FieldErrors>(refused),
            (core::FieldErrors{{"email", "cannot be changed here"},
                               {"first_name", "must not be empty"},
                               {"phone", "must be '+' and 7 to 15 digits, the first not 0 (E.164)"},
                               {"channels", "must name at least one channel"}}));
}

}  // namespace
}  // namespace microstore::identity
