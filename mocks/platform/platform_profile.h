// PlatformProfile: every answer of the fake that differs between platform releases, in one
// object, so teaching the fake a new release means overriding these and nothing else. The
// units and the facade ask the profile wherever the releases part ways (platform-api-2026-08.md
// section 0 lists where: auth, create's reply and runtime, secrets, GET of a removed
// workspace, DELETE, the A2A proxy's queueing).
#ifndef MOCKS_PLATFORM_PLATFORM_PROFILE_H_
#define MOCKS_PLATFORM_PLATFORM_PROFILE_H_

#include <optional>
#include <string>
#include <vector>

#include "mocks/fake_platform_options.h"
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
  // Whether GET /workspaces/{id}/heartbeat-history exists under `scenario`.
  virtual bool HasHeartbeatHistory(Scenario scenario) const = 0;

  // The runtime a create body without one gets from its template ("" = none named).
  virtual std::string RuntimeForTemplate(const std::string& template_name) const = 0;
  // POST /workspaces' success reply for the new record.
  virtual BackendReply CreatedReply(const Workspace& ws) const = 0;
  // GET /workspaces/{id} of a removed workspace; nullopt = its tombstone row, like any other.
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
