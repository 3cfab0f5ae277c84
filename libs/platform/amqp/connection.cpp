#include "platform/amqp/connection.hpp"

#include <amqp_tcp_socket.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "platform/log/log.hpp"

namespace microstore::amqp::detail {
namespace {

constexpr int kFrameMax = 131072;
constexpr timeval kConnectTimeout{5, 0};
constexpr timeval kHandshakeTimeout{10, 0};
constexpr timeval kRpcTimeout{30, 0};  // quorum queue declarations wait for a Raft election
constexpr timeval kCloseTimeout{1, 0};

amqp_bytes_t Bytes(const std::string& text) {
  return amqp_bytes_t{text.size(), const_cast<char*>(text.data())};
}

std::string Text(const amqp_bytes_t& bytes) {
  return bytes.len == 0 ? std::string() : std::string(static_cast<const char*>(bytes.bytes), bytes.len);
}

// The entries point into `arguments`, which must outlive the returned table's use.
class Table {
 public:
  explicit Table(const Arguments& arguments) {
    entries_.reserve(arguments.size());
    for (const auto& argument : arguments) {
      amqp_table_entry_t entry{};
      entry.key = Bytes(argument.key);
      if (const auto* text = std::get_if<std::string>(&argument.value)) {
        entry.value.kind = AMQP_FIELD_KIND_UTF8;
        entry.value.value.bytes = Bytes(*text);
      } else {
        entry.value.kind = AMQP_FIELD_KIND_I64;
        entry.value.value.i64 = std::get<std::int64_t>(argument.value);
      }
      entries_.push_back(entry);
    }
  }
  explicit Table(const Headers& headers) {
    entries_.reserve(headers.size());
    for (const auto& [key, value] : headers) {
      amqp_table_entry_t entry{};
      entry.key = Bytes(key);
      entry.value.kind = AMQP_FIELD_KIND_UTF8;
      entry.value.value.bytes = Bytes(value);
      entries_.push_back(entry);
    }
  }
  amqp_table_t get() { return amqp_table_t{static_cast<int>(entries_.size()), entries_.data()}; }

 private:
  std::vector<amqp_table_entry_t> entries_;
};

std::optional<std::string> ScalarText(const amqp_field_value_t& value) {
  switch (value.kind) {
    case AMQP_FIELD_KIND_UTF8:
    case AMQP_FIELD_KIND_BYTES:
      return Text(value.value.bytes);
    case AMQP_FIELD_KIND_BOOLEAN:
      return value.value.boolean ? "true" : "false";
    case AMQP_FIELD_KIND_I8:
      return std::to_string(value.value.i8);
    case AMQP_FIELD_KIND_U8:
      return std::to_string(value.value.u8);
    case AMQP_FIELD_KIND_I16:
      return std::to_string(value.value.i16);
    case AMQP_FIELD_KIND_U16:
      return std::to_string(value.value.u16);
    case AMQP_FIELD_KIND_I32:
      return std::to_string(value.value.i32);
    case AMQP_FIELD_KIND_U32:
      return std::to_string(value.value.u32);
    case AMQP_FIELD_KIND_I64:
      return std::to_string(value.value.i64);
    case AMQP_FIELD_KIND_U64:
    case AMQP_FIELD_KIND_TIMESTAMP:
      return std::to_string(value.value.u64);
    default:
      return std::nullopt;  // tables and arrays (x-death), floats, decimals
  }
}

std::string CloseReason(std::uint16_t code, const amqp_bytes_t& text) {
  return std::to_string(code) + " " + Text(text);
}

}  // namespace

Connection::Connection(const BrokerAddress& address, std::chrono::seconds heartbeat,
                       std::function<void(int)> on_socket)
    : on_socket_(std::move(on_socket)) {
  state_ = amqp_new_connection();
  if (state_ == nullptr) throw ConnectionLost("out of memory");
  try {
    amqp_socket_t* socket = amqp_tcp_socket_new(state_);
    if (socket == nullptr) throw ConnectionLost("cannot create a socket");
    const std::string where = address.host + ":" + std::to_string(address.port);
    const int opened = amqp_socket_open_noblock(socket, address.host.c_str(), address.port, &kConnectTimeout);
    if (opened != AMQP_STATUS_OK)
      throw ConnectionLost("cannot connect to " + where + ": " + amqp_error_string2(opened));
    if (on_socket_) on_socket_(amqp_socket_get_sockfd(socket));
    amqp_set_handshake_timeout(state_, &kHandshakeTimeout);
    amqp_set_rpc_timeout(state_, &kRpcTimeout);
    const auto reply =
        amqp_login(state_, address.vhost.c_str(), 0, kFrameMax, static_cast<int>(heartbeat.count()),
                   AMQP_SASL_METHOD_PLAIN, address.user.c_str(), address.password.c_str());
    Check(reply, "login");
  } catch (...) {
    Destroy();
    throw;
  }
}

Connection::~Connection() { Destroy(); }

void Connection::Destroy() noexcept {
  if (state_ == nullptr) return;
  if (on_socket_) on_socket_(-1);
  amqp_destroy_connection(state_);
  state_ = nullptr;
}

void Connection::Close() noexcept {
  amqp_set_rpc_timeout(state_, &kCloseTimeout);
  amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
}

void Connection::Check(const char* what) { Check(amqp_get_rpc_reply(state_), what); }

void Connection::Check(const amqp_rpc_reply_t& reply, const char* what) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return;
    case AMQP_RESPONSE_NONE:
      throw ConnectionLost(std::string(what) + ": no reply from the broker");
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      throw ConnectionLost(std::string(what) + ": " + amqp_error_string2(reply.library_error));
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      break;
  }
  if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    const auto* close = static_cast<const amqp_connection_close_t*>(reply.reply.decoded);
    const std::string reason = CloseReason(close->reply_code, close->reply_text);
    amqp_connection_close_ok_t ok{};
    amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
    throw ConnectionLost(std::string(what) + ": the broker closed the connection: " + reason);
  }
  if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
    const auto* close = static_cast<const amqp_channel_close_t*>(reply.reply.decoded);
    throw std::runtime_error(std::string(what) + ": " + CloseReason(close->reply_code, close->reply_text));
  }
  throw std::runtime_error(std::string(what) + ": unexpected reply from the broker");
}

