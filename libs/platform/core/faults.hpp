#pragma once

#include <string_view>

// Fault injection for crash tests. A named point in the code, e.g.
//   core::FaultPoint("outbox.after_publish");
// does nothing unless the process was started with MICROSTORE_FAULTS naming it:
//   MICROSTORE_FAULTS=outbox.after_publish:kill        SIGKILL the process at the first pass
//   MICROSTORE_FAULTS=outbox.after_publish:kill@3      ... at the third pass
//   MICROSTORE_FAULTS=runtime.stop_hooks:hang          block the thread that gets there, for good
// (several points separated by commas). Tests use it to kill a process at the exact step whose
// crash they want to prove harmless. Unset, a point costs one branch on a bool.
namespace microstore::core {

void FaultPoint(std::string_view name);

}  // namespace microstore::core
