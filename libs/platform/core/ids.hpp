#pragma once

#include <string>

namespace microstore::core {

// A random (version 4) UUID in its canonical lower-case text form.
std::string NewUuid();

// Initialises libsodium once; every function here calls it, so callers need not.
void EnsureSodium();

}  // namespace microstore::core
