#include "platform/pg/connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "platform/log/log.hpp"

namespace microstore::pg {
namespace {

namespace asio = boost::asio;
using Wait = asio::posix::descriptor_base::wait_type;

struct ServerError {
  std::string sqlstate;
  std::string message;
  std::string constraint;
};

// libpq's messages span lines; DETAIL, CONTEXT and query-echo lines can carry row values or SQL
// literals, which must not reach logs.
std::string Sanitized(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line.starts_with("DETAIL:") || line.starts_with("CONTEXT:") ||
        line.starts_with("QUERY:") || line.starts_with("LINE ") || line.starts_with("^")) {
      continue;
    }
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

ServerError Describe(const PGresult* result) {
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
  ServerError error{sqlstate ? sqlstate : "", primary ? primary : Sanitized(PQresultErrorMessage(result)),
                    constraint ? constraint : ""};
  if (!error.sqlstate.empty()) {
    error.message += " (SQLSTATE " + error.sqlstate;
    if (!error.constraint.empty()) error.message += ", constraint " + error.constraint;
    error.message += ")";
  }
  return error;
}

bool IsLoss(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

using Options = std::vector<std::pair<std::string, std::string>>;

Options ParseConninfo(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &error);
  if (parsed == nullptr) {
    // libpq's message may quote the connection string, password included.
    if (error != nullptr) PQfreemem(error);
    throw ConnectionFailed("invalid PostgreSQL connection string");
  }
  Options options;
  for (const PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
    if (option->val != nullptr) options.emplace_back(option->keyword, option->val);
  }
  PQconninfoFree(parsed);
  return options;
}

std::string* FindOption(Options& options, std::string_view keyword) {
  for (auto& [key, value] : options) {
    if (key == keyword) return &value;
  }
  return nullptr;
}

// libpq resolves host names with a blocking getaddrinfo inside PQconnectStart; resolving here on
// Asio's resolver thread and passing hostaddr keeps the event loop free (host stays for TLS and
// .pgpass).
asio::awaitable<Options> ResolveHost(Options options) {
  std::string* host = FindOption(options, "host");
  if (host == nullptr || host->empty() || FindOption(options, "hostaddr") != nullptr) co_return options;
  if (host->front() == '/' || host->front() == '@' || host->find(',') != std::string::npos) co_return options;
  boost::system::error_code numeric;
  asio::ip::make_address(*host, numeric);
  if (!numeric) co_return options;

  const std::string* port = FindOption(options, "port");
  const std::string service =
      port != nullptr && !port->empty() && port->find(',') == std::string::npos ? *port : "5432";
  const auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  auto [ec, endpoints] = co_await resolver.async_resolve(*host, service, asio::as_tuple(asio::use_awaitable));
  if (ec || endpoints.empty()) {
    throw ConnectionFailed("cannot resolve PostgreSQL host \"" + *host + "\": " + ec.message());
  }
  std::vector<std::string> addresses;
  for (const auto& entry : endpoints) {
    std::string address = entry.endpoint().address().to_string();
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
      addresses.push_back(std::move(address));
    }
  }
  std::string hosts;
  std::string hostaddrs;
  for (const auto& address : addresses) {
    if (!hosts.empty()) {
      hosts += ',';
      hostaddrs += ',';
    }
    hosts += *host;
    hostaddrs += address;
  }
  *host = hosts;
  options.emplace_back("hostaddr", hostaddrs);
  co_return options;
}

}  // namespace

struct Connection::Impl {
  explicit Impl(asio::any_io_executor executor) : executor(executor), socket(executor) {}
  ~Impl() { Close(); }

  void Close() {
    if (socket.is_open()) socket.release();
    if (conn != nullptr) {
      PQfinish(conn);
      conn = nullptr;
    }
  }

  std::string Target() const {
    if (conn == nullptr) return "PostgreSQL";
    const char* host = PQhost(conn);
    const char* port = PQport(conn);
    const char* db = PQdb(conn);
    return std::string(host ? host : "") + ":" + (port ? port : "") + "/" + (db ? db : "");
  }

  // PQconnectPoll may replace the socket, and a new socket can reuse the old number, so the
  // reactor registration is renewed rather than compared.
  void WatchSocket() {
    if (socket.is_open()) socket.release();
    const int fd = PQsocket(conn);
    if (fd < 0) throw ConnectionFailed("cannot connect to " + Target() + ": no socket");
    boost::system::error_code ec;
    socket.assign(fd, ec);
    if (ec) throw ConnectionFailed("cannot watch the socket of " + Target() + ": " + ec.message());
  }

