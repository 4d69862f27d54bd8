// Plain types of what the platform answered: one HTTP exchange and the typed value of each
// route's answer (platform-api.md sections 3-6). No curl, no JSON library: the transport
// (client/platform_client.h) fills HttpExchange, client/wire.h interprets its body.
#ifndef CLIENT_EVIDENCE_H_
#define CLIENT_EVIDENCE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace taskbounds {

// Wall-clock phases of one transfer, from CURLINFO_*_TIME_T, in seconds.
struct TransferTimings {
  double namelookup_secs = 0;
  double connect_secs = 0;
  double appconnect_secs = 0;
  double starttransfer_secs = 0;
  double total_secs = 0;
  // When the (last) request was about to be sent on its connected socket, since the
  // transfer began; 0 when nothing was sent. Stamped by CURLOPT_PREREQFUNCTION, before the
  // platform can see a byte, so connect time and a reconnect are not counted and the
  // platform's own clock never starts before it.
  double request_sent_secs = 0;

  // Wall seconds from sending the request to the end of the transfer: the part of
  // total_secs the platform is responsible for (no DNS, connect or TLS).
  double SinceSentSecs() const { return total_secs - request_sent_secs; }
};

// How far a failed transfer got (the reason it failed is in curl_error).
enum class TransportPhase {
  kComplete,        // a full response arrived (the transfer did not fail)
  kNeverConnected,  // refused, unresolvable, connect timeout: the platform saw nothing
  kNotFullySent,    // connected, but the request was cut off before its last byte
  kSentNoAnswer,    // the whole request went out and not one response byte came back
  kPartialAnswer,   // part of a response arrived, then the transfer failed
};

inline const char* TransportPhaseName(TransportPhase phase) {
  switch (phase) {
    case TransportPhase::kComplete:
      return "complete";
    case TransportPhase::kNeverConnected:
      return "never_connected";
    case TransportPhase::kNotFullySent:
      return "not_fully_sent";
    case TransportPhase::kSentNoAnswer:
      return "sent_no_answer";
    case TransportPhase::kPartialAnswer:
      return "partial_answer";
  }
  return "unknown";
}

// What came back from one HTTP exchange, before any route-specific interpretation.
struct HttpExchange {
  std::string method;
  std::string path;      // path and query, no host
  long http_status = 0;  // 0 when no response arrived
  std::string content_type;
  std::string body;             // at most max_body_bytes
  int curl_code = 0;            // CURLcode; 0 = transfer completed
  std::string curl_error;       // CURLOPT_ERRORBUFFER text, or curl_easy_strerror
  bool timed_out = false;       // CURLE_OPERATION_TIMEDOUT
  bool body_too_large = false;  // body exceeded max_body_bytes; transfer aborted
  TransportPhase phase = TransportPhase::kComplete;
  // How many times the request went out. Mutating requests use a fresh connection, which
  // libcurl never retries, so for them this is 1 (or 0 when never connected); a value
  // above 1 means libcurl silently re-sent it on a new connection.
  int send_attempts = 0;
  // The final response's header block as received ("Name: value\r\n" lines), for
  // HeaderValue (client/wire.h).
  std::string response_headers;
  TransferTimings timings;

  bool transport_ok() const { return curl_code == 0; }
  // First `max_chars` characters of the body with control characters escaped, for messages.
  std::string BodyExcerpt(std::size_t max_chars = 200) const;
};

// A route's result: the raw exchange plus either a typed value or a one-line error that
// names the call and the cause ("POST /workspaces: HTTP 401: {\"error\":...}",
// "GET /workspaces/x: response is not JSON: <html>...", "...: missing string field 'id'").
// What a platform's refusal means for the caller, read from its status and JSON body
// (platform-api-2026-08.md sections 1, 2, 7). Set on every answer a route did not accept.
enum class PlatformErrorKind {
  kOther,                 // any other refusal: see http_status and message
  kAuth,                  // 401/403: ADMIN_TOKEN missing, wrong, or not allowed here
  kTenantHeaderRequired,  // 400 TENANT_ORG_HEADER_REQUIRED: configuration (TENANT_ID/ORG_ID)
  kTenantGuard,           // 404 with an empty body: the tenant guard refused (wrong tenant)
  kNotFound,              // 404 with a JSON body: no such workspace
  kGone,                  // 410: the workspace was removed
  kConfirmationRequired,  // 400 destructive_action_requires_confirmation (X-Confirm-Name)
  kVendorKeyBlocked,      // 400 on a secret write: a direct vendor LLM key is refused
  kUnprocessable,         // 422 with a machine-readable `code` (RUNTIME_UNRESOLVED, ...)
  kRetryLater,            // 408, 425, 429, 5xx: transient; retry_after_secs when given
};

const char* PlatformErrorKindName(PlatformErrorKind kind);

