// libFuzzer target: the fake platform's handling of a request a client controls, headers and
// body, on every route whose input it parses. The first input byte picks the route; the rest
// is a header block ("Name: value" lines) and, after the first blank line, the body. The
// request goes through the middleware (auth, tenant guard, rate limit) and then the handler,
// as the HTTP server would send it; every body parser is also called directly. Nothing may
// crash, hang or leak; every answer must be a status the platform can give.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mocks/fake_platform_options.h"
#include "mocks/in_memory_platform.h"
#include "mocks/platform/a2a_proxy.h"
#include "mocks/platform/validation.h"
#include "mocks/platform_backend.h"
#include "rapidjson/document.h"

namespace {

using taskbounds::BackendReply;
using taskbounds::BackendRequest;
using taskbounds::InMemoryPlatform;

constexpr char kWorkspaceId[] = "3f2c5a1e-0b4d-4c6e-9f8a-7b1d2e3c4a5b";

InMemoryPlatform& Platform() {
  static InMemoryPlatform* platform = [] {
    taskbounds::FakePlatformOptions options;
    options.time_scale = 1e-6;  // no simulated wait may slow the fuzzer down
    options.admin_token = "fuzz-admin-token";
    return new InMemoryPlatform(options);
  }();
  return *platform;
}

void AddHeaders(std::string_view block, BackendRequest* request) {
  while (!block.empty()) {
    const std::size_t end = block.find('\n');
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 1);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      request->headers.emplace(std::string(line.substr(0, colon)),
                               std::string(line.substr(colon + 1)));
    }
  }
}

void CheckStatus(const BackendReply& reply) {
  if (reply.status < 200 || reply.status > 599) {
    __builtin_trap();
  }
}

void CallParsers(const std::string& body) {
  rapidjson::Document doc;
  (void)taskbounds::CreateBodyError(body, &doc);
  rapidjson::Document patch;
  (void)taskbounds::PatchBodyError(body, &patch);
  (void)taskbounds::ParseSecretBody(body);
  (void)taskbounds::ParseRegistrationBody(body);
  (void)taskbounds::ParseHeartbeatBody(body);
  taskbounds::A2ARequest call;
  (void)taskbounds::ParseA2ARequest(body, &call);
}

BackendReply Dispatch(std::uint8_t selector, const BackendRequest& request) {
  InMemoryPlatform& p = Platform();
  switch (selector % 6) {
    case 0:
      return p.CreateWorkspace(request);
    case 1:
      return p.PatchWorkspace(kWorkspaceId, request);
    case 2:
      return p.SetSecret(kWorkspaceId, request);
    case 3:
      return p.RegistryRegister(request);
    case 4:
      return p.RegistryHeartbeat(request);
    default:
      return p.Activity(kWorkspaceId, request);
  }
}

taskbounds::Route RouteOf(std::uint8_t selector) {
  constexpr taskbounds::Route kRoutes[] = {
      taskbounds::Route::kCreateWorkspace,   taskbounds::Route::kPatchWorkspace,
      taskbounds::Route::kSetSecret,         taskbounds::Route::kRegistryRegister,
      taskbounds::Route::kRegistryHeartbeat, taskbounds::Route::kActivity,
  };
  return kRoutes[selector % 6];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t selector = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t blank = rest.find("\n\n");
  BackendRequest request;
  request.method = "POST";
  request.remote = "127.0.0.1";
  AddHeaders(rest.substr(0, blank), &request);
  request.body =
      blank == std::string_view::npos ? std::string(rest) : std::string(rest.substr(blank + 2));
  CallParsers(request.body);
  const taskbounds::Admission admission = Platform().Authorize(RouteOf(selector), request);
  CheckStatus(admission.admitted ? Dispatch(selector, request) : admission.rejection);
  return 0;
}
