// PlatformClient: the libcurl + RapidJSON client for every platform call a run makes
// (../DESIGN "One run"). One instance owns one curl easy handle, so it reuses one
// connection; use one instance per thread (libcurl handles are not thread-safe).
#ifndef CLIENT_PLATFORM_CLIENT_H_
#define CLIENT_PLATFORM_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/evidence.h"
#include "client/wire.h"
#include "rapidjson/document.h"  // kept: callers of this header use it

namespace taskbounds {

// Where and how to reach the platform. Built from RunConfig (client/config.h) or by tests.
struct ClientOptions {
  std::string base_url;     // e.g. "http://127.0.0.1:8080" (no trailing slash needed)
  std::string admin_token;  // empty: no Authorization header
  std::string tenant_id;    // empty: no tenant headers
  // TLS trust beyond the system store, as curl's own tool takes it from CURL_CA_BUNDLE /
  // SSL_CERT_FILE (a PEM bundle: CURLOPT_CAINFO) and SSL_CERT_DIR (hashed directories,
  // ':'-separated: CURLOPT_CAPATH); empty: libcurl's defaults. Verification is always on.
  std::string ca_file;
  std::string ca_path;
  long connect_timeout_ms = 5000;
  long request_timeout_ms = 30000;        // total, per request (A2A has its own)
  std::size_t max_body_bytes = 8u << 20;  // larger bodies fail with body_too_large
};

class PlatformClient {
 public:
  explicit PlatformClient(ClientOptions options);
  ~PlatformClient();
  PlatformClient(const PlatformClient&) = delete;
  PlatformClient& operator=(const PlatformClient&) = delete;

  const ClientOptions& options() const { return options_; }

