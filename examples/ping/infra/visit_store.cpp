#include "ping/infra/visit_store.hpp"

#include "platform/pg/pool.hpp"

namespace microstore::ping {

boost::asio::awaitable<Visits> AddVisit(pg::Pool& db, const std::string& name) {
  auto result = co_await db.Query(
      "INSERT INTO visits (name, count) VALUES ($1, 1) "
      "ON CONFLICT (name) DO UPDATE SET count = visits.count + 1, updated_at = now() RETURNING count",
      name);
  co_return Visits{name, result.Get<std::int64_t>(0, 0)};
}

boost::asio::awaitable<std::optional<Visits>> FindVisits(pg::Pool& db, const std::string& name) {
  auto result = co_await db.Query("SELECT count FROM visits WHERE name = $1", name);
  if (result.Rows() == 0) co_return std::nullopt;
  co_return Visits{name, result.Get<std::int64_t>(0, 0)};
}

}  // namespace microstore::ping
