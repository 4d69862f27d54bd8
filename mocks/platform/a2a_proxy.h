// The platform's A2A proxy in front of the simulated agent (platform-api.md 6.3,
// a2a_proxy.go): how a POST /workspaces/{id}/a2a body is read and normalised into a
// JSON-RPC envelope, which calls it refuses before reaching the agent, and the answer the
// agent or the proxy gives when the planned task ends. No state and no clock: the facade
// finds the workspace, plans the task (coordinator_model), waits and records.
#ifndef MOCKS_PLATFORM_A2A_PROXY_H_
#define MOCKS_PLATFORM_A2A_PROXY_H_

#include <optional>
#include <string>

#include "mocks/fake_platform_options.h"
#include "mocks/platform/coordinator_model.h"
#include "mocks/platform/platform_profile.h"
#include "mocks/platform_backend.h"
#include "rapidjson/document.h"

namespace taskbounds {

// One A2A request, normalised: a bare {method, params} is rewrapped into a JSON-RPC
// envelope with a fresh id, and the message gets a messageId if it has none
// (a2a_proxy.go:447-488).
struct A2ARequest {
  rapidjson::Document envelope;
  rapidjson::Value rpc_id;   // envelope's id (null when absent), in envelope's allocator
  std::string method;        // "" when absent or not a string
  bool has_message = false;  // params.message is an object
  std::string task_text;     // the message's first text part
};

// Reads at most 1 MiB of `body` (a2a_proxy.go:73; a longer body is cut, which usually
// breaks the JSON). False when that is not a JSON object (the proxy's 400 "invalid JSON").
[[nodiscard]] bool ParseA2ARequest(const std::string& body, A2ARequest* out);

// A reply and the activity row's error_detail ("" = ok).
struct ProxyAnswer {
  BackendReply reply;
  std::string detail;
};

// The proxy's or the agent SDK's answer before any task starts, given the workspace's
// status and whether it is mid-restart; nullopt when the call reaches the agent as a
// task. No usable URL -> 502/503; a method other than message/send or a message-less call
// -> the SDK's in-band JSON-RPC error with its usual 200.
std::optional<ProxyAnswer> RefuseA2A(const std::string& status, bool in_restart,
                                     const A2ARequest& call);

// The answer when the planned task ends: 202 queued (idle timer, profile's reply), 503 terminated
// (platform ceiling), or a 200 JSON-RPC message whose text is the agent's error or its synthesis.
ProxyAnswer TaskReply(const CoordinatorPlan& plan, const A2ARequest& call,
                      const FakePlatformOptions& options, const PlatformProfile& profile);

// Shutdown() cut a waiting call short.
ProxyAnswer ShutdownReply();

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_A2A_PROXY_H_
