#include "ping/app/visits.hpp"

#include "ping/infra/visit_store.hpp"

namespace microstore::ping {

boost::asio::awaitable<std::variant<Visits, InvalidName>> RecordVisit(pg::Pool& db, std::string name) {
  if (!IsValidName(name)) co_return InvalidName{};
  co_return co_await AddVisit(db, name);
}

boost::asio::awaitable<std::variant<Visits, InvalidName, NeverVisited>> GetVisits(pg::Pool& db, std::string name) {
  if (!IsValidName(name)) co_return InvalidName{};
  std::optional<Visits> visits = co_await FindVisits(db, name);
  if (!visits) co_return NeverVisited{};
  co_return std::move(*visits);
}

}  // namespace microstore::ping
