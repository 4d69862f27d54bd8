// PlatformProfile: every answer of the fake that differs between platform releases, in one
// object, so teaching the fake a new release means overriding these and nothing else. The
// units and the facade ask the profile wherever the releases part ways (platform-api-2026-08.md
// section 0 lists where: auth, create's reply and runtime, secrets, GET of a removed
// workspace, DELETE, the A2A proxy's queueing).
#ifndef MOCKS_PLATFORM_PLATFORM_PROFILE_H_
#define MOCKS_PLATFORM_PLATFORM_PROFILE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mocks/fake_platform_options.h"
#include "mocks/platform/template_catalog.h"
#include "mocks/platform/workspace_record.h"
#include "mocks/platform_backend.h"

namespace taskbounds {

// Which auth middleware guards a route.
enum class AuthLayer { kNone, kAdmin, kWorkspace };

class PlatformProfile {
 public:
  virtual ~PlatformProfile() = default;

  virtual PlatformVersion version() const = 0;

  // The layer guarding `route` (router.go). `heartbeat_history_exists`: whether that route
  // exists in this configuration (only a route that exists has middleware).
  virtual AuthLayer AuthLayerOf(Route route, bool heartbeat_history_exists) const = 0;
  // An empty ADMIN_TOKEN lets every auth layer through (dev mode).
  virtual bool DevModeOpensAuth() const = 0;
  // Whether `route` exists in this release (routes added later are Gin's plain 404 before).
  virtual bool Serves(Route route) const = 0;
  // Whether GET /workspaces/{id}/heartbeat-history exists under `scenario`.
  virtual bool HasHeartbeatHistory(Scenario scenario) const = 0;

  // The runtime a create body without one gets from its template ("" = none named).
  virtual std::string RuntimeForTemplate(const std::string& template_name) const = 0;
  // POST /workspaces: the runtime and model a create resolves to, or the reply refusing it
  // (2026-08 section 1's 422 gates; 2026-04 refuses nothing and names no model).
  virtual CreateResolution ResolveCreate(const CreateAsk& ask) const = 0;
  // 2026-08 section 1: an omitted parent_id defaults to the org's platform root, else the
  // sole root workspace; a named one must exist, and a name taken under the same parent is
  // suffixed " (2)", " (3)", ...
  virtual bool ResolvesParentsAndNames() const = 0;
  // 2026-08: the org has a kind='platform' root of the platform's own, when the options ask
  // for it (FakePlatformOptions::platform_root; H/platform_agent.go).
  virtual bool HasPlatformRoot() const { return false; }
  // 2026-08: the 201 carries a workspace token (auth_token), which passes WorkspaceAuth and,
  // with no ADMIN_TOKEN configured, AdminAuth too (section 1, "tier 3").
  virtual bool MintsWorkspaceTokens() const = 0;
  // POST /workspaces' success reply for the new record.
  virtual BackendReply CreatedReply(const Workspace& ws) const = 0;
  // The tenant guard's answer to a request with no X-Molecule-Org-Id (and no Fly replay).
  virtual BackendReply MissingTenantHeaderReply() const = 0;
  // The rate limiter's bucket for `request` (2026-08 section 7: one per org).
  virtual std::string RateLimitKey(const BackendRequest& request) const = 0;
  // DELETE /workspaces/{id} after the id parsed, before the children check: `ws` null when
  // unknown; its live children and running tasks (the 400 reports both). nullopt: carry on (2026-04
  // deletes unknown and removed ids with a 200).
  virtual std::optional<BackendReply> DeleteGate(const Workspace* ws, bool removed,
                                                 const BackendRequest& request,
                                                 std::size_t child_count,
                                                 std::int64_t active_tasks) const = 0;
  // The secrets route's checks before the write (2026-08 section 2's vendor-key guard).
  virtual std::optional<BackendReply> SecretWriteGuard(const Workspace& ws,
                                                       const std::string& key) const = 0;
  // Whether the approval gate exists in this release (the option turns it on).
  virtual bool HasApprovalGate() const = 0;
  // Whether a PATCH of parent_id is validated with codes (2026-08 section 2).
  virtual bool ValidatesReparent() const = 0;
  // GET /buildinfo's git_sha; nullopt: the route does not exist (2026-08 section 8).
  virtual std::optional<std::string> BuildGitSha() const = 0;
  // Whether a late heartbeat turns a failed workspace online (2026-08 section 1).
  virtual bool HeartbeatRevivesFailed() const = 0;
  // Whether GET shows last_heartbeat_at, wedged and last_sample_error (2026-08 section 3).
  virtual bool ReportsLiveness() const = 0;
  // GET /workspaces/{id} of a removed workspace without ?include_removed=true; nullopt = its
  // tombstone row, like any other.
  virtual std::optional<BackendReply> RemovedWorkspaceReply(const Workspace& ws) const = 0;
  // POST /workspaces/{id}/secrets' success reply (the write and restart already happened).
  virtual BackendReply SecretSavedReply(const std::string& key) const = 0;
  // DELETE /workspaces/{id} without ?confirm=true of a workspace with live `children`.
  virtual BackendReply DeleteConfirmationReply(
      const std::vector<const Workspace*>& children) const = 0;
  // The A2A proxy's answer when its idle timer fires and the request is queued.
  virtual BackendReply QueuedReply() const = 0;
  // Whether kickoffs follow 2026-08's task life (platform-api-2026-08.md sections 4-6):
  // bearer-only A2A, the sync budget's queued answer with the turn going on detached,
  // message-keyed rows, the event stream, queue items, the stall watchdog. False: the call
  // holds for the whole task (2026-04) and those routes do not exist.
  virtual bool DetachesTasks() const { return false; }
};

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_PLATFORM_PROFILE_H_