void Connection::CheckStatus(int status, const char* what) {
  if (status != AMQP_STATUS_OK) throw ConnectionLost(std::string(what) + ": " + amqp_error_string2(status));
}

void Connection::OpenChannel(amqp_channel_t channel) {
  amqp_channel_open(state_, channel);
  Check("channel.open");
}

void Connection::CloseChannel(amqp_channel_t channel) {
  Check(amqp_channel_close(state_, channel, AMQP_REPLY_SUCCESS), "channel.close");
  contents_.erase(channel);
  amqp_maybe_release_buffers_on_channel(state_, channel);
}

void Connection::ConfirmSelect(amqp_channel_t channel) {
  amqp_confirm_select(state_, channel);
  Check("confirm.select");
}

void Connection::Qos(amqp_channel_t channel, std::uint16_t prefetch) {
  amqp_basic_qos(state_, channel, 0, prefetch, false);
  Check("basic.qos");
}

void Connection::Consume(amqp_channel_t channel, const std::string& queue) {
  amqp_basic_consume(state_, channel, Bytes(queue), amqp_empty_bytes, false, false, false, amqp_empty_table);
  Check("basic.consume");
  amqp_maybe_release_buffers_on_channel(state_, channel);
}

void Connection::DeclareExchange(amqp_channel_t channel, const std::string& name, const char* type,
                                 const Arguments& arguments) {
  Table table(arguments);
  amqp_exchange_declare(state_, channel, Bytes(name), amqp_cstring_bytes(type), false, true, false, false,
                        table.get());
  Check(("exchange.declare " + name).c_str());
  amqp_maybe_release_buffers_on_channel(state_, channel);
}

void Connection::DeleteExchange(amqp_channel_t channel, const std::string& name) {
  amqp_exchange_delete(state_, channel, Bytes(name), false);
  Check(("exchange.delete " + name).c_str());
  amqp_maybe_release_buffers_on_channel(state_, channel);
}

std::uint32_t Connection::DeclareQueue(amqp_channel_t channel, const std::string& name,
                                       const Arguments& arguments, bool passive) {
  Table table(arguments);
  const auto* ok = amqp_queue_declare(state_, channel, Bytes(name), passive, true, false, false, table.get());
  Check(("queue.declare " + name).c_str());
  const std::uint32_t count = ok->message_count;
  amqp_maybe_release_buffers_on_channel(state_, channel);
  return count;
}

