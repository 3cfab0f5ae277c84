#include "catalog/infra/product_repository.hpp"

#include <nlohmann/json.hpp>

#include "platform/pg/errors.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::catalog {
namespace {

constexpr const char* kSkuConstraint = "products_sku_key";

constexpr const char* kColumns =
    "p.id::text, p.sku, p.name, p.description, p.photo_url, p.price_minor, p.currency, p.weight_grams, "
    "p.length_mm, p.width_mm, p.height_mm, array_to_json(p.tags)::text, p.on_promotion, p.archived, "
    "p.version, "
    "to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), p.in_stock";
constexpr int kColumnCount = 18;
// What kColumns reads, for a derived table standing in for products p.
constexpr const char* kTableColumns =
    "p.id, p.sku, p.name, p.description, p.photo_url, p.price_minor, p.currency, p.weight_grams, "
    "p.length_mm, "
    "p.width_mm, p.height_mm, p.tags, p.on_promotion, p.archived, p.version, p.created_at, p.updated_at, p.in_stock";

// Tags travel as a JSON array and come back in their order.
constexpr const char* kTagsFromJson =
    "ARRAY(SELECT tag FROM jsonb_array_elements_text($12::jsonb) WITH ORDINALITY AS t(tag, n) ORDER BY n)";

Product ReadProduct(const pg::Result& result, int row) {
  Product product;
  product.id = result.Get<std::string>(row, 0);
  ProductFields& f = product.fields;
  f.sku = result.Get<std::string>(row, 1);
  f.name = result.Get<std::string>(row, 2);
  f.description = result.Get<std::string>(row, 3);
  f.photo_url = result.Get<std::optional<std::string>>(row, 4);
  f.price_minor = result.Get<std::int64_t>(row, 5);
  f.currency = result.Get<std::string>(row, 6);
  f.weight_grams = result.Get<std::int64_t>(row, 7);
  f.dimensions_mm = {result.Get<std::int64_t>(row, 8), result.Get<std::int64_t>(row, 9),
                     result.Get<std::int64_t>(row, 10)};
  f.tags = nlohmann::json::parse(result.Get<std::string_view>(row, 11)).get<std::vector<std::string>>();
  f.on_promotion = result.Get<bool>(row, 12);
  product.archived = result.Get<bool>(row, 13);
  product.version = result.Get<std::int64_t>(row, 14);
  product.created_at = result.Get<std::string>(row, 15);
  product.updated_at = result.Get<std::string>(row, 16);
  product.in_stock = result.Get<bool>(row, 17);
  return product;
}

pg::Params FieldParams(const std::string& id, const ProductFields& f) {
  return pg::MakeParams(id, f.sku, f.name, f.description, f.photo_url, f.price_minor, f.currency,
                        f.weight_grams, f.dimensions_mm.length, f.dimensions_mm.width, f.dimensions_mm.height,
                        nlohmann::json(f.tags).dump(), f.on_promotion);
}

std::optional<Product> FirstProduct(const pg::Result& result) {
  if (result.Rows() == 0) return std::nullopt;
  return ReadProduct(result, 0);
}

// The pieces of a listing statement that depend on the sort. `rank` is the relevance expression.
struct SortSql {
  std::string key;    // the cursor key of a row, as text
  std::string order;  // ORDER BY list
  // The keyset condition "after ($k, $i)" with the two placeholders written as {k} and {i}.
  std::string after;
};

SortSql SqlFor(Sort sort) {
  switch (sort) {
    case Sort::kRelevance:  // p.rank exists in the search CTE only (ListProducts)
      return {"p.rank::text", "p.rank DESC, p.id",
              "(p.rank < {k}::numeric OR (p.rank = {k}::numeric AND p.id > {i}::uuid))"};
    case Sort::kNewest:
      // Microseconds since the epoch: exact, unlike a float of seconds. Below 2^53 the
      // multiplication of the interval (done in float8) is exact too.
      return {"(extract(epoch FROM p.created_at) * 1000000)::bigint::text", "p.created_at DESC, p.id DESC",
              "(p.created_at, p.id) < ('epoch'::timestamptz + {k}::bigint * interval '1 microsecond', "
              "{i}::uuid)"};
    case Sort::kPriceAsc:
      return {"p.price_minor::text", "p.price_minor, p.id",
              "(p.price_minor, p.id) > ({k}::bigint, {i}::uuid)"};
    case Sort::kPriceDesc:
      return {"p.price_minor::text", "p.price_minor DESC, p.id DESC",
              "(p.price_minor, p.id) < ({k}::bigint, {i}::uuid)"};
    case Sort::kName:
      return {"lower(p.name)", "lower(p.name) COLLATE \"C\", p.id",
              "(lower(p.name) COLLATE \"C\", p.id) > ({k}::text COLLATE \"C\", {i}::uuid)"};
  }
  return {};
}

// A PostgreSQL text[] literal: every element double-quoted, with quotes and backslashes escaped.
std::string TextArrayLiteral(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (const auto& value : values) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (const char c : value) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// The product a statement returns, or nullopt when it broke the SKU's uniqueness.
boost::asio::awaitable<std::optional<Product>> UnlessSkuTaken(boost::asio::awaitable<pg::Result> statement) {
  std::optional<pg::Result> result;
  try {
    result = co_await std::move(statement);
  } catch (const pg::UniqueViolation& error) {
    if (error.constraint() != kSkuConstraint) throw;
  }
  if (!result) co_return std::nullopt;
  co_return ReadProduct(*result, 0);
}

}  // namespace

boost::asio::awaitable<std::optional<Product>> InsertProduct(pg::Transaction& transaction, std::string id,
                                                             ProductFields fields) {
  co_return co_await UnlessSkuTaken(transaction.Execute(
      std::string("INSERT INTO products AS p (id, sku, name, description, photo_url, price_minor, currency, "
                  "weight_grams, length_mm, width_mm, height_mm, tags, on_promotion) "
                  "VALUES ($1::uuid, $2, $3, $4, $5, $6::bigint, $7, $8::integer, $9::integer, $10::integer, "
                  "$11::integer, ") +
          kTagsFromJson + ", $13::boolean) RETURNING " + kColumns,
      FieldParams(id, fields)));
}

boost::asio::awaitable<std::optional<Product>> FindProduct(pg::Pool& pool, std::string id) {
  auto result =
      co_await pool.Query(std::string("SELECT ") + kColumns + " FROM products p WHERE p.id = $1::uuid", id);
  co_return FirstProduct(result);
}

boost::asio::awaitable<std::optional<Product>> LockProduct(pg::Transaction& transaction, std::string id) {
  auto result = co_await transaction.Query(
      std::string("SELECT ") + kColumns + " FROM products p WHERE p.id = $1::uuid FOR UPDATE", id);
  co_return FirstProduct(result);
}

boost::asio::awaitable<std::optional<Product>> UpdateProductFields(pg::Transaction& transaction,
                                                                   std::string id, ProductFields fields) {
  co_return co_await UnlessSkuTaken(transaction.Execute(
      std::string(
          "UPDATE products AS p SET sku = $2, name = $3, description = $4, photo_url = $5, "
          "price_minor = $6::bigint, currency = $7, weight_grams = $8::integer, length_mm = $9::integer, "
          "width_mm = $10::integer, height_mm = $11::integer, tags = ") +
          kTagsFromJson +
          ", on_promotion = $13::boolean, version = p.version + 1, updated_at = now() "
          "WHERE p.id = $1::uuid RETURNING " +
          kColumns,
      FieldParams(id, fields)));
}

boost::asio::awaitable<Product> MarkArchived(pg::Transaction& transaction, std::string id) {
  auto result = co_await transaction.Query(
      std::string("UPDATE products AS p SET archived = true, version = p.version + 1, updated_at = now() "
                  "WHERE p.id = $1::uuid RETURNING ") +
          kColumns,
      id);
  co_return ReadProduct(result, 0);
}

boost::asio::awaitable<std::vector<ListedProduct>> SelectProducts(pg::Pool& pool, ListQuery query,
                                                                  std::optional<CursorPosition> after,
                                                                  std::size_t rows) {
  // Only constant SQL fragments are concatenated; every value is a parameter.
  pg::Params params;
  const auto placeholder = [&params]() { return "$" + std::to_string(params.size()); };
  const SortSql sort = SqlFor(query.sort);

  std::string filters = "NOT p.archived";
  if (query.min_price) {
    params.Add(*query.min_price);
    filters += " AND p.price_minor >= " + placeholder() + "::bigint";
  }
  if (query.max_price) {
    params.Add(*query.max_price);
    filters += " AND p.price_minor <= " + placeholder() + "::bigint";
  }
  if (query.tag) {
    params.Add(*query.tag);
    filters += " AND p.tags @> ARRAY[" + placeholder() + "::text]";
  }
  if (query.on_promotion) {
    params.Add(*query.on_promotion);
    filters += " AND p.on_promotion = " + placeholder() + "::boolean";
  }
  if (query.in_stock) {
    params.Add(*query.in_stock);
    filters += " AND p.in_stock = " + placeholder() + "::boolean";
  }

  std::string sql = std::string("SELECT ") + kColumns + ", " + sort.key;
  if (query.words.empty()) {
    // Listing: the sort's btree index walked from the cursor (see the migration).
    sql += " FROM products p WHERE " + filters;
  } else {
    // Search: the matches come from the GIN index, then are ranked and ordered. The planner
    // cannot estimate prefix terms well and may otherwise walk a sort index through every row
    // looking for a rare word; the MATERIALIZED fence keeps the cost proportional to the matches.
    // product_search_query is immutable, so with the words bound it is folded into a constant
    // tsquery at planning, computed once.
    params.Add(TextArrayLiteral(query.words));
    const std::string terms = "product_search_query(" + placeholder() + "::text[])";
    sql += " FROM (WITH matched AS MATERIALIZED (SELECT " + std::string(kTableColumns) +
           ", round(ts_rank_cd('{0.1, 0.2, 0.4, 1.0}'::float4[], p.search, " + terms +
           ")::numeric, 6) AS rank FROM products p WHERE " + filters + " AND p.search @@ " + terms +
           ") SELECT * FROM matched) p WHERE true";
  }
  if (after) {
    params.Add(after->key);
    const std::string key = placeholder();
    params.Add(after->id);
    const std::string id = placeholder();
    sql += " AND " + ReplaceAll(ReplaceAll(sort.after, "{k}", key), "{i}", id);
  }
  params.Add(static_cast<std::int64_t>(rows));
  sql += " ORDER BY " + sort.order + " LIMIT " + placeholder() + "::integer";

  auto result = co_await pool.Execute(std::move(sql), std::move(params));
  std::vector<ListedProduct> listed;
  listed.reserve(static_cast<std::size_t>(result.Rows()));
  for (int row = 0; row < result.Rows(); ++row) {
    listed.push_back({ReadProduct(result, row), result.Get<std::string>(row, kColumnCount)});
  }
  co_return listed;
}

boost::asio::awaitable<std::optional<std::int64_t>> LockStockVersion(pg::Transaction& transaction,
                                                                     std::string product_id) {
  auto result = co_await transaction.Query(
      "SELECT stock_version FROM products WHERE id = $1::uuid FOR UPDATE", product_id);
  if (result.Rows() == 0) co_return std::nullopt;
  co_return result.Get<std::int64_t>(0, 0);
}

boost::asio::awaitable<void> SaveAvailability(pg::Transaction& transaction, Availability availability) {
  co_await transaction.Query(
      "UPDATE products SET in_stock = $2::boolean, stock_version = $3::bigint WHERE id = $1::uuid",
      availability.product_id, availability.in_stock, availability.version);
}

}  // namespace microstore::catalog
