// How the synthetic coordinator behaves in one experiment: how long it holds a task, when
// its response headers go out, whether and how it heartbeats, what it answers, and whether
// it demands the platform's inbound secret. Plain data plus names and checks, shared by the
// agent (synthetic_agent.h) and its binary's flags.
#ifndef MOCKS_AGENT_AGENT_BEHAVIOUR_H_
#define MOCKS_AGENT_AGENT_BEHAVIOUR_H_

#include <optional>
#include <string>

namespace taskbounds {

// When a held task's response headers go out.
enum class HeaderTiming {
  // With the body, at the task's end (Content-Length): what the platform's response-header
  // timeout bounds (platform-api-2026-08.md section 6 item 2).
  kAtEnd,
  // At once (200, chunked), the body at the task's end: the header timeout cannot fire.
  kAtOnce,
};
const char* HeaderTimingName(HeaderTiming timing);  // "at-end", "at-once"
std::optional<HeaderTiming> ParseHeaderTiming(const std::string& name);

// What a task that ran its course answers (both HTTP 200 JSON-RPC results).
enum class ReplyKind {
  kNormal,      // a text result
  kAgentError,  // "Agent error (<tag>): ...", as the runtime renders a failure
};
const char* ReplyKindName(ReplyKind kind);  // "normal", "agent-error"
std::optional<ReplyKind> ParseReplyKind(const std::string& name);

// What a message/send whose messageId the agent has seen before (a re-dispatch) gets.
enum class RedispatchRule {
  kHold,          // held like a first kickoff: the runtime starts the turn again
  kAnswerAtOnce,  // the reply at once, without holding
};
const char* RedispatchRuleName(RedispatchRule rule);  // "hold", "answer"
std::optional<RedispatchRule> ParseRedispatchRule(const std::string& name);

// Heartbeats to the platform's registry (external-workspaces-2026-08.md 1.1): POST
// <registry_url>/registry/heartbeat {"workspace_id","active_tasks","uptime_seconds",
// "current_task","error_rate","runtime_state"[,"runtime_metadata":{"idle_timeout_seconds"}]}.
struct HeartbeatSettings {
  double interval_secs = 0;  // platform seconds between heartbeats; 0: none are sent
  std::string registry_url;  // the platform's base URL, http(s)://host[:port][/prefix]
  std::string workspace_id;
  // Bearer of each heartbeat (the workspace's auth_token); "" sends none, which the platform
  // accepts only before it has minted a token (the bootstrap case).
  std::string workspace_token;
  // Sent as runtime_metadata.idle_timeout_seconds: the platform's per-workspace idle timer
  // override, read when a dispatch starts. nullopt: not sent, which clears an override.
  std::optional<int> idle_timeout_secs;
};

struct AgentBehaviour {
  // Platform seconds a kickoff is held before it is answered; nullopt: until the caller
  // hangs up (the platform cuts it) or the agent stops.
  std::optional<double> hold_secs;
  HeaderTiming headers = HeaderTiming::kAtEnd;
  ReplyKind reply = ReplyKind::kNormal;
  std::string error_tag = "TimeoutError";  // the <tag> of kAgentError
  RedispatchRule redispatch = RedispatchRule::kHold;
  HeartbeatSettings heartbeat;
  // When set, every JSON-RPC call must carry "Authorization: Bearer <inbound_secret>" or is
  // refused 401 (a public URL can be called by anyone). "": every caller is served.
  std::string inbound_secret;
};

// "" when `behaviour` can run at `time_scale` (wall seconds per platform second); otherwise
// one line naming the setting, the value and what to do.
std::string CheckBehaviour(const AgentBehaviour& behaviour, double time_scale);

// One line for a person: every setting, secrets and tokens only as set/unset.
std::string DescribeBehaviour(const AgentBehaviour& behaviour);

}  // namespace taskbounds

#endif  // MOCKS_AGENT_AGENT_BEHAVIOUR_H_