void Connection::BindQueue(amqp_channel_t channel, const std::string& queue, const std::string& exchange,
                           const std::string& routing_key) {
  amqp_queue_bind(state_, channel, Bytes(queue), Bytes(exchange), Bytes(routing_key), amqp_empty_table);
  Check(("queue.bind " + queue).c_str());
  amqp_maybe_release_buffers_on_channel(state_, channel);
}

void Connection::DeleteQueue(amqp_channel_t channel, const std::string& name) {
  amqp_queue_delete(state_, channel, Bytes(name), false, false);
  Check(("queue.delete " + name).c_str());
  amqp_maybe_release_buffers_on_channel(state_, channel);
}

void Connection::Publish(amqp_channel_t channel, const OutgoingMessage& message, bool mandatory) {
  static const std::string kJson = "application/json";
  Table headers(message.headers);
  amqp_basic_properties_t properties{};
  properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
  properties.content_type = Bytes(kJson);
  properties.delivery_mode = 2;
  if (!message.message_id.empty()) {
    properties._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
    properties.message_id = Bytes(message.message_id);
  }
  if (!message.type.empty()) {
    properties._flags |= AMQP_BASIC_TYPE_FLAG;
    properties.type = Bytes(message.type);
  }
  if (!message.correlation_id.empty()) {
    properties._flags |= AMQP_BASIC_CORRELATION_ID_FLAG;
    properties.correlation_id = Bytes(message.correlation_id);
  }
  if (!message.headers.empty()) {
    properties._flags |= AMQP_BASIC_HEADERS_FLAG;
    properties.headers = headers.get();
  }
  CheckStatus(amqp_basic_publish(state_, channel, Bytes(message.exchange), Bytes(message.routing_key),
                                 mandatory, false, &properties, Bytes(message.body)),
              "basic.publish");
}

void Connection::Ack(amqp_channel_t channel, std::uint64_t delivery_tag, bool multiple) {
  CheckStatus(amqp_basic_ack(state_, channel, delivery_tag, multiple), "basic.ack");
}

void Connection::Nack(amqp_channel_t channel, std::uint64_t delivery_tag, bool requeue) {
  CheckStatus(amqp_basic_nack(state_, channel, delivery_tag, false, requeue), "basic.nack");
}

std::optional<Delivery> Connection::Get(amqp_channel_t channel, const std::string& queue, bool no_ack) {
  const auto reply = amqp_basic_get(state_, channel, Bytes(queue), no_ack);
  Check(reply, ("basic.get " + queue).c_str());
  if (reply.reply.id != AMQP_BASIC_GET_OK_METHOD) {
    amqp_maybe_release_buffers_on_channel(state_, channel);
    return std::nullopt;
  }
  const auto* ok = static_cast<const amqp_basic_get_ok_t*>(reply.reply.decoded);
  Delivery delivery;
  delivery.delivery_tag = ok->delivery_tag;
  delivery.redelivered = ok->redelivered != 0;
  delivery.exchange = Text(ok->exchange);
  delivery.routing_key = Text(ok->routing_key);
  amqp_message_t message{};
  const auto read = amqp_read_message(state_, channel, &message, 0);
  if (read.reply_type != AMQP_RESPONSE_NORMAL) {
    amqp_destroy_message(&message);
    Check(read, "basic.get content");
  }
  ReadProperties(message.properties, delivery);
  delivery.body = Text(message.body);
  amqp_destroy_message(&message);
  amqp_maybe_release_buffers_on_channel(state_, channel);
  return delivery;
}

void Connection::Wait(int wake_fd, std::chrono::milliseconds timeout) {
  if (amqp_frames_enqueued(state_) || amqp_data_in_buffer(state_)) return;
  pollfd fds[2] = {{amqp_get_sockfd(state_), POLLIN, 0}, {wake_fd, POLLIN, 0}};
  ::poll(fds, 2, static_cast<int>(std::max<std::int64_t>(timeout.count(), 0)));
}

