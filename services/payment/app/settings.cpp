#include "payment/app/settings.hpp"

#include "payment/domain/ids.hpp"
#include "platform/config/env.hpp"

namespace microstore::payment {

Settings ReadSettings(config::Env& env) {
  Settings settings;
  settings.currency = env.String("MICROSTORE_PAYMENT_CURRENCY", kDefaultCurrency,
                                 "currency of the customers' accounts (ISO 4217 code); orders in another "
                                 "currency fail with currency_mismatch");
  if (!IsCurrencyCode(settings.currency)) {
    env.Reject("MICROSTORE_PAYMENT_CURRENCY", "must be a currency code of three upper-case letters");
  }
  return settings;
}

}  // namespace microstore::payment
