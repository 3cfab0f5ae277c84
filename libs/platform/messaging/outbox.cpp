#include "platform/messaging/outbox.hpp"

#include <algorithm>

#include "platform/core/ids.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::messaging {
namespace {

constexpr std::size_t kRowsPerInsert = 1000;  // 6 parameters each: well below PostgreSQL's 65535
constexpr int kColumns = 6;

}  // namespace

boost::asio::awaitable<void> Append(pg::Transaction& transaction, std::vector<Envelope> events) {
  if (events.empty()) co_return;
  std::vector<std::string> bodies;
  bodies.reserve(events.size());
  for (const auto& event : events) bodies.push_back(ToJson(event));

  for (std::size_t first = 0; first < events.size(); first += kRowsPerInsert) {
    const std::size_t last = std::min(events.size(), first + kRowsPerInsert);
    std::string sql =
        "INSERT INTO outbox (event_id, exchange, routing_key, type, correlation_id, body) VALUES ";
    pg::Params params;
    int n = 0;
    for (std::size_t i = first; i < last; ++i) {
      const Envelope& event = events[i];
      if (i != first) sql += ", ";
      sql += "($" + std::to_string(n + 1) + "::uuid";
      for (int column = 2; column <= kColumns; ++column) sql += ", $" + std::to_string(n + column);
      sql += ")";
      n += kColumns;
      params.Add(event.id);
      params.Add(amqp::ExchangeOf(event.producer));
      params.Add(event.type);
      params.Add(event.type);
      params.Add(event.correlation_id);
      params.AddText(std::move(bodies[i]));
    }
    co_await transaction.Execute(std::move(sql), std::move(params));
  }
  transaction.NotifyAfterCommit(kOutboxChannel);
}

boost::asio::awaitable<void> AppendDrafts(pg::Transaction& transaction, std::vector<EventDraft> drafts,
                                          EventContext context, std::string producer, std::string node_id,
                                          std::chrono::system_clock::time_point now) {
  std::vector<Envelope> events;
  events.reserve(drafts.size());
  for (auto& draft : drafts) {
    events.push_back(MakeEvent(std::move(draft.type), draft.schema_version, std::move(draft.aggregate),
                               std::move(draft.payload), context, producer, node_id, core::NewUuid(), now));
  }
  co_await Append(transaction, std::move(events));
}

Outbox::Outbox(std::string producer, std::string node_id, Clock clock)
    : producer_(std::move(producer)), node_id_(std::move(node_id)), clock_(std::move(clock)) {}

boost::asio::awaitable<void> Outbox::Append(pg::Transaction& transaction, std::vector<EventDraft> drafts,
                                            EventContext context) const {
  const auto now = clock_();
  co_await AppendDrafts(transaction, std::move(drafts), std::move(context), producer_, node_id_, now);
}

amqp::OutgoingMessage ToMessage(const OutboxRow& row) {
  amqp::OutgoingMessage message;
  message.exchange = row.exchange;
  message.routing_key = row.routing_key;
  message.message_id = row.event_id;
  message.type = row.type;
  message.correlation_id = row.correlation_id;
  message.body = row.body;
  return message;
}

boost::asio::awaitable<std::vector<OutboxRow>> ClaimUnsent(pg::Transaction& transaction, std::size_t limit) {
  const pg::Result result = co_await transaction.Query(
      "SELECT id, event_id, exchange, routing_key, type, correlation_id, body FROM outbox "
      "WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
      limit);
  std::vector<OutboxRow> rows;
  rows.reserve(static_cast<std::size_t>(result.Rows()));
  for (int row = 0; row < result.Rows(); ++row) {
    rows.push_back(OutboxRow{result.Get<std::int64_t>(row, 0), result.Get<std::string>(row, 1),
                             result.Get<std::string>(row, 2), result.Get<std::string>(row, 3),
                             result.Get<std::string>(row, 4), result.Get<std::string>(row, 5),
                             result.Get<std::string>(row, 6)});
  }
  co_return rows;
}

boost::asio::awaitable<std::vector<double>> MarkSent(pg::Transaction& transaction,
                                                     std::vector<std::int64_t> ids) {
  std::string array = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) array += ',';
    array += std::to_string(ids[i]);
  }
  array += '}';
  const pg::Result result = co_await transaction.Query(
      "UPDATE outbox SET sent_at = clock_timestamp() WHERE id = ANY($1::bigint[]) "
      "RETURNING extract(epoch FROM sent_at - created_at)::float8",
      array);
  std::vector<double> lags;
  lags.reserve(static_cast<std::size_t>(result.Rows()));
  for (int row = 0; row < result.Rows(); ++row) lags.push_back(result.Get<double>(row, 0));
  co_return lags;
}

boost::asio::awaitable<std::int64_t> DeleteSent(pg::Pool& pool, std::chrono::seconds older_than,
                                                std::size_t limit) {
  const pg::Result result = co_await pool.Query(
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
      "WHERE sent_at < now() - make_interval(secs => $1::float8) ORDER BY sent_at LIMIT $2 FOR UPDATE SKIP "
      "LOCKED)",
      older_than.count(), limit);
  co_return result.AffectedRows();
}

boost::asio::awaitable<std::int64_t> CountUnsent(pg::Pool& pool) {
  const pg::Result result = co_await pool.Query("SELECT count(*) FROM outbox WHERE sent_at IS NULL");
  co_return result.Get<std::int64_t>(0, 0);
}

}  // namespace microstore::messaging
