#include "payment/domain/ids.hpp"

namespace microstore::payment {

bool IsCurrencyCode(std::string_view text) {
  if (text.size() != 3) return false;
  for (const char c : text) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

}  // namespace microstore::payment
