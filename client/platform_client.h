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
  long connect_timeout_ms = 5000;
  long request_timeout_ms = 30000;        // total, per request (A2A has its own)
  std::size_t max_body_bytes = 8u << 20;  // larger bodies fail with body_too_large
};

// One request header beyond the configured ones.
struct RequestHeader {
  std::string name;
  std::string value;
};

class PlatformClient {
 public:
  explicit PlatformClient(ClientOptions options);
  ~PlatformClient();
  PlatformClient(const PlatformClient&) = delete;
  PlatformClient& operator=(const PlatformClient&) = delete;

  const ClientOptions& options() const { return options_; }

  ApiResult<CreatedWorkspace> CreateWorkspace(const WorkspaceSpec& spec);
  ApiResult<StatusReply> PatchParent(const std::string& child_id, const std::string& parent_id);
  ApiResult<StatusReply> SetSecret(const std::string& workspace_id, const std::string& key,
                                   const std::string& value);
  ApiResult<WorkspaceInfo> GetWorkspace(const std::string& workspace_id);
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
  // DELETE /workspaces/{id}[?confirm=true]. 200 and 204 are success; a 404 with a body is
  // success too (the post-condition, "absent", holds), reported with status "not_found".
  // A 404 with an empty body is the platform's tenant guard refusing the request
  // (platform-api.md 2.3): the workspace may still exist, so it is an error.
  ApiResult<StatusReply> DeleteWorkspace(const std::string& workspace_id, bool confirm,
                                         long timeout_ms = 0 /* 0: request_timeout_ms */);

  // Low-level: one request with the configured headers. `body` empty means no body.
  // Used by the routes above and by tests of odd routes.
  HttpExchange Send(const std::string& method, const std::string& path_and_query,
                    const std::string& body, long timeout_ms = 0);
  // The same with `extra_headers` after the configured ones (e.g. 2026-08's X-Confirm-Name).
  // A name with ':' or any CR/LF/NUL is refused like a bad token (curl_code
  // CURLE_BAD_FUNCTION_ARGUMENT, nothing sent).
  HttpExchange SendWithHeaders(const std::string& method, const std::string& path_and_query,
                               const std::string& body,
                               const std::vector<RequestHeader>& extra_headers,
                               long timeout_ms = 0);

 private:
  struct CurlHandle;
  ClientOptions options_;
  std::unique_ptr<CurlHandle> curl_;
};

// Builds the message/send request body exactly as sent (RapidJSON, any text byte-exact).
std::string BuildMessageSendBody(const std::string& task_text);

}  // namespace taskbounds

#endif  // CLIENT_PLATFORM_CLIENT_H_
