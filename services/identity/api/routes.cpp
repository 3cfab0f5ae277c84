#include "identity/api/routes.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "identity/api/json.hpp"
#include "identity/app/identity.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/core/text.hpp"
#include "platform/http/problem.hpp"

namespace microstore::identity::api {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;
using nlohmann::json;

using PublicEndpoint = asio::awaitable<Response> (*)(Identity&, Request&);
using CallerEndpoint = asio::awaitable<Response> (*)(Identity&, Request&, Caller);

constexpr const char* kPublicUserPath = "/api/v1/identity/users/";
constexpr const char* kBasicChallenge = "Basic realm=\"microstore\", charset=\"UTF-8\"";
constexpr const char* kBearerChallenge = "Bearer error=\"invalid_token\"";

struct ProblemMapping {
  int status;
  const char* code;
};

ProblemMapping Map(Problem problem) {
  switch (problem) {
    case Problem::kValidation:
      return {422, "validation-failed"};
    case Problem::kEmailTaken:
      return {409, "email-taken"};
    case Problem::kInvalidCredentials:
      return {401, "invalid-credentials"};
    case Problem::kAccountDisabled:
      return {403, "account-disabled"};
    case Problem::kInvalidRefreshToken:
      return {401, "invalid-refresh-token"};
    case Problem::kRefreshTokenReused:
      return {401, "refresh-token-reused"};
    case Problem::kTokenRevoked:
      return {401, "token-revoked"};
    case Problem::kTokenOfDisabledUser:
      return {401, "account-disabled"};
    case Problem::kUnknownSubject:
      return {401, "invalid-token"};
    case Problem::kForbidden:
      return {403, "forbidden"};
    case Problem::kUserNotFound:
      return {404, "not-found"};
    case Problem::kCannotDemoteSelf:
      return {409, "cannot-demote-self"};
    case Problem::kCannotDisableSelf:
      return {409, "cannot-disable-self"};
  }
  return {500, "internal"};
}

Response ErrorResponse(const IdentityError& error, const Request& request) {
  const ProblemMapping mapping = Map(error.problem());
  std::vector<http::FieldError> fields;
  for (const auto& field : error.fields()) fields.push_back({field.field, field.message});
  Response response = http::Problem(mapping.status, mapping.code, error.what(), &request, fields);
  if (mapping.status == 401) {
    response.headers.Set("WWW-Authenticate", error.problem() == Problem::kInvalidCredentials
                                                 ? kBasicChallenge
                                                 : kBearerChallenge);
  }
  return response;
}

[[noreturn]] void Invalid(FieldProblems problems) {
  throw IdentityError(Problem::kValidation, "the request has invalid fields", std::move(problems));
}

json ObjectBody(const Request& request) {
  json body = request.Json();
  if (!body.is_object()) throw http::HttpError(400, "invalid-body", "the body must be a JSON object");
  return body;
}

Response UserResponse(int status, const User& user) { return Response::Json(status, UserJson(user)); }

Response TokenResponse(const TokenPair& pair) {
  Response response = Response::Json(200, TokenPairJson(pair));
  response.headers.Set("Cache-Control", "no-store");
  return response;
}

// --- Public -------------------------------------------------------------------------------

asio::awaitable<Response> Register(Identity& identity, Request& request) {
  auto validated = ValidateRegistration(ParseRegistration(ObjectBody(request)));
  if (auto* problems = std::get_if<FieldProblems>(&validated)) Invalid(std::move(*problems));
  const User user =
      co_await identity.Register(std::move(std::get<Registration>(validated)), messaging::CausedBy(request));
  Response response = UserResponse(201, user);
  response.headers.Set("Location", kPublicUserPath + user.id);
  co_return response;
}

asio::awaitable<Response> SignInBasic(Identity& identity, Request& request) {
  const auto header = request.Header("Authorization");
  auto credentials = header ? ParseBasicAuthorization(*header) : std::nullopt;
  if (!credentials) {
    throw IdentityError(Problem::kInvalidCredentials,
                        "send the e-mail and password as HTTP Basic credentials");
  }
  co_return TokenResponse(
      co_await identity.SignIn(std::move(credentials->email), std::move(credentials->password)));
}

asio::awaitable<Response> SignInJson(Identity& identity, Request& request) {
  auto parsed = ParseCredentials(ObjectBody(request));
  if (auto* problems = std::get_if<FieldProblems>(&parsed)) Invalid(std::move(*problems));
  auto& credentials = std::get<Credentials>(parsed);
  co_return TokenResponse(
      co_await identity.SignIn(std::move(credentials.email), std::move(credentials.password)));
}

asio::awaitable<Response> RefreshTokens(Identity& identity, Request& request) {
  auto parsed = ParseRefreshRequest(ObjectBody(request));
  if (auto* problems = std::get_if<FieldProblems>(&parsed)) Invalid(std::move(*problems));
  co_return TokenResponse(
      co_await identity.Refresh(std::move(std::get<std::string>(parsed)), messaging::CausedBy(request)));
}

// --- Authenticated ------------------------------------------------------------------------

asio::awaitable<Response> CheckToken(Identity&, Request&, Caller caller) {
  co_return Response::Json(200, {{"active", true},
                                 {"subject", caller.user_id},
                                 {"roles", caller.token_roles.ToStrings()},
                                 {"expires_at", core::FormatRfc3339Utc(caller.expires_at)}});
}

asio::awaitable<Response> Logout(Identity& identity, Request& request, Caller caller) {
  co_await identity.Logout(std::move(caller), messaging::CausedBy(request));
  co_return Response::Empty(204);
}

asio::awaitable<Response> GetMe(Identity& identity, Request&, Caller caller) {
  const std::string id = caller.user_id;
  co_return UserResponse(200, co_await identity.GetUser(std::move(caller), id));
}

asio::awaitable<Response> PatchMe(Identity& identity, Request& request, Caller caller) {
  ProfilePatch patch = ParseProfilePatch(ObjectBody(request));
  co_return UserResponse(200, co_await identity.UpdateProfile(std::move(caller), std::move(patch),
                                                              messaging::CausedBy(request)));
}

asio::awaitable<Response> ListUsers(Identity& identity, Request& request, Caller) {
  auto parsed = ParseListQuery(request.Query("limit"), request.Query("cursor"), request.Query("email"));
  if (auto* problems = std::get_if<FieldProblems>(&parsed)) Invalid(std::move(*problems));
  auto& query = std::get<ListQuery>(parsed);
  co_return Response::Json(200, UserPageJson(co_await identity.ListUsers(
                                    std::move(query.after), std::move(query.email), query.limit)));
}

asio::awaitable<Response> GetUser(Identity& identity, Request& request, Caller caller) {
  std::string id(request.Param("id"));
  co_return UserResponse(200, co_await identity.GetUser(std::move(caller), std::move(id)));
}

auth::Role RoleParam(const Request& request) {
  const auto role = auth::ParseRole(request.Param("role"));
  if (!role) {
    Invalid({{"role", "must be one of CUSTOMER, OPERATOR, STOCK_OPERATOR, SHIPPING_OPERATOR, ADMIN"}});
  }
  return *role;
}

asio::awaitable<Response> ChangeRole(Identity& identity, Request& request, Caller caller, RoleChange change) {
  const auth::Role role = RoleParam(request);
  std::string id(request.Param("id"));
  co_return UserResponse(200, co_await identity.ChangeRole(std::move(caller), std::move(id), role, change,
                                                           messaging::CausedBy(request)));
}

asio::awaitable<Response> GrantRole(Identity& identity, Request& request, Caller caller) {
  return ChangeRole(identity, request, std::move(caller), RoleChange::kGrant);
}

asio::awaitable<Response> RevokeRole(Identity& identity, Request& request, Caller caller) {
  return ChangeRole(identity, request, std::move(caller), RoleChange::kRevoke);
}

asio::awaitable<Response> SetDisabled(Identity& identity, Request& request, Caller caller, bool disabled) {
  std::string id(request.Param("id"));
  co_return UserResponse(200, co_await identity.SetDisabled(std::move(caller), std::move(id), disabled,
                                                            messaging::CausedBy(request)));
}

asio::awaitable<Response> Disable(Identity& identity, Request& request, Caller caller) {
  return SetDisabled(identity, request, std::move(caller), true);
}

asio::awaitable<Response> Enable(Identity& identity, Request& request, Caller caller) {
  return SetDisabled(identity, request, std::move(caller), false);
}

// Every trusted key, not only the signing one: tokens signed before a key rotation stay
// verifiable by whoever fetched this.
asio::awaitable<Response> Jwks(const auth::Verifier* verifier) {
  Response response =
      Response::Text(200, verifier ? verifier->Jwks() : std::string(R"({"keys":[]})"), "application/json");
  response.headers.Set("Cache-Control", "public, max-age=300");
  co_return response;
}

// --- Wiring -------------------------------------------------------------------------------

asio::awaitable<Response> ServePublic(Identity* identity, PublicEndpoint endpoint, Request& request) {
  try {
    co_return co_await endpoint(*identity, request);
  } catch (const IdentityError& error) {
    co_return ErrorResponse(error, request);
  }
}

asio::awaitable<Response> ServeCaller(Identity* identity, auth::Access access, CallerEndpoint endpoint,
                                      Request& request) {
  try {
    Caller caller = co_await identity->Authorize(request.Caller(), access);
    co_return co_await endpoint(*identity, request, std::move(caller));
  } catch (const IdentityError& error) {
    co_return ErrorResponse(error, request);
  }
}

void AddPublic(http::Router& router, http::Method method, std::string_view pattern, Identity& identity,
               PublicEndpoint endpoint) {
  Identity* app = &identity;
  router.Add(method, pattern, auth::Access::Public(),
             [app, endpoint](Request& request) { return ServePublic(app, endpoint, request); });
}

void AddCaller(http::Router& router, http::Method method, std::string_view pattern, auth::Access access,
               Identity& identity, CallerEndpoint endpoint) {
  Identity* app = &identity;
  router.Add(method, pattern, access, [app, access, endpoint](Request& request) {
    return ServeCaller(app, access, endpoint, request);
  });
}

}  // namespace

