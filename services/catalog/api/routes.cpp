#include "catalog/api/routes.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "platform/core/ids.hpp"
#include "catalog/domain/changes.hpp"
#include "catalog/domain/listing.hpp"
#include "catalog/domain/validation.hpp"
#include "platform/http/pagination.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"
#include "catalog/infra/product_repository.hpp"
#include "platform/pg/errors.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::catalog {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

constexpr const char* kPublicPrefix = "/api/v1/catalog/products/";

HttpError NotFound() { return HttpError(404, "not-found", "no product has this id"); }

HttpError SkuTaken(const std::string& sku) {
  return HttpError(409, "sku-taken", "another product already has SKU '" + sku + "'",
                   {{"sku", "is already taken"}});
}

// The product id of the path, or 404: a malformed id names no product.
std::string ProductId(const Request& request) {
  std::string id(request.Param("id"));
  if (!core::IsUuid(id)) throw NotFound();
  return id;
}

Response ProductResponse(int status, const Product& product) {
  Response response = Response::Json(status, ToJson(product));
  response.headers.Set("ETag", EntityTag(product.version));
  return response;
}

bool IsSkuConflict(const pg::UniqueViolation& error) { return error.constraint() == kSkuConstraint; }

asio::awaitable<Response> ListProductsHandler(pg::Pool& db, Request& request) {
  auto parsed = ParseListQuery(http::QueryParameters(request));
  if (auto* problems = std::get_if<Problems>(&parsed)) throw http::ValidationFailed(*problems);
  ListQuery query = std::move(std::get<ListQuery>(parsed));
  std::optional<CursorPosition> after;
  if (query.cursor) {
    after = DecodeCursor(*query.cursor, query);
    if (!after) {
      throw HttpError(422, "invalid-cursor",
                      "the cursor does not continue this listing (other filters, search or sort); "
                      "start again without it");
    }
  }
  const std::size_t limit = query.limit;
  std::vector<ListedProduct> rows = co_await ListProducts(db, query, after, limit + 1);
  const auto cursor_after = [&query](const ListedProduct& last) {
    return EncodeCursor(query, {last.sort_key, last.product.id});
  };
  const nlohmann::json body = http::PageBody(
      rows, limit, [](const ListedProduct& row) { return ToJson(row.product); }, cursor_after);
  co_return Response::Json(200, body);
}

asio::awaitable<Response> GetProductHandler(pg::Pool& db, Request& request) {
  std::optional<Product> product = co_await FindProduct(db, ProductId(request));
  if (!product) throw NotFound();
  co_return ProductResponse(200, *product);
}

asio::awaitable<Response> CreateProductHandler(pg::Pool& db, std::string node_id, Request& request) {
  auto validated = ValidateNewProduct(request.Json());
  if (auto* problems = std::get_if<Problems>(&validated)) throw http::ValidationFailed(*problems);
  ProductFields fields = std::move(std::get<ProductFields>(validated));
  const std::string sku = fields.sku;

  pg::Transaction transaction = co_await db.Begin();
  std::optional<Product> created;
  try {
    created = co_await InsertProduct(transaction, core::NewUuid(), std::move(fields));
  } catch (const pg::UniqueViolation& error) {
    if (IsSkuConflict(error)) throw SkuTaken(sku);
    throw;
  }
  co_await AppendProductEvents(transaction, *created, CreatedEvents(*created), messaging::CausedBy(request),
                               node_id);
  co_await transaction.Commit();

  Response response = ProductResponse(201, *created);
  response.headers.Set("Location", kPublicPrefix + created->id);
  co_return response;
}

asio::awaitable<Response> PatchProductHandler(pg::Pool& db, std::string node_id, Request& request) {
  std::optional<IfMatch> precondition;
  if (const auto header = request.Header("If-Match")) {
    precondition = ParseIfMatch(*header);
    if (!precondition) {
      throw HttpError(400, "invalid-if-match", "If-Match must be * or a list of entity tags such as \"3\"");
    }
  }
  const std::string id = ProductId(request);
  const nlohmann::json patch = request.Json();

  pg::Transaction transaction = co_await db.Begin();
  std::optional<Product> current = co_await LockProduct(transaction, id);
  if (!current) throw NotFound();
  PatchDecision decision = DecidePatch(*current, precondition, patch);
  if (auto* mismatch = std::get_if<patch::VersionMismatch>(&decision)) {
    throw HttpError(412, "version-mismatch",
                    "the product is at version " + std::to_string(mismatch->current_version) +
                        "; fetch it again and reapply the change");
  }
  if (std::holds_alternative<patch::Archived>(decision)) {
    throw HttpError(409, "product-archived", "an archived product cannot be changed");
  }
  if (auto* invalid = std::get_if<patch::Invalid>(&decision)) {
    throw http::ValidationFailed(invalid->problems);
  }
  if (std::holds_alternative<patch::Unchanged>(decision)) {
    co_await transaction.Commit();
    co_return ProductResponse(200, *current);
  }

  ProductFields fields = std::move(std::get<patch::Changed>(decision).fields);
  const std::string sku = fields.sku;
  std::optional<Product> updated;
  try {
    updated = co_await UpdateProduct(transaction, id, std::move(fields));
  } catch (const pg::UniqueViolation& error) {
    if (IsSkuConflict(error)) throw SkuTaken(sku);
    throw;
  }
  co_await AppendProductEvents(transaction, *updated, UpdatedEvents(*current, *updated),
                               messaging::CausedBy(request), node_id);
  co_await transaction.Commit();
  co_return ProductResponse(200, *updated);
}

asio::awaitable<Response> ArchiveProductHandler(pg::Pool& db, std::string node_id, Request& request) {
  const std::string id = ProductId(request);
  pg::Transaction transaction = co_await db.Begin();
  std::optional<Product> current = co_await LockProduct(transaction, id);
  if (!current) throw NotFound();
  if (current->archived) {
    co_await transaction.Commit();
    co_return ProductResponse(200, *current);
  }
  Product archived = co_await ArchiveProduct(transaction, id);
  co_await AppendProductEvents(transaction, archived, ArchivedEvents(archived), messaging::CausedBy(request),
                               node_id);
  co_await transaction.Commit();
  co_return ProductResponse(200, archived);
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db, std::string node_id) {
  const auto admin = auth::Access::AnyOf({auth::Role::kAdmin});
  router.Get("/api/v1/products", auth::Access::Public(),
             [&db](Request& request) { return ListProductsHandler(db, request); });
  router.Get("/api/v1/products/{id}", auth::Access::Public(),
             [&db](Request& request) { return GetProductHandler(db, request); });
  router.Post("/api/v1/products", admin,
              [&db, node_id](Request& request) { return CreateProductHandler(db, node_id, request); });
  router.Patch("/api/v1/products/{id}", admin,
               [&db, node_id](Request& request) { return PatchProductHandler(db, node_id, request); });
  router.Post("/api/v1/products/{id}/archive", admin,
              [&db, node_id](Request& request) { return ArchiveProductHandler(db, node_id, request); });
}

}  // namespace microstore::catalog
