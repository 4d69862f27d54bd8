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

// A DELETE stopped the container while the call waited on it (platform-api.md section 3.7
// step 3; platform-api-2026-08.md section 7). The documents say nothing of a forward cut by a
// delete; the closest documented case is a forward that fails on a dead container, answered
// 503 {"error":"workspace agent unreachable \u2014 container restart triggered",
// "restarting":true} on both releases (platform-api.md's A2A error table,
// a2a_proxy_helpers.go:47-52; platform-api-2026-08.md section 4, :129-144). An HTTP answer
// rather than a dropped connection: the proxy outlives the container and answers its caller.
ProxyAnswer ContainerStoppedReply();

// ---- 2026-08 (platform-api-2026-08.md section 4) ----

// Who is calling, from the bearer (authenticateA2AHTTPCaller): the admin token is a
// canvas-class caller; a workspace's own auth_token makes the caller that workspace.
enum class A2ACaller { kMissingToken, kInvalidToken, kCanvas, kWorkspace };

// `workspace_token`: the bearer is some workspace's auth_token. An empty admin token
// matches nothing (auth is fail-closed on 2026-08).
A2ACaller ClassifyA2ACaller(const std::optional<std::string>& bearer,
                            const std::string& admin_token, bool workspace_token);
// 401 missing caller auth token / invalid caller auth token; nullopt for a caller that
// passes.
std::optional<BackendReply> RefuseA2ACaller(A2ACaller caller);

// The sync budget ran out for a canvas-class caller: 200 {"status":"queued",
// "delivery_mode":"push-async","method":"message/send"}; the turn goes on.
BackendReply SyncBudgetQueuedReply();

// The answer the task's turn gives when it ends (plan.ending), with the row's
// error_detail: the synthesis, "Agent error (<Tag>): ...", 202 busy-queued (idle timer),
// 503 restarting / unreachable (killed by a restart), 502 (header timeout), 503
// terminated (ceiling).
ProxyAnswer TurnReply2026_08(const TaskPlan2026_08& plan, const A2ARequest& call,
                             const FakePlatformOptions& options, const PlatformProfile& profile);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_A2A_PROXY_H_