void RegisterRoutes(http::Router& router, Identity& identity, const auth::Verifier* verifier) {
  using http::Method;
  const auth::Access anyone = auth::Access::Authenticated();
  const auth::Access admin = auth::Access::AnyOf({auth::Role::kAdmin});

  AddPublic(router, Method::kPost, "/api/v1/register", identity, Register);
  AddPublic(router, Method::kGet, "/api/v1/token", identity, SignInBasic);
  AddPublic(router, Method::kPost, "/api/v1/token", identity, SignInJson);
  AddPublic(router, Method::kPost, "/api/v1/token/refresh", identity, RefreshTokens);
  AddCaller(router, Method::kGet, "/api/v1/token/check", anyone, identity, CheckToken);
  AddCaller(router, Method::kPost, "/api/v1/logout", anyone, identity, Logout);
  AddCaller(router, Method::kGet, "/api/v1/users/me", anyone, identity, GetMe);
  AddCaller(router, Method::kPatch, "/api/v1/users/me", anyone, identity, PatchMe);
  AddCaller(router, Method::kGet, "/api/v1/users", admin, identity, ListUsers);
  AddCaller(router, Method::kGet, "/api/v1/users/{id}", anyone, identity, GetUser);
  AddCaller(router, Method::kPut, "/api/v1/users/{id}/roles/{role}", admin, identity, GrantRole);
  AddCaller(router, Method::kDelete, "/api/v1/users/{id}/roles/{role}", admin, identity, RevokeRole);
  AddCaller(router, Method::kPost, "/api/v1/users/{id}/disable", admin, identity, Disable);
  AddCaller(router, Method::kPost, "/api/v1/users/{id}/enable", admin, identity, Enable);
  router.Get("/api/v1/jwks", auth::Access::Public(), [verifier](Request&) { return Jwks(verifier); });
}

}  // namespace microstore::identity::api
