#include "payment/api/events.hpp"

#include <functional>

#include "payment/api/json.hpp"
#include "payment/app/accounts.hpp"
#include "payment/app/payments.hpp"

namespace microstore::payment::api {

namespace asio = boost::asio;

asio::awaitable<void> OnUserRegistered(const Settings& settings, pg::Transaction& transaction,
                                       const messaging::Envelope& event) {
  co_await payment::OnUserRegistered(transaction, settings, ReadUserRegistered(event));
}

asio::awaitable<void> OnStockReserved(const messaging::Outbox& outbox, const Settings& settings,
                                      pg::Transaction& transaction, const messaging::Envelope& event) {
  co_await payment::OnStockReserved(transaction, outbox, settings, ReadStockReserved(event),
                                    messaging::CausedBy(event));
}

asio::awaitable<void> OnOrderCancelled(const messaging::Outbox& outbox, const Settings& settings,
                                       pg::Transaction& transaction, const messaging::Envelope& event) {
  co_await payment::OnOrderCancelled(transaction, outbox, settings, ReadOrderCancelled(event),
                                     messaging::CausedBy(event));
}

std::vector<messaging::EventSubscription> EventHandlers(const messaging::Outbox& outbox,
                                                        const Settings& settings) {
  return {
      {"identity", "UserRegistered", std::bind_front(OnUserRegistered, settings)},
      {"stock", "StockReserved", std::bind_front(OnStockReserved, std::cref(outbox), settings)},
      {"order", "OrderCancelled", std::bind_front(OnOrderCancelled, std::cref(outbox), settings)},
  };
}

}  // namespace microstore::payment::api