std::optional<Incoming> Connection::TryRead() {
  for (;;) {
    amqp_frame_t frame{};
    // Not {0, 0}: rabbitmq-c takes that as "immediate", a deadline earlier than any heartbeat
    // deadline, and may then never report a missed heartbeat. A microsecond still polls with 0 ms.
    timeval almost_zero{0, 1};
    const int status = amqp_simple_wait_frame_noblock(state_, &frame, &almost_zero);
    if (status == AMQP_STATUS_TIMEOUT) return std::nullopt;
    CheckStatus(status, "reading from the broker");
    auto incoming = Accept(frame);
    amqp_maybe_release_buffers_on_channel(state_, frame.channel);
    if (incoming) return incoming;
  }
}

std::optional<Incoming> Connection::Accept(const amqp_frame_t& frame) {
  const amqp_channel_t channel = frame.channel;
  if (frame.frame_type == AMQP_FRAME_HEADER || frame.frame_type == AMQP_FRAME_BODY) {
    const auto it = contents_.find(channel);
    if (it == contents_.end())
      throw ConnectionLost("content frame without a method on channel " + std::to_string(channel));
    Content& content = it->second;
    if (frame.frame_type == AMQP_FRAME_HEADER) {
      content.header_seen = true;
      content.body_size = frame.payload.properties.body_size;
      ReadProperties(*static_cast<const amqp_basic_properties_t*>(frame.payload.properties.decoded),
                     content.incoming.message);
      content.incoming.message.body.reserve(content.body_size);
    } else {
      if (!content.header_seen) throw ConnectionLost("content body before its header");
      content.incoming.message.body.append(static_cast<const char*>(frame.payload.body_fragment.bytes),
                                           frame.payload.body_fragment.len);
    }
    if (!content.header_seen || content.incoming.message.body.size() < content.body_size) return std::nullopt;
    Incoming complete = std::move(content.incoming);
    contents_.erase(it);
    return complete;
  }
  if (frame.frame_type != AMQP_FRAME_METHOD) return std::nullopt;

  Incoming incoming;
  incoming.channel = channel;
  incoming.method = frame.payload.method.id;
  const void* decoded = frame.payload.method.decoded;
  switch (incoming.method) {
    case AMQP_BASIC_ACK_METHOD: {
      const auto* ack = static_cast<const amqp_basic_ack_t*>(decoded);
      incoming.delivery_tag = ack->delivery_tag;
      incoming.multiple = ack->multiple != 0;
      return incoming;
    }
    case AMQP_BASIC_NACK_METHOD: {
      const auto* nack = static_cast<const amqp_basic_nack_t*>(decoded);
      incoming.delivery_tag = nack->delivery_tag;
      incoming.multiple = nack->multiple != 0;
      return incoming;
    }
    case AMQP_BASIC_DELIVER_METHOD: {
      const auto* deliver = static_cast<const amqp_basic_deliver_t*>(decoded);
      incoming.delivery_tag = deliver->delivery_tag;
      incoming.message.delivery_tag = deliver->delivery_tag;
      incoming.message.redelivered = deliver->redelivered != 0;
      incoming.message.exchange = Text(deliver->exchange);
      incoming.message.routing_key = Text(deliver->routing_key);
      contents_[channel] = Content{std::move(incoming)};
      return std::nullopt;
    }
    case AMQP_BASIC_RETURN_METHOD: {
      const auto* returned = static_cast<const amqp_basic_return_t*>(decoded);
      incoming.reply_text = CloseReason(returned->reply_code, returned->reply_text);
      incoming.message.exchange = Text(returned->exchange);
      incoming.message.routing_key = Text(returned->routing_key);
      contents_[channel] = Content{std::move(incoming)};
      return std::nullopt;
    }
    case AMQP_CHANNEL_CLOSE_METHOD: {
      const auto* close = static_cast<const amqp_channel_close_t*>(decoded);
      const std::string reason = CloseReason(close->reply_code, close->reply_text);
      amqp_channel_close_ok_t ok{};
      amqp_send_method(state_, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
      throw std::runtime_error("the broker closed channel " + std::to_string(channel) + ": " + reason);
    }
    case AMQP_CONNECTION_CLOSE_METHOD: {
      const auto* close = static_cast<const amqp_connection_close_t*>(decoded);
      const std::string reason = CloseReason(close->reply_code, close->reply_text);
      amqp_connection_close_ok_t ok{};
      amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
      throw ConnectionLost("the broker closed the connection: " + reason);
    }
    case AMQP_BASIC_CANCEL_METHOD:
      throw std::runtime_error("the broker cancelled the consumer (its queue was deleted?)");
    case AMQP_CONNECTION_BLOCKED_METHOD:
      log::Warn("amqp connection blocked by the broker (resource alarm)");
      return std::nullopt;
    case AMQP_CONNECTION_UNBLOCKED_METHOD:
      log::Info("amqp connection unblocked");
      return std::nullopt;
    default:
      return incoming;
  }
}

void ReadProperties(const amqp_basic_properties_t& properties, Delivery& delivery) {
  if (properties._flags & AMQP_BASIC_MESSAGE_ID_FLAG) delivery.message_id = Text(properties.message_id);
  if (properties._flags & AMQP_BASIC_TYPE_FLAG) delivery.type = Text(properties.type);
  if (properties._flags & AMQP_BASIC_CORRELATION_ID_FLAG)
    delivery.correlation_id = Text(properties.correlation_id);
  delivery.headers.clear();
  delivery.attempts = 0;
  if (!(properties._flags & AMQP_BASIC_HEADERS_FLAG)) return;
  for (int i = 0; i < properties.headers.num_entries; ++i) {
    const amqp_table_entry_t& entry = properties.headers.entries[i];
    auto value = ScalarText(entry.value);
    if (!value) continue;
    std::string key = Text(entry.key);
    if (key == "x-microstore-attempts") {
      int attempts = 0;
      const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), attempts);
      if (ec == std::errc() && end == value->data() + value->size() && attempts >= 0)
        delivery.attempts = attempts;
    }
    delivery.headers.emplace_back(std::move(key), std::move(*value));
  }
}

