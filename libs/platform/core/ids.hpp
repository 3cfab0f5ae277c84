#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace microstore::core {

// A random (version 4) UUID in its canonical lower-case text form.
std::string NewUuid();

// True for a UUID in text form: 8-4-4-4-12 hexadecimal digits, either case, nothing around them.
// Any version or variant passes: ids made elsewhere are accepted as they are.
bool IsUuid(std::string_view text);

// `text` in canonical lower-case form when it IsUuid, else nullopt. Ids are stored and compared in
// this form, so that how a client or a producer spelled one does not matter.
std::optional<std::string> CanonicalUuid(std::string_view text);

// Initialises libsodium once; every function here calls it, so callers need not.
void EnsureSodium();

}  // namespace microstore::core