  // POST /workspaces with every non-empty field of `spec` (platform-api-2026-08.md section
  // 1). A 422 is typed: platform_error->kind kUnprocessable with its `code` (e.g.
  // RUNTIME_UNRESOLVED, MODEL_REQUIRED), and the error line leads with that code. The
  // value's auth_token is a secret.
  ApiResult<CreatedWorkspace> CreateWorkspace(const WorkspaceSpec& spec);
  ApiResult<StatusReply> PatchParent(const std::string& child_id, const std::string& parent_id);
  // POST /workspaces/{id}/secrets {"key","value"}. 2026-08 section 2: a 202 is a value with
  // status "pending_approval" and its approval_id (nothing stored: DecideApproval, then the
  // identical write again); a 400 vendor-key guard is platform_error kind kVendorKeyBlocked
  // naming the key. `value` is a secret and appears in no error or exchange field but the
  // request body, which HttpExchange does not keep.
  ApiResult<StatusReply> SetSecret(const std::string& workspace_id, const std::string& key,
                                   const std::string& value);
  // GET /workspaces/{id}. 2026-08 answers 410 for a removed workspace: a value with
  // removed = true and status "removed" (as 2026-04's 200 "removed" reads).
  ApiResult<WorkspaceInfo> GetWorkspace(const std::string& workspace_id);
  // GET /workspaces: the admin list (both versions; removed workspaces omitted).
  ApiResult<std::vector<WorkspaceSummary>> ListWorkspaces();
  // GET /buildinfo: git_sha when the platform reports one; a 404 (2026-04) is a value
  // without a sha (2026-08 section 8).
  ApiResult<BuildInfo> GetBuildInfo();
  // PUT /workspaces/{id}/model {"model"}: 200 {"status":"saved"} (2026-08 section 2). The
  // write restarts the workspace; a 422 names its code as CreateWorkspace's does.
  ApiResult<StatusReply> SetModel(const std::string& workspace_id, const std::string& model);
  // POST /workspaces/{id}/approvals/{approval_id}/decide {"decision","decided_by"}:
  // 200 {"status":"approved"} (2026-08 section 2).
  ApiResult<StatusReply> DecideApproval(const std::string& workspace_id,
                                        const std::string& approval_id,
                                        const std::string& decision = "approved",
                                        const std::string& decided_by = "taskbounds-harness");
  // message/send with `task_text` as the single text part, bounded by `timeout_ms` (total).
  ApiResult<A2AReply> SendMessage(const std::string& workspace_id, const std::string& task_text,
                                  long timeout_ms);
  // The same with a body already built by BuildMessageSendBody, so a caller timing the
  // request keeps the JSON building out of its timed window.
  ApiResult<A2AReply> SendMessageBody(const std::string& workspace_id, const std::string& body,
                                      long timeout_ms);
  ApiResult<HeartbeatHistory> GetHeartbeatHistory(const std::string& workspace_id,
                                                  std::int64_t since_secs);
  ApiResult<std::vector<ActivityRow>> GetActivity(const std::string& workspace_id, int limit);
  // GET /workspaces/{id}/activity?<query>, e.g. "since_id=<row id>&limit=500" (ascending
  // after the cursor) or "type=a2a_receive&since_secs=90" (newest first); 2026-08 section 5.
  ApiResult<std::vector<ActivityRow>> GetActivityPage(const std::string& workspace_id,
                                                      const std::string& query);
  // GET /workspaces/{id}/a2a/queue/{queue_id} (2026-08 section 4).
  ApiResult<A2AQueueItem> GetQueueItem(const std::string& workspace_id,
                                       const std::string& queue_id);
  // DELETE /workspaces/{id}[?confirm=true] with X-Confirm-Name: `confirm_name` (the name
  // as persisted, read back by GET /workspaces/{id}) when given, else none. Both platform
  // versions: 200 and 204 are success ("removed"); a 404 with a JSON body ("not_found") and
  // a 410 ("gone") are success too with already_gone (the post-condition holds). A 404 with
  // an empty body is the tenant guard refusing the request (platform-api.md 2.3,
  // platform-api-2026-08.md section 7): an error of kind kTenantGuard, the workspace may
  // still exist. A 400 destructive_action_requires_confirmation is answered once, with the
  // workspace_name it reports; a second such 400 is returned (kConfirmationRequired).
  // Retryable refusals (429, 5xx) are returned typed (kRetryLater, retry_after_secs): the
  // caller decides whether its budget allows a retry. `timeout_ms` bounds each request.
  ApiResult<StatusReply> DeleteWorkspace(const std::string& workspace_id, bool confirm,
                                         long timeout_ms = 0 /* 0: request_timeout_ms */,
                                         const std::string& confirm_name = "");
  // The same, first reading the persisted name by GET /workspaces/{id} (within the same
  // `timeout_ms`): a GET that shows the workspace gone (410, JSON 404) is the answer, with
  // no DELETE sent.
  ApiResult<StatusReply> DeleteWorkspaceByReadName(const std::string& workspace_id, bool confirm,
                                                   long timeout_ms = 0);

  // Low-level: one request with the configured headers and `extra_headers` ("Name: value";
  // one with a line break or NUL is refused unsent). `body` empty means no body.
  // Used by the routes above and by tests of odd routes.
  HttpExchange Send(const std::string& method, const std::string& path_and_query,
                    const std::string& body, long timeout_ms = 0,
                    const std::vector<std::string>& extra_headers = {});

 private:
  struct CurlHandle;
  ClientOptions options_;
  std::unique_ptr<CurlHandle> curl_;
};

// Builds the message/send request body exactly as sent (RapidJSON, any text byte-exact).
std::string BuildMessageSendBody(const std::string& task_text);
// The same with the harness's own params.message.messageId and contextId (the only keys
// that correlate a queued turn with its row and events; platform-api-2026-08.md section 4).
std::string BuildMessageSendBody(const std::string& task_text, const std::string& message_id,
                                 const std::string& context_id);

}  // namespace taskbounds

#endif  // CLIENT_PLATFORM_CLIENT_H_