void DeclareUnrouted(Connection& connection, amqp_channel_t channel) {
  connection.DeclareExchange(channel, kUnroutedExchange, "fanout", {});
  connection.DeclareQueue(channel, kUnroutedQueue, {{"x-queue-type", std::string("quorum")}});
  connection.BindQueue(channel, kUnroutedQueue, kUnroutedExchange, "");
}

void DeclareProducerExchange(Connection& connection, amqp_channel_t channel, const std::string& exchange) {
  connection.DeclareExchange(channel, exchange, "topic",
                             {{"alternate-exchange", std::string(kUnroutedExchange)}});
}

Worker::Worker() {
  event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
}

Worker::~Worker() {
  Stop();
  ::close(event_fd_);
}

void Worker::Start(std::function<void()> body) {
  thread_ = std::thread([this, body = std::move(body)] {
    body();
    std::lock_guard lock(mutex_);
    exited_ = true;
    exited_cv_.notify_all();
  });
}

void Worker::Stop(std::chrono::milliseconds grace) {
  stopping_ = true;
  Wake();
  if (!thread_.joinable()) return;
  {
    std::unique_lock lock(mutex_);
    if (!exited_cv_.wait_for(lock, grace, [this] { return exited_; }) && socket_ >= 0) {
      ::shutdown(socket_, SHUT_RDWR);
    }
  }
  thread_.join();
}

void Worker::Wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(event_fd_, &one, sizeof one);
}

void Worker::ClearWake() {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto read = ::read(event_fd_, &count, sizeof count);
}

void Worker::SetSocket(int fd) {
  std::lock_guard lock(mutex_);
  socket_ = fd;
}

void Worker::ShutdownSocket() {
  std::lock_guard lock(mutex_);
  if (socket_ >= 0) ::shutdown(socket_, SHUT_RDWR);
}

void Worker::Sleep(std::chrono::milliseconds duration) {
  if (Stopping()) return;
  pollfd fd{event_fd_, POLLIN, 0};
  ::poll(&fd, 1, static_cast<int>(std::max<std::int64_t>(duration.count(), 0)));
}

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : min_(std::max(min, std::chrono::milliseconds(1))), max_(std::max(max, min_)), current_(min_) {}

std::chrono::milliseconds Backoff::Next() {
  const auto delay = current_;
  current_ = std::min(current_ * 2, max_);
  const auto half = std::max<std::int64_t>(delay.count() / 2, 1);
  return std::chrono::milliseconds(half + std::uniform_int_distribution<std::int64_t>(0, half)(random_));
}

std::chrono::milliseconds ServiceInterval(std::chrono::seconds heartbeat) {
  if (heartbeat.count() <= 0) return std::chrono::seconds(1);
  return std::chrono::duration_cast<std::chrono::milliseconds>(heartbeat) / 2;
}

}  // namespace microstore::amqp::detail
