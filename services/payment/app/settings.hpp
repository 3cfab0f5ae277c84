#pragma once

#include <string>

namespace microstore::config {
class Env;
}

namespace microstore::payment {

inline constexpr const char* kDefaultCurrency = "RUB";

// payment's own configuration, which its use cases need.
struct Settings {
  // The currency of new accounts (MICROSTORE_PAYMENT_CURRENCY): an order in another currency
  // fails with currency_mismatch.
  std::string currency = kDefaultCurrency;
};

// Reads MICROSTORE_PAYMENT_CURRENCY (three upper-case letters, default RUB); a bad value is
// reported through env.Finish() with the rest of the configuration.
Settings ReadSettings(config::Env& env);

}  // namespace microstore::payment
