// A domain/ file that includes what domain/ may: the standard library and the pure core. It must
// compile, so that the refusals beside it fail for the guard's reason, not for a broken set-up.
#include <string>
#include <variant>

#include "platform/auth/roles.hpp"
#include "platform/core/decision.hpp"
#include "platform/core/field_error.hpp"
#include "platform/core/ids.hpp"

int AllowedCoreProbe() { return static_cast<int>(std::string("pure").size()); }
