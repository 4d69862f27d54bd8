// libFuzzer target: every platform answer through its interpreter (client/wire.h), for
// every status the routes treat differently. The first input byte picks the status and
// whether the rest is split into a header block and a body at the first blank line; the
// interpreters must return a value or a one-line error, never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "client/wire.h"

namespace {

constexpr long kStatuses[] = {200, 201, 202, 204, 404, 409, 500, 503, 400, 410, 422, 429};

taskbounds::HttpExchange Exchange(long status, std::string_view headers, std::string_view body) {
  taskbounds::HttpExchange ex;
  ex.method = "POST";
  ex.path = "/workspaces/w/a2a";
  ex.http_status = status;
  ex.response_headers = std::string(headers);
  ex.body = std::string(body);
  return ex;
}

// Aborts (a finding) when an error is not one line: errors are printed as they are.
void CheckOneLine(const std::string& error) {
  if (error.find('\n') != std::string::npos) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t selector = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string_view headers;
  if ((selector & 0x80) != 0) {
    const std::size_t blank = rest.find("\r\n\r\n");
    if (blank != std::string_view::npos) {
      headers = rest.substr(0, blank + 2);
      rest.remove_prefix(blank + 4);
    }
  }
  const long status = kStatuses[selector % (sizeof(kStatuses) / sizeof(kStatuses[0]))];
  CheckOneLine(taskbounds::InterpretCreatedWorkspace(Exchange(status, headers, rest)).error);
  CheckOneLine(taskbounds::InterpretStatusReply(Exchange(status, headers, rest)).error);
  CheckOneLine(taskbounds::InterpretWorkspaceInfo(Exchange(status, headers, rest)).error);
  CheckOneLine(taskbounds::InterpretA2AReply(Exchange(status, headers, rest)).error);
  CheckOneLine(taskbounds::InterpretHeartbeatHistory(Exchange(status, headers, rest)).error);
  CheckOneLine(taskbounds::InterpretActivity(Exchange(status, headers, rest)).error);
  CheckOneLine(taskbounds::InterpretDeleteReply(Exchange(status, headers, rest)).error);
  CheckOneLine(taskbounds::InterpretSecretWrite(Exchange(status, headers, rest)).error);
  CheckOneLine(taskbounds::InterpretWorkspaceList(Exchange(status, headers, rest)).error);
  CheckOneLine(taskbounds::InterpretBuildInfo(Exchange(status, headers, rest)).error);
  // A typed refusal's strings are printed too (the name is sent back, never printed).
  const taskbounds::PlatformError refusal =
      taskbounds::ReadPlatformError(Exchange(status, headers, rest));
  CheckOneLine(refusal.message + refusal.code + refusal.hint + refusal.key);
  (void)taskbounds::CreatedWorkspaceId(Exchange(status, headers, rest));
  return 0;
}