struct PlatformError {
  PlatformErrorKind kind = PlatformErrorKind::kOther;
  long http_status = 0;
  std::string code;     // the body's "code" (e.g. "MODEL_REQUIRED"), sanitised; "" if none
  std::string message;  // the body's "error" (or the excerpt of a non-JSON body), sanitised
  std::string hint;     // the body's "hint", sanitised
  // 400 destructive_action_requires_confirmation: the persisted name the platform wants in
  // X-Confirm-Name, byte-exact (it is sent back, never printed unsanitised).
  std::string workspace_name;
  std::string key;  // 400 vendor-key guard: the refused secret's name, sanitised
  // Wall seconds to wait before retrying: the body's "retry_after", else the Retry-After
  // header (delta seconds); -1 when the platform named none.
  double retry_after_secs = -1;
};

// A route's result: the raw exchange plus either a typed value or a one-line error that
// names the call and the cause ("POST /workspaces: HTTP 401: {\"error\":...}",
// "GET /workspaces/x: response is not JSON: <html>...", "...: missing string field 'id'").
// `platform_error` types an HTTP refusal (absent for transport and parse failures).
template <typename T>
struct ApiResult {
  HttpExchange exchange;
  std::optional<T> value;
  std::string error;
  std::optional<PlatformError> platform_error;

  bool ok() const { return value.has_value(); }
};

// POST /workspaces request (platform-api-2026-08.md section 1). Empty strings are omitted
// from the body, so a 2026-04 platform sees the same request as before.
struct WorkspaceSpec {
  WorkspaceSpec() = default;
  // The fields every platform version takes; the 2026-08 ones are set by name.
  WorkspaceSpec(std::string name_in, std::string role_in, int tier_in, std::string template_in)
      : name(std::move(name_in)),
        role(std::move(role_in)),
        tier(tier_in),
        template_name(std::move(template_in)) {}

  std::string name;
  std::string role;
  int tier = 2;
  std::string template_name;  // sent as "template"
  std::string runtime;        // e.g. "claude-code"; the template's when empty
  std::string model;          // e.g. "minimax/MiniMax-M2.7"; the template's when empty
  std::string parent_id;      // the platform's default parent when empty
  // Sent as "external":true when set: a workspace with no container, whose agent registers
  // itself; without a url it waits in awaiting_agent (external-workspaces-2026-08.md 1.1).
  bool external = false;
  // Sent as the payload's "secrets" map (name -> value): credentials the platform checks at
  // create time (MISSING_BYOK_CREDENTIAL). Values are secrets: never logged.
  std::vector<std::pair<std::string, std::string>> secrets;
};

struct CreatedWorkspace {
  std::string id;
  std::string status;  // "provisioning" on the real platform
  // 2026-08: the workspace's own API token (section 1). A SECRET: never print or record
  // it (MaskSecret in client/config.h at most). Empty on 2026-04.
  std::string auth_token;
};

// GET /workspaces/{id}: the fields the suite uses (platform-api.md section 3.2,
// platform-api-2026-08.md section 3).
struct WorkspaceInfo {
  std::string id;
  std::string name;    // byte-exact: X-Confirm-Name needs it as persisted
  std::string status;  // through SanitizeRemoteText (client/text.h), at most 64 bytes
  std::optional<std::string> parent_id;
  std::int64_t active_tasks = 0;
  std::int64_t uptime_seconds = 0;
  std::optional<std::string> last_heartbeat_at;  // 2026-08, sanitised; absent/null: none
  bool wedged = false;                           // 2026-08, informational (section 3)
  std::string last_sample_error;                 // 2026-08, sanitised; "" when none
  // 410 (2026-08) or status "removed" (2026-04): the workspace is gone. On a 410 the
  // status reads "removed" and only the id is known.
  bool removed = false;
};

// GET /workspaces (the admin list, a bare array; removed workspaces omitted).
struct WorkspaceSummary {
  std::string id;
  std::string name;    // byte-exact
  std::string status;  // sanitised
  std::string parent_id;
  double uptime_seconds = 0;
  // 2026-08: "platform" for the org's platform agent, the root the platform installs
  // itself (platform-api-2026-08.md section 1); "workspace" or "" (2026-04) otherwise.
  std::string kind;
};

// Whether a listed `kind` is the org's platform agent: the platform's own root, never one of
// this suite's workspaces, whatever its name.
inline bool IsPlatformRootKind(const std::string& kind) { return kind == "platform"; }

// GET /buildinfo (2026-08 section 8): {"git_sha"}; absent on 2026-04 (a 404 is a value).
struct BuildInfo {
  std::optional<std::string> git_sha;  // sanitised, at most 64 bytes
};

