// The 2026-08 platform (platform-api-2026-08.md; EnterOS-AI/enteros-core aeec8e47). Derives
// from 2026-04 and overrides the answers that changed, one virtual at a time. This file and
// profile_2026_08.cc hold sections 1, 2, 3 and 7 (provisioning, credentials, reads, delete,
// tenancy, rate limiting); the A2A proxy's answers (sections 4-6) are overridden apart.
#ifndef MOCKS_PLATFORM_PROFILE_2026_08_H_
#define MOCKS_PLATFORM_PROFILE_2026_08_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "mocks/platform/profile_2026_04.h"

namespace taskbounds {

// GET /buildinfo's git_sha: the snapshot the delta document was read from.
inline constexpr char kFakeGitSha2026_08[] = "aeec8e47";

class Profile2026_08 : public Profile2026_04 {
 public:
  PlatformVersion version() const override { return PlatformVersion::k2026_08; }
  // Section 1: both fail-open branches are gone (commit 3747fe2f).
  bool DevModeOpensAuth() const override { return false; }
  AuthLayer AuthLayerOf(Route route, bool heartbeat_history_exists) const override;
  bool Serves(Route route) const override;

  CreateResolution ResolveCreate(const CreateAsk& ask) const override;
  bool ResolvesParentsAndNames() const override { return true; }
  bool MintsWorkspaceTokens() const override { return true; }
  bool HasPlatformRoot() const override { return true; }
  BackendReply CreatedReply(const Workspace& ws) const override;
  std::optional<BackendReply> RemovedWorkspaceReply(const Workspace& ws) const override;
  BackendReply MissingTenantHeaderReply() const override;
  std::string RateLimitKey(const BackendRequest& request) const override;
  std::optional<BackendReply> DeleteGate(const Workspace* ws, bool removed,
                                         const BackendRequest& request, std::size_t child_count,
                                         std::int64_t active_tasks) const override;
  std::optional<BackendReply> SecretWriteGuard(const Workspace& ws,
                                               const std::string& key) const override;
  bool HasApprovalGate() const override { return true; }
  bool ValidatesReparent() const override { return true; }
  std::optional<std::string> BuildGitSha() const override { return kFakeGitSha2026_08; }
  bool ReportsLiveness() const override { return true; }
  bool HeartbeatRevivesFailed() const override { return true; }
  // Sections 4-6: the task's life (mocks/in_memory_platform_task_life.cc).
  bool DetachesTasks() const override { return true; }
};

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_PROFILE_2026_08_H_
