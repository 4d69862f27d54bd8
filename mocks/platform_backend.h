// PlatformBackend: the platform's state and rules behind the fake's HTTP server, one virtual
// per operation, plain value types in and out so GoogleMock can stand in for any of them.
//
// The server (fake_platform_server.h) only translates HTTP to these calls and back, injects
// faults and logs requests; everything the real platform decides (auth, tenancy, rate limit,
// validation, lifecycle, the simulated coordinator) lives behind this interface.
#ifndef MOCKS_PLATFORM_BACKEND_H_
#define MOCKS_PLATFORM_BACKEND_H_

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mocks/http/header_map.h"

namespace taskbounds {

struct BackendRequest {
  std::string method;                        // "GET", "POST", ...
  std::string path;                          // without the query
  std::map<std::string, std::string> query;  // decoded; first value per key
  HeaderMap headers;
  std::string body;
  std::string remote;  // client IP (the rate limiter's key)

  // Value of the first header named `name` (any case); "" when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  std::optional<std::string> Query(const std::string& key) const;
};

// A reply body produced over time (2026-08's server-sent event stream): the server asks for
// the next chunk until the stream ends. Implementations are thread-safe.
class ReplyStream {
 public:
  virtual ~ReplyStream() = default;
  // Waits until the next chunk is ready (appended to *chunk) or `deadline` passes (nothing
  // appended). False when the stream has ended (server shutdown): the reply is complete.
  [[nodiscard]] virtual bool Next(std::chrono::steady_clock::time_point deadline,
                                  std::string* chunk) = 0;
};

struct BackendReply {
  int status = 200;
  // Gin's c.JSON type; empty: no Content-Type header (the tenant guard's bare 404).
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  HeaderList headers;  // extra headers (Retry-After, X-RateLimit-*, ...)
  // Set: the body is this stream's chunks (sent chunked, with `content_type`), not `body`.
  std::shared_ptr<ReplyStream> stream;

  // Reply helpers: a JSON body, the platform's flat {"error": message} body, Gin's
  // plain-text 404 for routes that do not exist.
  static BackendReply Json(int status, std::string body);
  static BackendReply Error(int status, std::string_view message);
  static BackendReply RouteNotFound();
};

// Every route the platform serves (plus kUnmatched for the rest); mocks/routes.h maps each
// to its method(s) and path. The backend decides which auth layer guards which route, and
// whether a route exists at all in its configuration (the hypothetical /heartbeat-history
// exists only in the platform_ceiling scenario).
enum class Route {
  kHealth,
  kCreateWorkspace,
  kGetWorkspace,
  kPatchWorkspace,
  kDeleteWorkspace,
  kSetSecret,  // two methods: POST and PUT
  kA2A,
  kHeartbeatHistory,
  kActivity,
  kRegistryRegister,   // the agent, at startup
  kRegistryHeartbeat,  // the agent, every 30 s
  kEventStream,        // 2026-08: the workspace's server-sent events
  kA2AQueueItem,       // 2026-08: one queued A2A item (GET .../a2a/queue/{queue_id})
  kUnmatched,          // anything else: Gin's 404
};

// The route's key from mocks/routes.h ("POST|PUT ..." when served on two methods),
// "unmatched" for kUnmatched. Defined in routes.cc.
const char* RouteName(Route route);

// The outcome of the global middleware (rate limit, tenant guard, auth) for one request.
struct Admission {
  bool admitted = true;
  BackendReply rejection;  // when !admitted: the reply to send instead
  HeaderList headers;      // added to whatever reply follows (X-RateLimit-*)
};

class PlatformBackend {
 public:
  virtual ~PlatformBackend() = default;

  // Global middleware in the platform's order: rate limit, X-Molecule-Org-Id tenancy, then
  // the route's auth layer (AdminAuth, WorkspaceAuth or none).
  virtual Admission Authorize(Route route, const BackendRequest& request) = 0;

  virtual BackendReply Health() = 0;
  // Body-carrying operations take the whole request: its operator<< (what gMock prints for
  // an unexpected call) withholds bodies that may carry secrets.
  virtual BackendReply CreateWorkspace(const BackendRequest& request) = 0;
  virtual BackendReply GetWorkspace(const std::string& id) = 0;
  virtual BackendReply PatchWorkspace(const std::string& id, const BackendRequest& request) = 0;
  virtual BackendReply SetSecret(const std::string& id, const BackendRequest& request) = 0;
  virtual BackendReply DeleteWorkspace(const std::string& id, bool confirm, bool purge) = 0;
  // Blocks for the simulated duration of the agent's work; Shutdown() wakes it early.
  virtual BackendReply SendA2A(const std::string& id, const BackendRequest& request) = 0;
  virtual BackendReply HeartbeatHistory(const std::string& id, const BackendRequest& request) = 0;
  virtual BackendReply Activity(const std::string& id, const BackendRequest& request) = 0;
  // The agent-side registry routes (platform-api.md 6.1, 6.2); they drive status (section 4).
  virtual BackendReply RegistryRegister(const BackendRequest& request) = 0;
  virtual BackendReply RegistryHeartbeat(const BackendRequest& request) = 0;
  // 2026-08 (platform-api-2026-08.md sections 4, 5): GET /workspaces/{id}/events/stream, a
  // stream reply that ends at Shutdown(); GET /workspaces/{id}/a2a/queue/{queue_id}.
  virtual BackendReply EventStream(const std::string& id, const BackendRequest& request) = 0;
  virtual BackendReply A2AQueueItem(const std::string& id, const std::string& queue_id) = 0;

  // Ids created and not yet deleted (leak accounting).
  virtual std::vector<std::string> LiveWorkspaceIds() = 0;
  // Wakes every blocked SendA2A and makes later ones answer at once. Idempotent.
  virtual void Shutdown() = 0;
};

// For gMock failure messages. Never prints headers (Authorization) nor a body that may hold
// a secret (the secrets route, a create with "secrets").
std::ostream& operator<<(std::ostream& os, const BackendRequest& request);
std::ostream& operator<<(std::ostream& os, const BackendReply& reply);
std::ostream& operator<<(std::ostream& os, const Admission& admission);
std::ostream& operator<<(std::ostream& os, Route route);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_BACKEND_H_
