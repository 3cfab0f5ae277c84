// QueueAdmin, declared in consumer.hpp.
#include <algorithm>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "platform/amqp/connection.hpp"
#include "platform/amqp/consumer.hpp"
#include "platform/amqp/failure_headers.hpp"
#include "platform/amqp/publisher.hpp"

namespace microstore::amqp {

namespace {

using Clock = std::chrono::steady_clock;

// Channel 1 is in confirm mode and does everything but browsing; channel 2 is opened per Peek or
// Move, and closing it requeues what it took without an ack.
constexpr amqp_channel_t kChannel = 1;
constexpr amqp_channel_t kBrowseChannel = 2;
constexpr std::chrono::seconds kHeartbeat{10};
constexpr std::chrono::seconds kConfirmTimeout{10};
constexpr std::chrono::seconds kReturnWait{2};
// Copies published before waiting for their confirms (and then acknowledging their originals).
constexpr std::size_t kMoveBatch = 100;

std::string_view HeaderOf(const Delivery& message, std::string_view name) {
  for (const auto& [key, value] : message.headers) {
    if (key == name) return value;
  }
  return {};
}

// Messages taken without an ack return to a quorum queue asynchronously after their channel
// closes, so without this a count or a basic.get right after Peek or Move can miss them. Waits,
// briefly, until the queue holds `expected` messages again (it may not, when others consume it).
void AwaitReturned(detail::Connection& c, const std::string& queue, std::uint32_t expected) {
  const auto give_up = Clock::now() + kReturnWait;
  while (c.DeclareQueue(kChannel, queue, {}, true) < expected && Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

struct QueueAdmin::Impl {
  BrokerAddress address;
  std::unique_ptr<detail::Connection> connection;
  std::uint64_t next_tag = 1;

  // The connection, reconnected when the last one failed or died while idle.
  detail::Connection& Get() {
    if (connection) {
      try {
        while (connection->TryRead()) {
        }
      } catch (const std::exception&) {
        connection.reset();
      }
    }
    if (!connection) {
      auto fresh = std::make_unique<detail::Connection>(address, kHeartbeat);
      fresh->OpenChannel(kChannel);
      fresh->ConfirmSelect(kChannel);
      connection = std::move(fresh);
      next_tag = 1;
    }
    return *connection;
  }

  // Runs `operation` on the connection; any failure leaves the connection to be replaced.
  template <typename Operation>
  auto Guarded(Operation&& operation) {
    try {
      return operation(Get());
    } catch (const detail::ConnectionLost&) {
      connection.reset();
      throw;
    } catch (const std::exception&) {
      if (connection) connection->Close();
      connection.reset();
      throw;
    }
  }

  // Publishes them all, then waits for every confirm. Mandatory: a message no queue takes comes
  // back and counts as not confirmed.
  void PublishAndConfirm(detail::Connection& c, const std::vector<OutgoingMessage>& messages) {
    if (messages.empty()) return;
    std::set<std::uint64_t> unconfirmed;
    for (const auto& message : messages) {
      c.Publish(kChannel, message, true);
      unconfirmed.insert(next_tag++);
    }
    const auto deadline = Clock::now() + kConfirmTimeout;
    std::optional<std::string> returned;
    for (;;) {
      while (auto incoming = c.TryRead()) {
        if (incoming->channel != kChannel) continue;
        if (incoming->method == AMQP_BASIC_RETURN_METHOD) {
          returned = incoming->reply_text;
        } else if (incoming->method == AMQP_BASIC_ACK_METHOD || incoming->method == AMQP_BASIC_NACK_METHOD) {
          if (incoming->method == AMQP_BASIC_NACK_METHOD)
            throw PublishError("the broker rejected (nacked) the message");
          if (incoming->multiple) {
            unconfirmed.erase(unconfirmed.begin(), unconfirmed.upper_bound(incoming->delivery_tag));
          } else {
            unconfirmed.erase(incoming->delivery_tag);
          }
        }
      }
      if (unconfirmed.empty()) {
        if (returned) throw PublishError("no queue took the message (" + *returned + ")");
        return;
      }
      const auto now = Clock::now();
      if (now >= deadline) throw PublishError("the broker did not confirm the message in time");
      c.Wait(-1, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
    }
  }
};

QueueAdmin::QueueAdmin(std::string url) : impl_(std::make_unique<Impl>()) {
  std::string error;
  if (!ParseBrokerUrl(url, impl_->address, error)) throw std::runtime_error("queue admin: " + error);
  impl_->Get();
}

QueueAdmin::~QueueAdmin() {
  if (impl_->connection) impl_->connection->Close();
}

void QueueAdmin::Publish(const OutgoingMessage& message) {
  try {
    impl_->Guarded([&](detail::Connection& c) { impl_->PublishAndConfirm(c, {message}); });
  } catch (const PublishError&) {
    throw;
  } catch (const std::exception& e) {
    throw PublishError(e.what());
  }
}

void QueueAdmin::Publish(const std::vector<OutgoingMessage>& messages) {
  try {
    impl_->Guarded([&](detail::Connection& c) { impl_->PublishAndConfirm(c, messages); });
  } catch (const PublishError&) {
    throw;
  } catch (const std::exception& e) {
    throw PublishError(e.what());
  }
}

std::vector<Delivery> QueueAdmin::Peek(const std::string& queue, std::size_t max, std::stop_token stop) {
  return impl_->Guarded([&](detail::Connection& c) {
    const std::uint32_t present = c.DeclareQueue(kChannel, queue, {}, true);
    std::vector<Delivery> messages;
    c.OpenChannel(kBrowseChannel);
    while (messages.size() < max && !stop.stop_requested()) {
      auto message = c.Get(kBrowseChannel, queue, false);
      if (!message) break;
      messages.push_back(std::move(*message));
    }
    c.CloseChannel(kBrowseChannel);
    AwaitReturned(c, queue, present);
    return messages;
  });
}

MoveResult QueueAdmin::Move(const std::string& from, const std::string& to,
                            const std::function<bool(const Delivery&)>& select, const MoveOptions& options) {
  if (from == to)
    throw std::invalid_argument("queue admin: cannot move the messages of " + from + " into itself");
  return impl_->Guarded([&](detail::Connection& c) {
    // Counting first bounds the move: messages that arrive later, the copies that fail and come
    // back among them, lie beyond it (a queue is FIFO).
    const std::uint32_t present = c.DeclareQueue(kChannel, from, {}, true);
    MoveResult result;
    std::vector<OutgoingMessage> copies;
    std::vector<std::uint64_t> originals;
    auto send = [&] {
      impl_->PublishAndConfirm(c, copies);
      for (const std::uint64_t tag : originals) c.Ack(kBrowseChannel, tag);
      result.moved += copies.size();
      copies.clear();
      originals.clear();
    };
    c.OpenChannel(kBrowseChannel);
    for (std::uint32_t taken = 0;
         taken < present && result.moved + copies.size() < options.max && !options.stop.stop_requested();
         ++taken) {
      auto message = c.Get(kBrowseChannel, from, false);
      if (!message) break;
      // Skipped messages stay unacknowledged until the channel closes, so no get sees them twice.
      if (!select(*message)) continue;
      if (!options.mark.empty() && HeaderOf(*message, kReplayHeader) == options.mark) continue;
      copies.push_back({.exchange = "",
                        .routing_key = to,
                        .message_id = message->message_id,
                        .type = message->type,
                        .correlation_id = message->correlation_id,
                        .body = std::move(message->body),
                        .headers = ReplayHeaders(message->headers, options.mark)});
      originals.push_back(message->delivery_tag);
      if (copies.size() >= kMoveBatch) send();
    }
    // A stopped move leaves what it took but did not publish yet: closing the channel returns it.
    if (!options.stop.stop_requested()) send();
    c.CloseChannel(kBrowseChannel);
    AwaitReturned(c, from,
                  present - std::min<std::uint32_t>(present, static_cast<std::uint32_t>(result.moved)));
    result.remaining = c.DeclareQueue(kChannel, from, {}, true);
    return result;
  });
}

std::vector<Delivery> QueueAdmin::Drain(const std::string& queue, std::size_t max) {
  return impl_->Guarded([&](detail::Connection& c) {
    std::vector<Delivery> messages;
    while (messages.size() < max) {
      auto message = c.Get(kChannel, queue, true);
      if (!message) break;
      messages.push_back(std::move(*message));
    }
    return messages;
  });
}

std::size_t QueueAdmin::MessageCount(const std::string& queue) {
  return impl_->Guarded(
      [&](detail::Connection& c) { return std::size_t{c.DeclareQueue(kChannel, queue, {}, true)}; });
}

void QueueAdmin::DeleteQueue(const std::string& queue) {
  impl_->Guarded([&](detail::Connection& c) { c.DeleteQueue(kChannel, queue); });
}

void QueueAdmin::DeleteExchange(const std::string& exchange) {
  impl_->Guarded([&](detail::Connection& c) { c.DeleteExchange(kChannel, exchange); });
}

}  // namespace microstore::amqp