  asio::awaitable<void> Establish(std::string conninfo) {
    const Options options = co_await ResolveHost(ParseConninfo(conninfo));
    std::vector<const char*> keywords;
    std::vector<const char*> values;
    for (const auto& [key, value] : options) {
      keywords.push_back(key.c_str());
      values.push_back(value.c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);

    conn = PQconnectStartParams(keywords.data(), values.data(), 0);
    if (conn == nullptr) throw ConnectionFailed("cannot allocate a PostgreSQL connection");
    PostgresPollingStatusType status = PGRES_POLLING_WRITING;
    while (status != PGRES_POLLING_OK) {
      if (status == PGRES_POLLING_FAILED || PQstatus(conn) == CONNECTION_BAD) {
        throw ConnectionFailed("cannot connect to " + Target() + ": " + Sanitized(PQerrorMessage(conn)));
      }
      WatchSocket();
      co_await socket.async_wait(status == PGRES_POLLING_READING ? Wait::wait_read : Wait::wait_write,
                                 asio::use_awaitable);
      status = PQconnectPoll(conn);
    }
    if (PQsetnonblocking(conn, 1) != 0) {
      throw ConnectionFailed("cannot switch the connection to " + Target() + " to non-blocking mode");
    }
    PQsetNoticeReceiver(conn, &Impl::OnNotice, this);
    WatchSocket();
  }

  // A FATAL message on an idle connection means the server is about to close it (terminated
  // backend, shutdown); libpq reports those through the notice receiver.
  static void OnNotice(void* arg, const PGresult* result) {
    auto* self = static_cast<Impl*>(arg);
    const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    if (severity != nullptr && (std::strcmp(severity, "FATAL") == 0 || std::strcmp(severity, "PANIC") == 0)) {
      self->broken = true;
      self->fatal_message = message ? message : severity;
      log::Warn("postgres closed a connection", {{"message", message ? message : ""}});
      return;
    }
    log::Debug("postgres notice",
               {{"severity", severity ? severity : ""}, {"message", message ? message : ""}});
  }

  [[noreturn]] void ThrowLost(const std::optional<ServerError>& error = std::nullopt) {
    broken = true;
    if (error && IsLoss(error->sqlstate)) throw ConnectionLost(error->message, error->sqlstate);
    std::string reason = fatal_message;
    if (reason.empty() && conn != nullptr && PQstatus(conn) != CONNECTION_OK)
      reason = Sanitized(PQerrorMessage(conn));
    if (reason.empty()) reason = "the connection is unusable after an earlier failure";
    throw ConnectionLost("connection to " + Target() + " lost: " + reason);
  }

  void BeginOperation() {
    if (busy) throw std::logic_error("pg::Connection used by two operations at once");
    if (broken || PQstatus(conn) != CONNECTION_OK) ThrowLost();
  }

  asio::awaitable<void> Flush() {
    for (;;) {
      const int pending = PQflush(conn);
      if (pending == 0) co_return;
      if (pending < 0) ThrowLost();
      // libpq asks to wait for either direction: the server may need us to read before it
      // reads more.
      auto [order, read_ec, write_ec] =
          co_await asio::experimental::make_parallel_group(
              socket.async_wait(Wait::wait_read, asio::deferred),
              socket.async_wait(Wait::wait_write, asio::deferred))
              .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
      const auto ec = order[0] == 0 ? read_ec : write_ec;
      if (ec) throw boost::system::system_error(ec);
      if (order[0] == 0 && PQconsumeInput(conn) == 0) ThrowLost();
    }
  }

  struct Outcome {
    Result last;
    std::optional<ServerError> error;
    std::size_t failed_statement = 0;  // with `error`: which statement of a pipeline failed
  };

  // Reads the results of what was sent: one statement's, up to the null that ends them; or, in
  // pipeline mode, every statement's (each ended by a null) up to the sync. After a failure the
  // server skips the rest of a pipeline (PGRES_PIPELINE_ABORTED).
  asio::awaitable<Outcome> Collect(bool pipeline = false) {
    Outcome outcome;
    std::size_t statement = 0;
    for (;;) {
      while (PQisBusy(conn) != 0) {
        co_await socket.async_wait(Wait::wait_read, asio::use_awaitable);
        if (PQconsumeInput(conn) == 0) ThrowLost(outcome.error);
      }
      PGresult* raw = PQgetResult(conn);
      if (raw == nullptr) {
        if (!pipeline) break;
        ++statement;
        continue;
      }
      const ExecStatusType status = PQresultStatus(raw);
      Result result(raw);
      if (pipeline && status == PGRES_PIPELINE_SYNC) break;
      switch (status) {
        case PGRES_PIPELINE_ABORTED:
          break;
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
        case PGRES_EMPTY_QUERY:
          outcome.last = std::move(result);
          break;
        case PGRES_FATAL_ERROR:
          if (!outcome.error) {
            outcome.error = Describe(raw);
            outcome.failed_statement = statement;
          }
          break;
        case PGRES_COPY_IN:
        case PGRES_COPY_OUT:
        case PGRES_COPY_BOTH:
          broken = true;
          throw Error("COPY is not supported by pg::Connection");
        default:
          broken = true;
          throw Error(std::string("unexpected PostgreSQL result status ") + PQresStatus(status));
      }
    }
    if (PQstatus(conn) != CONNECTION_OK) ThrowLost(outcome.error);
    co_return outcome;
  }

  // Marks the connection broken when an operation is abandoned half-way (cancellation, an
  // exception other than a drained server error): its protocol state is then unknown.
  class Operation {
   public:
    explicit Operation(Impl& impl) : impl_(impl) { impl_.busy = true; }
    ~Operation() {
      impl_.busy = false;
      if (!completed_) impl_.broken = true;
    }
    Operation(const Operation&) = delete;
    Operation& operator=(const Operation&) = delete;
    void Complete() { completed_ = true; }

   private:
    Impl& impl_;
    bool completed_ = false;
  };

  // Prepared statements (see the header): a third of PostgreSQL's CPU in the checkout benchmark
  // went to parsing and planning the same statements again. Services build some statements from
  // input (catalogue filters, outbox rows per insert), hence the bound.
  asio::awaitable<Result> Run(std::string sql, std::optional<Params> params) {
    BeginOperation();
    Operation operation(*this);
    std::vector<const char*> values;
    if (params) {
      values.reserve(params->size());
      for (const auto& value : params->values()) values.push_back(value ? value->c_str() : nullptr);
    }
    const int count = static_cast<int>(values.size());
    std::optional<std::string> preparing;
    int sent = 0;
    if (!params) {
      sent = PQsendQuery(conn, sql.c_str());
    } else if (const auto found = prepared.find(sql); found != prepared.end()) {
      sent = PQsendQueryPrepared(conn, found->second.c_str(), count, values.data(), nullptr, nullptr, 0);
    } else if (prepared.size() < prepared_limit) {
      preparing = "s" + std::to_string(++statements_named);
      sent = PQenterPipelineMode(conn) == 1 &&
             PQsendPrepare(conn, preparing->c_str(), sql.c_str(), count, nullptr) == 1 &&
             PQsendQueryPrepared(conn, preparing->c_str(), count, values.data(), nullptr, nullptr, 0) == 1 &&
             PQpipelineSync(conn) == 1;
    } else {
      sent = PQsendQueryParams(conn, sql.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0);
    }
    if (sent == 0) {
      if (PQstatus(conn) != CONNECTION_OK) ThrowLost();
      // Nothing reached the server that needs reading; a half-built pipeline is abandoned.
      if (PQpipelineStatus(conn) != PQ_PIPELINE_OFF && PQexitPipelineMode(conn) != 1) ThrowLost();
      operation.Complete();
      throw Error("cannot send query: " + Sanitized(PQerrorMessage(conn)));
    }
    co_await Flush();
    Outcome outcome = co_await Collect(preparing.has_value());
    if (preparing) {
      if (PQexitPipelineMode(conn) != 1) ThrowLost(outcome.error);
      const bool parsed = !outcome.error || outcome.failed_statement > 0;
      if (parsed) prepared.emplace(std::move(sql), std::move(*preparing));
    }
    operation.Complete();
    if (outcome.error) {
      // The server lost our statements (DISCARD ALL, DEALLOCATE), or a table's columns changed
      // under a cached plan: prepare afresh next time.
      if (outcome.error->sqlstate == "26000" || outcome.error->sqlstate == "0A000") prepared.clear();
      ThrowForSqlState(outcome.error->sqlstate, outcome.error->message, outcome.error->constraint);
    }
    co_return std::move(outcome.last);
  }

  asio::any_io_executor executor;
  asio::posix::stream_descriptor socket;
  PGconn* conn = nullptr;
  bool broken = false;
  bool busy = false;
  std::string fatal_message;
  std::unordered_map<std::string, std::string> prepared;  // SQL text → statement name
  std::size_t prepared_limit = kDefaultPreparedStatements;
  std::uint64_t statements_named = 0;
};

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Connection::~Connection() = default;

asio::awaitable<std::unique_ptr<Connection>> Connection::Connect(asio::any_io_executor executor,
                                                                 std::string conninfo,
                                                                 std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>(executor);
  asio::steady_timer deadline(executor, timeout);
  auto [order, failure, timer_ec] =
      co_await asio::experimental::make_parallel_group(
          asio::co_spawn(executor, impl->Establish(std::move(conninfo)), asio::deferred),
          deadline.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  if (order[0] == 1) {
    if (timer_ec) throw boost::system::system_error(timer_ec);
    throw ConnectionFailed("connecting to " + impl->Target() + " timed out after " +
                           std::to_string(timeout.count()) + " ms");
  }
  if (failure) std::rethrow_exception(failure);
  co_return std::unique_ptr<Connection>(new Connection(std::move(impl)));
}

asio::awaitable<Result> Connection::Execute(std::string sql, Params params) {
  co_return co_await impl_->Run(std::move(sql), std::move(params));
}

asio::awaitable<void> Connection::ExecuteScript(std::string sql) {
  co_await impl_->Run(std::move(sql), std::nullopt);
}

asio::awaitable<std::vector<Notification>> Connection::WaitForNotifications() {
  Impl& impl = *impl_;
  impl.BeginOperation();
  Impl::Operation operation(impl);
  // No statement is in flight, so abandoning this wait leaves the protocol state intact.
  operation.Complete();
  std::vector<Notification> notifications;
  for (;;) {
    while (PGnotify* notify = PQnotifies(impl.conn)) {
      notifications.push_back({notify->relname, notify->extra, notify->be_pid});
      PQfreemem(notify);
    }
    if (!notifications.empty()) co_return notifications;
    if (impl.broken) impl.ThrowLost();
    co_await impl.socket.async_wait(Wait::wait_read, asio::use_awaitable);
    if (PQconsumeInput(impl.conn) == 0) impl.ThrowLost();
  }
}

void Connection::SetPreparedStatementLimit(std::size_t limit) { impl_->prepared_limit = limit; }

bool Connection::IsAlive() {
  Impl& impl = *impl_;
  if (impl.broken || impl.busy || impl.conn == nullptr || PQstatus(impl.conn) != CONNECTION_OK) return false;
  // An idle connection has nothing to read unless the server spoke unprompted: a notice, a
  // notification, or its last words before closing. Read it and look.
  for (int round = 0; round < 8; ++round) {
    pollfd fd{PQsocket(impl.conn), POLLIN, 0};
    const int ready = ::poll(&fd, 1, 0);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || (fd.revents & (POLLERR | POLLNVAL)) != 0) {
      impl.broken = true;
      return false;
    }
    if (ready == 0) return true;
    if (PQconsumeInput(impl.conn) == 0) {
      impl.broken = true;
      return false;
    }
    if (impl.broken || PQstatus(impl.conn) != CONNECTION_OK) return false;
  }
  return !impl.broken;
}

bool Connection::IsBroken() const {
  return impl_->broken || impl_->conn == nullptr || PQstatus(impl_->conn) != CONNECTION_OK;
}

TransactionState Connection::GetTransactionState() const {
  if (IsBroken()) return TransactionState::kUnknown;
  switch (PQtransactionStatus(impl_->conn)) {
    case PQTRANS_IDLE:
      return TransactionState::kIdle;
    case PQTRANS_ACTIVE:
      return TransactionState::kActive;
    case PQTRANS_INTRANS:
      return TransactionState::kInTransaction;
    case PQTRANS_INERROR:
      return TransactionState::kInError;
    default:
      return TransactionState::kUnknown;
  }
}

int Connection::BackendPid() const { return impl_->conn ? PQbackendPID(impl_->conn) : 0; }

const asio::any_io_executor& Connection::executor() const { return impl_->executor; }

}  // namespace microstore::pg
