#include "status_stream.hpp"

// clang-format off
#include <sys/time.h>  // rabbitmq-c's headers use struct timeval without including it
#include <amqp.h>
#include <amqp_tcp_socket.h>
// clang-format on

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "platform/amqp/messages.hpp"

namespace microstore::bench {
namespace {

constexpr amqp_channel_t kChannel = 1;

amqp_bytes_t Bytes(const std::string& text) { return {text.size(), const_cast<char*>(text.data())}; }

std::string ReplyText(const amqp_rpc_reply_t& reply) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return "ok";
    case AMQP_RESPONSE_NONE:
      return "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return amqp_error_string2(reply.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD || reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        // Both close methods start with reply_code and reply_text.
        const auto* close = static_cast<const amqp_channel_close_t*>(reply.reply.decoded);
        return "the broker closed: " + std::to_string(close->reply_code) + " " +
               std::string(static_cast<const char*>(close->reply_text.bytes), close->reply_text.len);
      }
      return "server exception";
  }
  return "unknown reply";
}

}  // namespace

struct StatusStream::Connection {
  amqp_connection_state_t state = amqp_new_connection();

  ~Connection() {
    amqp_connection_close(state, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(state);
  }

  void Check(const char* what) const {
    const amqp_rpc_reply_t reply = amqp_get_rpc_reply(state);
    if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
      throw std::runtime_error(std::string(what) + ": " + ReplyText(reply));
    }
  }
};

StatusStream::StatusStream(std::string amqp_url, std::string exchange, std::string routing_key,
                           Callback on_change)
    : amqp_url_(std::move(amqp_url)),
      exchange_(std::move(exchange)),
      routing_key_(std::move(routing_key)),
      on_change_(std::move(on_change)) {}

StatusStream::~StatusStream() { Stop(); }

void StatusStream::Start() {
  amqp::BrokerAddress address;
  std::string error;
  if (!amqp::ParseBrokerUrl(amqp_url_, address, error)) throw std::invalid_argument(error);
  auto connection = std::make_unique<Connection>();
  amqp_socket_t* socket = amqp_tcp_socket_new(connection->state);
  if (socket == nullptr) throw std::runtime_error("cannot create a socket");
  const int opened = amqp_socket_open(socket, address.host.c_str(), address.port);
  if (opened != AMQP_STATUS_OK) {
    throw std::runtime_error("connecting to " + address.host + ":" + std::to_string(address.port) + ": " +
                             amqp_error_string2(opened));
  }
  // No heartbeats: the connection lives only as long as one run, and nothing here would answer them
  // while the thread is busy.
  const amqp_rpc_reply_t login =
      amqp_login(connection->state, address.vhost.c_str(), 0, 131072, 0, AMQP_SASL_METHOD_PLAIN,
                 address.user.c_str(), address.password.c_str());
  if (login.reply_type != AMQP_RESPONSE_NORMAL) throw std::runtime_error("logging in: " + ReplyText(login));
  amqp_channel_open(connection->state, kChannel);
  connection->Check("channel.open");
  const amqp_queue_declare_ok_t* declared =
      amqp_queue_declare(connection->state, kChannel, amqp_empty_bytes, /*passive=*/0, /*durable=*/0,
                         /*exclusive=*/1, /*auto_delete=*/1, amqp_empty_table);
  connection->Check("queue.declare");
  const std::string queue(static_cast<const char*>(declared->queue.bytes), declared->queue.len);
  amqp_queue_bind(connection->state, kChannel, Bytes(queue), Bytes(exchange_), Bytes(routing_key_),
                  amqp_empty_table);
  connection->Check(("queue.bind to " + exchange_).c_str());
  amqp_basic_consume(connection->state, kChannel, Bytes(queue), amqp_empty_bytes, /*no_local=*/0,
                     /*no_ack=*/1,
                     /*exclusive=*/1, amqp_empty_table);
  connection->Check("basic.consume");
  connection_ = std::move(connection);
  stopping_ = false;
  thread_ = std::thread([this] { Consume(); });
}

void StatusStream::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  connection_.reset();
}

std::string StatusStream::Error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void StatusStream::Consume() {
  const amqp_connection_state_t state = connection_->state;
  try {
    while (!stopping_) {
      amqp_maybe_release_buffers(state);
      amqp_envelope_t envelope;
      timeval timeout{0, 100'000};
      const amqp_rpc_reply_t reply = amqp_consume_message(state, &envelope, &timeout, 0);
      const auto received = std::chrono::steady_clock::now();
      if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT) {
        continue;
      }
      if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
        // AMQP_STATUS_UNEXPECTED_STATE: a method other than a delivery is waiting; with one channel
        // and no publishing, that is the broker closing something.
        if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
            reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
          amqp_frame_t frame;
          if (amqp_simple_wait_frame(state, &frame) == AMQP_STATUS_OK &&
              frame.frame_type == AMQP_FRAME_METHOD &&
              (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
               frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD)) {
            throw std::runtime_error("the broker closed the status stream's channel or connection");
          }
          continue;
        }
        throw std::runtime_error("reading the status stream: " + ReplyText(reply));
      }
      const std::string body(static_cast<const char*>(envelope.message.body.bytes),
                             envelope.message.body.len);
      amqp_destroy_envelope(&envelope);
      const nlohmann::json event = nlohmann::json::parse(body, nullptr, false);
      const nlohmann::json* payload = nullptr;
      if (event.is_object()) {
        const auto it = event.find("payload");
        if (it != event.end() && it->is_object()) payload = &*it;
      }
      if (payload == nullptr || !payload->contains("order_id") || !payload->contains("status") ||
          !(*payload)["order_id"].is_string() || !(*payload)["status"].is_string()) {
        ++skipped_;
        continue;
      }
      StatusChange change;
      change.order_id = (*payload)["order_id"].get<std::string>();
      change.status = (*payload)["status"].get<std::string>();
      const auto reason = payload->find("reason");
      if (reason != payload->end() && reason->is_string()) change.reason = reason->get<std::string>();
      change.received = received;
      on_change_(std::move(change));
    }
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    error_ = e.what();
  }
}

}  // namespace microstore::bench
