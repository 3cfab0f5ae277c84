#include "platform/core/faults.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace microstore::core {
namespace {

struct Fault {
  std::string point;
  long at_pass = 1;
  long passes = 0;
  bool hang = false;  // instead of SIGKILL
};

std::vector<Fault> ParseFaults(const char* text) {
  std::vector<Fault> faults;
  if (text == nullptr) return faults;
  std::string_view rest(text);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view entry = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto colon = entry.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view action = entry.substr(colon + 1);
    Fault fault{std::string(entry.substr(0, colon))};
    if (action.starts_with("kill@")) {
      fault.at_pass = std::strtol(std::string(action.substr(5)).c_str(), nullptr, 10);
    } else if (action == "hang") {
      fault.hang = true;
    } else if (action != "kill") {
      continue;
    }
    if (fault.at_pass >= 1) faults.push_back(std::move(fault));
  }
  return faults;
}

std::vector<Fault>& Faults() {
  static std::vector<Fault> faults = ParseFaults(std::getenv("MICROSTORE_FAULTS"));
  return faults;
}

}  // namespace

void FaultPoint(std::string_view name) {
  auto& faults = Faults();
  if (faults.empty()) return;
  for (Fault& fault : faults) {
    if (fault.point != name || ++fault.passes != fault.at_pass) continue;
    if (!fault.hang) ::kill(::getpid(), SIGKILL);
    for (;;) ::pause();
  }
}

}  // namespace microstore::core
