#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <variant>

#include "ping/domain/visits.hpp"

namespace microstore::pg {
class Pool;
}

// The ping service's use cases: one function per command and query. Outcomes are values; the
// api/ layer turns them into responses. (A service that emits events takes the
// `const messaging::Outbox&` of runtime::Service::Outbox() here and appends them in the same
// transaction: see services/stock/app/.)
namespace microstore::ping {

struct InvalidName {};
struct NeverVisited {};

// POST /visits/{name}: one more visit.
boost::asio::awaitable<std::variant<Visits, InvalidName>> RecordVisit(pg::Pool& db, std::string name);
// GET /visits/{name}.
boost::asio::awaitable<std::variant<Visits, InvalidName, NeverVisited>> GetVisits(pg::Pool& db, std::string name);

}  // namespace microstore::ping