// {"status": "..."} replies: PATCH ("updated"), secrets ("saved" or 202
// "pending_approval"), model ("saved"/"cleared"), decide ("approved"), DELETE ("removed",
// "not_found", "gone").
struct StatusReply {
  std::string status;
  std::int64_t cascade_deleted = 0;  // DELETE only
  // Secrets route, 2026-08 section 2: 202 pending_approval names the approval to decide
  // (POST .../approvals/{approval_id}/decide); nothing was written yet.
  std::string approval_id;
  // DELETE: the workspace was already gone (410, or a JSON 404), not removed by this call.
  bool already_gone = false;

  bool pending_approval() const { return status == "pending_approval"; }
};

// How the A2A proxy answered message/send (platform-api.md section 5).
enum class A2AOutcome {
  kResult,         // 200 with a JSON-RPC result; text = result.parts[0].text (or artifacts)
  kAgentError,     // 200 result whose text starts "Agent error:"
  kQueued,         // 202 {"queued":true,...}: the proxy's idle timer fired
  kJsonRpcError,   // a JSON-RPC "error" member
  kPlatformError,  // any other HTTP status with a flat {"error":...} body (5xx, 4xx)
  kNoResponse,     // transport failure: timeout, refused, reset, body too large
  kRefused,        // 503 saying busy/waking/warming or carrying Retry-After: not accepted
  // 200 {"status":"queued",...}: the platform acknowledged the kickoff and the task goes on
  // (the sync budget's "push-async", a boot-gate "queue_id", a "poll" target;
  // platform-api-2026-08.md section 4). Never the task's end and never a bound.
  kDeferred,
};

// "result", "agent_error", "queued", ... (the names used in events and XML).
inline const char* A2AOutcomeName(A2AOutcome outcome) {
  switch (outcome) {
    case A2AOutcome::kResult:
      return "result";
    case A2AOutcome::kAgentError:
      return "agent_error";
    case A2AOutcome::kQueued:
      return "queued";
    case A2AOutcome::kJsonRpcError:
      return "jsonrpc_error";
    case A2AOutcome::kPlatformError:
      return "platform_error";
    case A2AOutcome::kNoResponse:
      return "no_response";
    case A2AOutcome::kRefused:
      return "refused";
    case A2AOutcome::kDeferred:
      return "deferred";
  }
  return "unknown";
}

struct A2AReply {
  A2AOutcome outcome = A2AOutcome::kNoResponse;
  std::string text;           // agent text (kResult/kAgentError)
  std::string error_message;  // platform "error" or JSON-RPC error.message
  std::int64_t jsonrpc_error_code = 0;
  std::string jsonrpc_id;  // id echoed by the platform (it rewraps our envelope)
  std::string queue_id;    // kQueued
  // kRefused: what said so ("busy", "warming", "waking", "Retry-After") and the
  // Retry-After header's value, if any (platform-api-2026-08.md section 5).
  std::string refusal_signal;
  std::string retry_after;
  // kDeferred: the acknowledgement's "delivery_mode" ("push-async", "poll"; empty for the
  // boot gate, which gives queue_id instead).
  std::string delivery_mode;
  // kResult/kAgentError: the A2A task's result.status.state when the result is a Task
  // ("completed", "failed", "canceled", "working", ...); empty for a plain message.
  std::string task_state;
};

struct HeartbeatEntry {
  std::string ts;
  std::string status;
  std::string event;  // e.g. "heartbeat", "terminated"
};

// GET /workspaces/{id}/heartbeat-history. The real platform has no such route: a 404 is a
// successful answer with available = false (the evidence is that it does not exist).
struct HeartbeatHistory {
  bool available = false;
  std::vector<HeartbeatEntry> entries;
};

// GET /workspaces/{id}/activity rows (platform-api.md section 6.4).
struct ActivityRow {
  std::string id;
  std::string activity_type;
  std::string method;
  std::string status;
  std::string summary;
  std::int64_t duration_ms = 0;
  std::string created_at;
  // 2026-08 (platform-api-2026-08.md section 5): the message-keyed a2a_receive row.
  std::string message_id;     // request_body.params.message.messageId; "" when absent
  bool has_response = false;  // response_body is present (the turn ended with a reply)
  std::string response_body;  // as JSON text, byte-exact (InterpretA2AReply reads it)
  std::string error_detail;
  bool has_duration = false;  // duration_ms was a number, not null
  std::int64_t seq = 0;
};

// GET /workspaces/{id}/a2a/queue/{queue_id} (platform-api-2026-08.md section 4).
struct A2AQueueItem {
  std::string queue_id;
  std::string status;  // queued | dispatched | completed | dropped | failed (sanitised)
  std::int64_t attempts = 0;
  std::string last_error;
  bool has_response = false;
  std::string response_body;  // only with status "completed"; JSON text
};

}  // namespace taskbounds

#endif  // CLIENT_EVIDENCE_H_
