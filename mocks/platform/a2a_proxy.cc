#include "mocks/platform/a2a_proxy.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "mocks/platform/json_util.h"
#include "mocks/platform/sim_clock.h"
#include "mocks/platform/workspace_record.h"

namespace taskbounds {
namespace {

constexpr std::size_t kA2ABodyLimit = 1u << 20;

void WrapBareRequest(const rapidjson::Document& payload, rapidjson::Document* envelope) {
  auto& alloc = envelope->GetAllocator();
  envelope->SetObject();
  envelope->AddMember("jsonrpc", "2.0", alloc);
  rapidjson::Value fresh_id;
  fresh_id.SetString(NewUuid(), alloc);
  envelope->AddMember("id", fresh_id, alloc);
  rapidjson::Value method_value;
  rapidjson::Value params;
  if (payload.HasMember("method")) {
    method_value.CopyFrom(payload["method"], alloc);
  }
  if (payload.HasMember("params")) {
    params.CopyFrom(payload["params"], alloc);
  }
  envelope->AddMember("method", method_value, alloc);
  envelope->AddMember("params", params, alloc);
}

// params.message, given a messageId when it has none; null when there is no message.
const rapidjson::Value* NormaliseMessage(rapidjson::Document* envelope) {
  if (!envelope->HasMember("params") || !(*envelope)["params"].IsObject() ||
      !(*envelope)["params"].HasMember("message") || !(*envelope)["params"]["message"].IsObject()) {
    return nullptr;
  }
  rapidjson::Value& msg = (*envelope)["params"]["message"];
  if (!msg.HasMember("messageId")) {
    rapidjson::Value message_id;
    message_id.SetString(NewUuid(), envelope->GetAllocator());
    msg.AddMember("messageId", message_id, envelope->GetAllocator());
  }
  return &msg;
}

std::string FirstTextPart(const rapidjson::Value& message) {
  if (!message.HasMember("parts") || !message["parts"].IsArray()) {
    return "";
  }
  for (const auto& part : message["parts"].GetArray()) {
    if (part.IsObject() && part.HasMember("text") && part["text"].IsString()) {
      return part["text"].GetString();
    }
  }
  return "";
}

BackendReply AgentReply(std::string body) {
  BackendReply reply = BackendReply::Json(200, std::move(body));
  reply.content_type = "application/json";  // the proxy's c.Data for agent bodies
  return reply;
}

// {"jsonrpc":"2.0","id":<rpc_id>,<member>:<what write_member writes>}, as the agent SDK
// answers.
BackendReply RpcReply(const rapidjson::Value& rpc_id, const char* member,
                      const std::function<void(JsonWriter&)>& write_member) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("jsonrpc");
  w.String("2.0");
  w.Key("id");
  rpc_id.Accept(w);
  w.Key(member);
  write_member(w);
  w.EndObject();
  return AgentReply(buffer.GetString());
}

BackendReply RpcErrorReply(const rapidjson::Value& rpc_id, int code, const char* text) {
  return RpcReply(rpc_id, "error", [&](JsonWriter& w) {
    w.StartObject();
    w.Key("code");
    w.Int(code);
    w.Key("message");
    w.String(text);
    w.EndObject();
  });
}

ProxyAnswer TerminatedReply(double ceiling_secs) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  WriteString(w, "task terminated: exceeded MAX_TASK_EXECUTION_SECS (" +
                     FormatPlatformSecs(ceiling_secs) + "s)");
  w.Key("terminated");
  w.Bool(true);
  w.EndObject();
  return {BackendReply::Json(503, buffer.GetString()), "task terminated"};
}

BackendReply MessageReply(const rapidjson::Value& rpc_id, const std::string& text) {
  return RpcReply(rpc_id, "result",
                  [&](JsonWriter& w) { WriteAgentTextMessage(w, NewUuid(), text); });
}

std::string AgentText(const CoordinatorPlan& plan, const FakePlatformOptions& options) {
  if (plan.bound == "agent_ceiling") {
    // The agent's own ceiling surfaces in-band (a2a_executor.py:483-497).
    return "Agent error: task exceeded max_task_duration_seconds (" +
           FormatPlatformSecs(options.durations.agent_task_ceiling_secs) + "s)";
  }
  if (options.fixed_a2a_latency_ms >= 0) {
    return "Simulated reply after a fixed " + FormatPlatformSecs(options.fixed_a2a_latency_ms) +
           " ms.";
  }
  return "Synthesis report: " + std::to_string(plan.depth) +
         " sub-questions delegated to the Researcher and answered, then synthesised over " +
         FormatPlatformSecs(plan.synthesis_secs) + " s (simulated by the fake platform).";
}

}  // namespace

bool ParseA2ARequest(const std::string& body, A2ARequest* out) {
  rapidjson::Document payload;
  if (!ParseBoundedJson(body.data(), std::min(body.size(), kA2ABodyLimit),
                        /*first_value_only=*/false, &payload) ||
      !payload.IsObject()) {
    return false;
  }
  rapidjson::Document& envelope = out->envelope;
  if (payload.HasMember("jsonrpc")) {
    envelope.CopyFrom(payload, envelope.GetAllocator());
  } else {
    WrapBareRequest(payload, &envelope);
  }
  const rapidjson::Value* message = NormaliseMessage(&envelope);
  out->has_message = message != nullptr;
  out->task_text = message != nullptr ? FirstTextPart(*message) : "";
  if (envelope.HasMember("id")) {
    out->rpc_id.CopyFrom(envelope["id"], envelope.GetAllocator());
  }
  out->method = envelope.HasMember("method") && envelope["method"].IsString()
                    ? envelope["method"].GetString()
                    : "";
  return true;
}

