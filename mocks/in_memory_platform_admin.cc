// InMemoryPlatform's admin list and the routes 2026-08 added (platform-api-2026-08.md
// sections 2 and 8): the approval gate's decide step, the model routes and /buildinfo.
// Kept apart from in_memory_platform.cc so the routes of each release stay easy to find.
#include <utility>

#include "mocks/in_memory_platform.h"
#include "mocks/platform/json_util.h"

namespace taskbounds {

BackendReply InMemoryPlatform::ListWorkspaces(const BackendRequest& /*request*/) {
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  std::string body = "[";
  for (const std::string& id : table_.LiveIdsAt(now)) {
    if (body.size() > 1) {
      body += ",";
    }
    body += lifecycle_.WorkspaceJson(*table_.Find(id), now);
  }
  body += "]";
  return BackendReply::Json(200, std::move(body));
}

BackendReply InMemoryPlatform::DecideApproval(const std::string& /*id*/,
                                              const std::string& /*approval_id*/,
                                              const BackendRequest& /*request*/) {
  return BackendReply::RouteNotFound();
}

BackendReply InMemoryPlatform::SetModel(const std::string& /*id*/,
                                        const BackendRequest& /*request*/) {
  return BackendReply::RouteNotFound();
}

BackendReply InMemoryPlatform::GetModel(const std::string& /*id*/) {
  return BackendReply::RouteNotFound();
}

BackendReply InMemoryPlatform::BuildInfo() { return BackendReply::RouteNotFound(); }

}  // namespace taskbounds
