#include "catalog/api/routes.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "catalog/api/json.hpp"
#include "catalog/app/products.hpp"
#include "platform/core/ids.hpp"
#include "platform/core/overloaded.hpp"
#include "platform/http/pagination.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"
#include "platform/messaging/outbox.hpp"

namespace microstore::catalog::api {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

constexpr const char* kPublicPrefix = "/api/v1/catalog/products/";

HttpError NotFound() { return HttpError(404, "not-found", "no product has this id"); }

HttpError SkuConflict(const SkuTaken& taken) {
  return HttpError(409, "sku-taken", "another product already has SKU '" + taken.sku + "'",
                   {{"sku", "is already taken"}});
}

// The product id of the path, or 404: a malformed id names no product.
std::string ProductId(const Request& request) {
  std::string id(request.Param("id"));
  if (!core::IsUuid(id)) throw NotFound();
  return id;
}

Response ProductResponse(int status, const Product& product) {
  Response response = Response::Json(status, ProductJson(product));
  response.headers.Set("ETag", EntityTag(product.version));
  return response;
}

asio::awaitable<Response> ListProductsHandler(pg::Pool& db, Request& request) {
  auto read = ReadListRequest(http::QueryParameters(request));
  if (auto* problems = std::get_if<core::FieldErrors>(&read)) throw http::ValidationFailed(*problems);
  ListRequest list = std::move(std::get<ListRequest>(read));
  // Not QueryReader::Cursor: a cursor of another listing has its own problem type here.
  std::optional<CursorPosition> after;
  if (list.cursor) {
    after = DecodeCursor(*list.cursor, list.query);
    if (!after) {
      throw HttpError(422, "invalid-cursor",
                      "the cursor does not continue this listing (other filters, search or sort); "
                      "start again without it");
    }
  }
  const std::vector<ListedProduct> rows = co_await ListProducts(db, list.query, after, list.limit);
  const auto cursor_after = [&list](const ListedProduct& last) {
    return EncodeCursor(list.query, {last.sort_key, last.product.id});
  };
  const nlohmann::json body = http::PageBody(
      rows, list.limit, [](const ListedProduct& row) { return ProductJson(row.product); }, cursor_after);
  co_return Response::Json(200, body);
}

asio::awaitable<Response> GetProductHandler(pg::Pool& db, Request& request) {
  std::optional<Product> product = co_await GetProduct(db, ProductId(request));
  if (!product) throw NotFound();
  co_return ProductResponse(200, *product);
}

asio::awaitable<Response> CreateProductHandler(pg::Pool& db, const messaging::Outbox& outbox, Request& request) {
  auto read = ReadNewProduct(request.Json());
  if (auto* problems = std::get_if<core::FieldErrors>(&read)) throw http::ValidationFailed(*problems);
  const CreateOutcome outcome = co_await CreateProduct(db, outbox, std::move(std::get<ProductFields>(read)),
                                                       messaging::CausedBy(request));
  if (const auto* taken = std::get_if<SkuTaken>(&outcome)) throw SkuConflict(*taken);
  const Product& created = std::get<Product>(outcome);
  Response response = ProductResponse(201, created);
  response.headers.Set("Location", kPublicPrefix + created.id);
  co_return response;
}

asio::awaitable<Response> PatchProductHandler(pg::Pool& db, const messaging::Outbox& outbox, Request& request) {
  std::optional<IfMatch> precondition;
  if (const auto header = request.Header("If-Match")) {
    precondition = ParseIfMatch(*header);
    if (!precondition) {
      throw HttpError(400, "invalid-if-match", "If-Match must be * or a list of entity tags such as \"3\"");
    }
  }
  std::string id = ProductId(request);
  PatchRequest patch = ReadProductPatch(request.Json());
  const UpdateOutcome outcome = co_await UpdateProduct(db, outbox, std::move(id), std::move(precondition),
                                                       std::move(patch), messaging::CausedBy(request));
  co_return std::visit(
      core::Overloaded{
          [](const Product& product) { return ProductResponse(200, product); },
          [](const UnknownProduct&) -> Response { throw NotFound(); },
          [](const patch::VersionMismatch& mismatch) -> Response {
            throw HttpError(412, "version-mismatch",
                            "the product is at version " + std::to_string(mismatch.current_version) +
                                "; fetch it again and reapply the change");
          },
          [](const patch::Archived&) -> Response {
            throw HttpError(409, "product-archived", "an archived product cannot be changed");
          },
          [](const patch::Invalid& invalid) -> Response { throw http::ValidationFailed(invalid.problems); },
          [](const SkuTaken& taken) -> Response { throw SkuConflict(taken); },
      },
      outcome);
}

asio::awaitable<Response> ArchiveProductHandler(pg::Pool& db, const messaging::Outbox& outbox, Request& request) {
  const ArchiveOutcome outcome =
      co_await ArchiveProduct(db, outbox, ProductId(request), messaging::CausedBy(request));
  if (std::holds_alternative<UnknownProduct>(outcome)) throw NotFound();
  co_return ProductResponse(200, std::get<Product>(outcome));
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db, const messaging::Outbox& outbox) {
  const auto admin = auth::Access::AnyOf({auth::Role::kAdmin});
  router.Get("/api/v1/products", auth::Access::Public(),
             [&db](Request& request) { return ListProductsHandler(db, request); });
  router.Get("/api/v1/products/{id}", auth::Access::Public(),
             [&db](Request& request) { return GetProductHandler(db, request); });
  router.Post("/api/v1/products", admin,
              [&db, &outbox](Request& request) { return CreateProductHandler(db, outbox, request); });
  router.Patch("/api/v1/products/{id}", admin,
               [&db, &outbox](Request& request) { return PatchProductHandler(db, outbox, request); });
  router.Post("/api/v1/products/{id}/archive", admin,
              [&db, &outbox](Request& request) { return ArchiveProductHandler(db, outbox, request); });
}

}  // namespace microstore::catalog::api