std::optional<ProxyAnswer> RefuseA2A(const std::string& status, bool in_restart,
                                     const A2ARequest& call) {
  // The proxy only needs a URL: a restart clears it, provisioning pre-stores it (but
  // nothing listens yet), removal and failure leave none usable.
  if (status == "provisioning" && !in_restart) {
    return ProxyAnswer{BackendReply::Error(502, "failed to reach workspace agent"),
                       "failed to reach workspace agent"};
  }
  if (status != "online" && status != "degraded") {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("error");
    w.String("workspace has no URL");
    w.Key("status");
    WriteString(w, status);
    w.EndObject();
    return ProxyAnswer{BackendReply::Json(503, buffer.GetString()), "workspace has no URL"};
  }
  // The agent SDK answers protocol errors in-band with its usual 200.
  if (call.method != "message/send") {
    return ProxyAnswer{RpcErrorReply(call.rpc_id, -32601, "Method not found"), ""};
  }
  if (!call.has_message) {
    return ProxyAnswer{RpcErrorReply(call.rpc_id, -32602, "Invalid params"), ""};
  }
  return std::nullopt;
}

ProxyAnswer TaskReply(const CoordinatorPlan& plan, const A2ARequest& call,
                      const FakePlatformOptions& options, const PlatformProfile& profile) {
  if (plan.bound == "idle_timeout") {
    return {profile.QueuedReply(), "idle timeout: request queued"};
  }
  if (plan.bound == "platform_ceiling") {
    return TerminatedReply(options.durations.platform_ceiling_secs);
  }
  return {MessageReply(call.rpc_id, AgentText(plan, options)), ""};
}

ProxyAnswer ShutdownReply() {
  return {BackendReply::Error(503, "fake platform shutting down"), "fake platform shutting down"};
}

ProxyAnswer ContainerStoppedReply() {
  constexpr char kUnreachable[] =
      "workspace agent unreachable \xE2\x80\x94 container restart triggered";
  return {BackendReply::Json(
              503, std::string(R"({"error":")") + kUnreachable + R"(","restarting":true})"),
          kUnreachable};
}

}  // namespace taskbounds

namespace taskbounds {
namespace {

std::string AgentErrorText2026_08(const TaskPlan2026_08& plan, const FakePlatformOptions& options) {
  // The runtime's sanitize_agent_error form (platform-api-2026-08.md section 6).
  if (plan.mechanism == TaskMechanism::kAgentTimeLimit) {
    return "Agent error (TimeoutError): task exceeded max_task_duration_seconds (" +
           FormatPlatformSecs(options.durations.agent_task_ceiling_secs) + "s)";
  }
  if (plan.mechanism == TaskMechanism::kAgentIdleCap) {
    return "Agent error (TimeoutError): completion stalled: no SDK message for " +
           FormatPlatformSecs(options.durations.completion_idle_timeout_secs) + "s";
  }
  return "Agent error (ProviderAuthError): the model provider rejected the workspace's "
         "credentials (401 invalid api key)";
}

ProxyAnswer KilledReply(const TaskPlan2026_08& plan) {
  if (plan.mechanism == TaskMechanism::kContainerRestart) {
    return {
        BackendReply::Json(
            503,
            R"({"error":"workspace agent unreachable \u2014 container restart triggered","restarting":true})"),
        "dial tcp: connect: connection refused (container not running)"};
  }
  return {
      BackendReply::Json(
          503,
          R"({"error":"workspace agent restarting \u2014 retry after a short backoff","busy":true,"retry_after":30})"),
      "read: connection reset by peer (workspace restarted)"};
}

}  // namespace

A2ACaller ClassifyA2ACaller(const std::optional<std::string>& bearer,
                            const std::string& admin_token, bool workspace_token) {
  if (!bearer) {
    return A2ACaller::kMissingToken;
  }
  if (!admin_token.empty() && *bearer == admin_token) {
    return A2ACaller::kCanvas;
  }
  return workspace_token ? A2ACaller::kWorkspace : A2ACaller::kInvalidToken;
}

std::optional<BackendReply> RefuseA2ACaller(A2ACaller caller) {
  switch (caller) {
    case A2ACaller::kMissingToken:
      return BackendReply::Error(401, "missing caller auth token");
    case A2ACaller::kInvalidToken:
      return BackendReply::Error(401, "invalid caller auth token");
    case A2ACaller::kCanvas:
    case A2ACaller::kWorkspace:
      break;
  }
  return std::nullopt;
}

BackendReply SyncBudgetQueuedReply() {
  return BackendReply::Json(
      200, R"({"status":"queued","delivery_mode":"push-async","method":"message/send"})");
}

ProxyAnswer TurnReply2026_08(const TaskPlan2026_08& plan, const A2ARequest& call,
                             const FakePlatformOptions& options, const PlatformProfile& profile) {
  switch (plan.ending) {
    case TaskEnding::kCompleted: {
      CoordinatorPlan natural;
      natural.depth = plan.depth;
      natural.synthesis_secs = plan.synthesis_secs;
      return {MessageReply(call.rpc_id, AgentText(natural, options)), ""};
    }
    case TaskEnding::kAgentError:
      return {MessageReply(call.rpc_id, AgentErrorText2026_08(plan, options)), ""};
    case TaskEnding::kCancelled:
      return {profile.QueuedReply(), "context canceled (idle timeout): request queued"};
    case TaskEnding::kKilled:
      return KilledReply(plan);
    case TaskEnding::kHeaderTimeout:
      return {BackendReply::Error(502, "failed to reach workspace agent"),
              "net/http: timeout awaiting response headers"};
    case TaskEnding::kTerminated:
      return TerminatedReply(options.durations.platform_ceiling_secs);
  }
  return {BackendReply::Error(502, "failed to reach workspace agent"), "unknown ending"};
}

}  // namespace taskbounds
