// The --fault syntax of //mocks:fake_platform: "ROUTE:SPEC[:SPEC...]", where ROUTE is a
// route key of mocks/routes.h or "*", e.g. 'POST /workspaces/{id}/a2a:status=503:count=2'.
#ifndef MOCKS_FAULT_SPEC_H_
#define MOCKS_FAULT_SPEC_H_

#include <optional>
#include <string>

#include "mocks/fake_platform_server.h"

namespace taskbounds {

// One parsed --fault: what FakePlatformServer::InjectFault takes.
struct FaultFlag {
  std::string route;
  Fault fault;
  int count = kEveryCall;
};

// Parses `text`; nullopt on success, else one line naming the bad part and the rule.
std::optional<std::string> ParseFaultFlag(const std::string& text, FaultFlag* out);

// The SPEC part of --help (indented lines, ending in a newline), with two examples.
std::string FaultSpecHelp();

}  // namespace taskbounds

#endif  // MOCKS_FAULT_SPEC_H_
