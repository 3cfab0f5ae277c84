#include "identity/api/routes.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "identity/api/json.hpp"
#include "identity/app/accounts.hpp"
#include "identity/app/authority.hpp"
#include "identity/app/sessions.hpp"
#include "identity/app/users.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/core/text.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"

namespace microstore::identity::api {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;
using nlohmann::json;

// What the handlers call the use cases with; all of it outlives the router.
struct Context {
  pg::Pool& db;
  const messaging::Outbox& outbox;
  const Authority& authority;
};

using PublicEndpoint = asio::awaitable<Response> (*)(Context, Request&);
using CallerEndpoint = asio::awaitable<Response> (*)(Context, Request&, Caller);

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

Response Refused(const Refusal& refusal, const Request& request) {
  const ProblemMapping mapping = Map(refusal.problem);
  Response response = http::Problem(mapping.status, mapping.code, refusal.detail, &request, refusal.fields);
  if (mapping.status == 401) {
    response.headers.Set("WWW-Authenticate", refusal.problem == Problem::kInvalidCredentials
                                                 ? kBasicChallenge
                                                 : kBearerChallenge);
  }
  return response;
}

// A request whose body, query or path the use case's input cannot be read from.
http::HttpError Invalid(core::FieldErrors errors) {
  return http::HttpError(422, "validation-failed", "the request has invalid fields", std::move(errors));
}

json ObjectBody(const Request& request) {
  json body = request.Json();
  if (!body.is_object()) throw http::HttpError(400, "invalid-body", "the body must be a JSON object");
  return body;
}

Response UserAnswer(int status, const Outcome<User>& outcome, const Request& request) {
  if (const auto* refusal = std::get_if<Refusal>(&outcome)) return Refused(*refusal, request);
  return Response::Json(status, UserJson(std::get<User>(outcome)));
}

Response TokenAnswer(const Outcome<TokenPair>& outcome, const Request& request) {
  if (const auto* refusal = std::get_if<Refusal>(&outcome)) return Refused(*refusal, request);
  Response response = Response::Json(200, TokenPairJson(std::get<TokenPair>(outcome)));
  response.headers.Set("Cache-Control", "no-store");
  return response;
}

// --- Public -------------------------------------------------------------------------------

asio::awaitable<Response> PostRegister(Context context, Request& request) {
  auto validated = ValidateRegistration(ParseRegistration(ObjectBody(request)));
  if (auto* errors = std::get_if<core::FieldErrors>(&validated)) throw Invalid(std::move(*errors));
  const auto registered =
      co_await Register(context.db, context.outbox, context.authority,
                        std::move(std::get<Registration>(validated)), messaging::CausedBy(request));
  Response response = UserAnswer(201, registered, request);
  if (const auto* user = std::get_if<User>(&registered))
    response.headers.Set("Location", kPublicUserPath + user->id);
  co_return response;
}

asio::awaitable<Response> GetToken(Context context, Request& request) {
  const auto header = request.Header("Authorization");
  auto credentials = header ? ParseBasicAuthorization(*header) : std::nullopt;
  if (!credentials) {
    const Refusal refusal{Problem::kInvalidCredentials,
                          "send the e-mail and password as HTTP Basic credentials"};
    co_return Refused(refusal, request);
  }
  const auto signed_in = co_await SignIn(context.db, context.authority, std::move(credentials->email),
                                         std::move(credentials->password));
  co_return TokenAnswer(signed_in, request);
}

asio::awaitable<Response> PostToken(Context context, Request& request) {
  auto parsed = ParseCredentials(ObjectBody(request));
  if (auto* errors = std::get_if<core::FieldErrors>(&parsed)) throw Invalid(std::move(*errors));
  auto& credentials = std::get<Credentials>(parsed);
  const auto signed_in = co_await SignIn(context.db, context.authority, std::move(credentials.email),
                                         std::move(credentials.password));
  co_return TokenAnswer(signed_in, request);
}

asio::awaitable<Response> PostRefresh(Context context, Request& request) {
  auto parsed = ParseRefreshRequest(ObjectBody(request));
  if (auto* errors = std::get_if<core::FieldErrors>(&parsed)) throw Invalid(std::move(*errors));
  const auto refreshed =
      co_await Refresh(context.db, context.outbox, context.authority,
                       std::move(std::get<std::string>(parsed)), messaging::CausedBy(request));
  co_return TokenAnswer(refreshed, request);
}

// --- Authenticated ------------------------------------------------------------------------

asio::awaitable<Response> GetTokenCheck(Context, Request&, Caller caller) {
  co_return Response::Json(200, {{"active", true},
                                 {"subject", caller.user_id},
                                 {"roles", caller.token_roles.ToStrings()},
                                 {"expires_at", core::FormatRfc3339Utc(caller.expires_at)}});
}

asio::awaitable<Response> PostLogout(Context context, Request& request, Caller caller) {
  co_await Logout(context.db, context.outbox, context.authority, std::move(caller),
                  messaging::CausedBy(request));
  co_return Response::Empty(204);
}

asio::awaitable<Response> GetMe(Context context, Request& request, Caller caller) {
  std::string id = caller.user_id;
  const auto user = co_await GetUser(context.db, std::move(caller), std::move(id));
  co_return UserAnswer(200, user, request);
}

asio::awaitable<Response> PatchMe(Context context, Request& request, Caller caller) {
  ProfilePatch patch = ParseProfilePatch(ObjectBody(request));
  const auto updated =
      co_await UpdateProfile(context.db, context.outbox, context.authority, std::move(caller),
                             std::move(patch), messaging::CausedBy(request));
  co_return UserAnswer(200, updated, request);
}

asio::awaitable<Response> GetUsers(Context context, Request& request, Caller) {
  auto parsed = ParseListQuery(http::QueryParameters(request));
  if (auto* errors = std::get_if<core::FieldErrors>(&parsed)) throw Invalid(std::move(*errors));
  auto& query = std::get<ListQuery>(parsed);
  const UserPage page =
      co_await ListUsers(context.db, std::move(query.after), std::move(query.email), query.limit);
  co_return Response::Json(200, UserPageJson(page));
}

asio::awaitable<Response> GetUserById(Context context, Request& request, Caller caller) {
  std::string id(request.Param("id"));
  const auto user = co_await GetUser(context.db, std::move(caller), std::move(id));
  co_return UserAnswer(200, user, request);
}

auth::Role RoleParam(const Request& request) {
  const auto role = auth::ParseRole(request.Param("role"));
  if (!role) {
    throw Invalid({{"role", "must be one of CUSTOMER, OPERATOR, STOCK_OPERATOR, SHIPPING_OPERATOR, ADMIN"}});
  }
  return *role;
}

asio::awaitable<Response> PutRole(Context context, Request& request, Caller caller) {
  const auth::Role role = RoleParam(request);
  std::string id(request.Param("id"));
  const auto user = co_await GrantRole(context.db, context.outbox, context.authority, std::move(caller),
                                       std::move(id), role, messaging::CausedBy(request));
  co_return UserAnswer(200, user, request);
}

asio::awaitable<Response> DeleteRole(Context context, Request& request, Caller caller) {
  const auth::Role role = RoleParam(request);
  std::string id(request.Param("id"));
  const auto user = co_await RevokeRole(context.db, context.outbox, context.authority, std::move(caller),
                                        std::move(id), role, messaging::CausedBy(request));
  co_return UserAnswer(200, user, request);
}

asio::awaitable<Response> PostDisable(Context context, Request& request, Caller caller) {
  std::string id(request.Param("id"));
  const auto user = co_await DisableUser(context.db, context.outbox, context.authority, std::move(caller),
                                         std::move(id), messaging::CausedBy(request));
  co_return UserAnswer(200, user, request);
}

asio::awaitable<Response> PostEnable(Context context, Request& request, Caller caller) {
  std::string id(request.Param("id"));
  const auto user = co_await EnableUser(context.db, context.outbox, context.authority, std::move(caller),
                                        std::move(id), messaging::CausedBy(request));
  co_return UserAnswer(200, user, request);
}

// Every trusted key, not only the signing one: tokens signed before a key rotation stay
// verifiable by whoever fetched this.
asio::awaitable<Response> GetJwks(const auth::Verifier* verifier) {
  Response response =
      Response::Text(200, verifier ? verifier->Jwks() : std::string(R"({"keys":[]})"), "application/json");
  response.headers.Set("Cache-Control", "public, max-age=300");
  co_return response;
}

// --- Wiring -------------------------------------------------------------------------------

// Identity's own check of the token (Authorize) before the endpoint runs.
asio::awaitable<Response> ServeCaller(Context context, auth::Access access, CallerEndpoint endpoint,
                                      Request& request) {
  auto authorized = co_await Authorize(context.db, request.Caller(), access);
  if (const auto* refusal = std::get_if<Refusal>(&authorized)) co_return Refused(*refusal, request);
  co_return co_await endpoint(context, request, std::move(std::get<Caller>(authorized)));
}

void AddPublic(http::Router& router, http::Method method, std::string_view pattern, Context context,
               PublicEndpoint endpoint) {
  router.Add(method, pattern, auth::Access::Public(),
             [context, endpoint](Request& request) { return endpoint(context, request); });
}

void AddCaller(http::Router& router, http::Method method, std::string_view pattern, auth::Access access,
               Context context, CallerEndpoint endpoint) {
  router.Add(method, pattern, access, [context, access, endpoint](Request& request) {
    return ServeCaller(context, access, endpoint, request);
  });
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db, const messaging::Outbox& outbox,
                    const Authority& authority, const auth::Verifier* verifier) {
  using http::Method;
  const Context context{db, outbox, authority};
  const auth::Access anyone = auth::Access::Authenticated();
  const auth::Access admin = auth::Access::AnyOf({auth::Role::kAdmin});

  AddPublic(router, Method::kPost, "/api/v1/register", context, PostRegister);
  AddPublic(router, Method::kGet, "/api/v1/token", context, GetToken);
  AddPublic(router, Method::kPost, "/api/v1/token", context, PostToken);
  AddPublic(router, Method::kPost, "/api/v1/token/refresh", context, PostRefresh);
  AddCaller(router, Method::kGet, "/api/v1/token/check", anyone, context, GetTokenCheck);
  AddCaller(router, Method::kPost, "/api/v1/logout", anyone, context, PostLogout);
  AddCaller(router, Method::kGet, "/api/v1/users/me", anyone, context, GetMe);
  AddCaller(router, Method::kPatch, "/api/v1/users/me", anyone, context, PatchMe);
  AddCaller(router, Method::kGet, "/api/v1/users", admin, context, GetUsers);
  AddCaller(router, Method::kGet, "/api/v1/users/{id}", anyone, context, GetUserById);
  AddCaller(router, Method::kPut, "/api/v1/users/{id}/roles/{role}", admin, context, PutRole);
  AddCaller(router, Method::kDelete, "/api/v1/users/{id}/roles/{role}", admin, context, DeleteRole);
  AddCaller(router, Method::kPost, "/api/v1/users/{id}/disable", admin, context, PostDisable);
  AddCaller(router, Method::kPost, "/api/v1/users/{id}/enable", admin, context, PostEnable);
  router.Get("/api/v1/jwks", auth::Access::Public(), [verifier](Request&) { return GetJwks(verifier); });
}

}  // namespace microstore::identity::api
