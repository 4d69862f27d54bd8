// The 2026-04 platform (platform-api.md; Molecule-AI/molecule-core 7cf77f27): the answers
// the fake has always given.
#ifndef MOCKS_PLATFORM_PROFILE_2026_04_H_
#define MOCKS_PLATFORM_PROFILE_2026_04_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mocks/platform/platform_profile.h"

namespace taskbounds {

class Profile2026_04 : public PlatformProfile {
 public:
  PlatformVersion version() const override { return PlatformVersion::k2026_04; }
  AuthLayer AuthLayerOf(Route route, bool heartbeat_history_exists) const override;
  bool DevModeOpensAuth() const override { return true; }
  bool Serves(Route route) const override;
  bool HasHeartbeatHistory(Scenario scenario) const override;
  std::string RuntimeForTemplate(const std::string& template_name) const override;
  CreateResolution ResolveCreate(const CreateAsk& ask) const override;
  bool ResolvesParentsAndNames() const override { return false; }
  bool MintsWorkspaceTokens() const override { return false; }
  BackendReply CreatedReply(const Workspace& ws) const override;
  BackendReply MissingTenantHeaderReply() const override;
  std::string RateLimitKey(const BackendRequest& request) const override;
  std::optional<BackendReply> DeleteGate(const Workspace* ws, bool removed,
                                         const BackendRequest& request, std::size_t child_count,
                                         std::int64_t active_tasks) const override;
  std::optional<BackendReply> SecretWriteGuard(const Workspace& ws,
                                               const std::string& key) const override;
  bool HasApprovalGate() const override { return false; }
  bool ValidatesReparent() const override { return false; }
  std::optional<std::string> BuildGitSha() const override { return std::nullopt; }
  bool ReportsLiveness() const override { return false; }
  bool HeartbeatRevivesFailed() const override { return false; }
  std::optional<BackendReply> RemovedWorkspaceReply(const Workspace& ws) const override;
  BackendReply SecretSavedReply(const std::string& key) const override;
  BackendReply DeleteConfirmationReply(
      const std::vector<const Workspace*>& children) const override;
  BackendReply QueuedReply() const override;
};

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_PROFILE_2026_04_H_
