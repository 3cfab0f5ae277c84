#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "ping/domain/visits.hpp"

namespace microstore::pg {
class Pool;
}

// The visits table (migrations/0001_create_visits.sql): SQL and row mapping only.
namespace microstore::ping {

// Counts one more visit of `name` (inserting its row on the first) and answers the new total.
boost::asio::awaitable<Visits> AddVisit(pg::Pool& db, const std::string& name);
// The visits of `name`; nullopt when it was never visited.
boost::asio::awaitable<std::optional<Visits>> FindVisits(pg::Pool& db, const std::string& name);

}  // namespace microstore::ping
