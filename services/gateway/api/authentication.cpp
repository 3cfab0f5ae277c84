#include "gateway/api/authentication.hpp"

#include "gateway/domain/revocations.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/http/problem.hpp"

namespace microstore::gateway::api {
namespace {

http::Response InvalidToken(const http::Request& request, std::string_view detail) {
  http::Response response = http::Problem(401, "invalid-token", detail, &request);
  response.headers.Set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return response;
}

}  // namespace

std::variant<ClientKey, http::Response> Authenticate(const http::Request& request,
                                                     const auth::Verifier* verifier,
                                                     const RevocationCache& revocations) {
  if (const auto authorization = request.Header("Authorization")) {
    if (const auto token = auth::BearerToken(*authorization)) {
      if (verifier == nullptr) return InvalidToken(request, "token verification is not configured");
      const auto verified = verifier->Verify(*token, WallClock::now());
      if (const auto* error = std::get_if<auth::VerifyError>(&verified)) {
        return InvalidToken(request, auth::Describe(*error));
      }
      const auto& principal = std::get<auth::Principal>(verified);
      if (const Refusal refusal = revocations.Check(principal.subject, principal.token_id);
          refusal != Refusal::kNone) {
        return InvalidToken(request, Describe(refusal));
      }
      return "user:" + principal.subject;
    }
  }
  return "addr:" + request.remote_address;
}

}  // namespace microstore::gateway::api
