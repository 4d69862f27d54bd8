#include "mocks/platform/profile_2026_08.h"

#include <functional>

#include "mocks/platform/json_util.h"

namespace taskbounds {

AuthLayer Profile2026_08::AuthLayerOf(Route route, bool heartbeat_history_exists) const {
  switch (route) {
    case Route::kListWorkspaces:
    case Route::kDecideApproval:  // router.go:386, in the admin group
      return AuthLayer::kAdmin;
    case Route::kSetModel:
    case Route::kGetModel:  // router.go:661-665, beside the secrets routes
      return AuthLayer::kWorkspace;
    case Route::kBuildInfo:  // open (router.go:107-109)
      return AuthLayer::kNone;
    case Route::kEventStream:   // WorkspaceAuth; ADMIN_TOKEN accepted (section 5)
    case Route::kA2AQueueItem:  // the A2A classifier; ADMIN_TOKEN reads any (section 4)
      return AuthLayer::kWorkspace;
    default:
      return Profile2026_04::AuthLayerOf(route, heartbeat_history_exists);
  }
}

bool Profile2026_08::Serves(Route /*route*/) const { return true; }

CreateResolution Profile2026_08::ResolveCreate(const CreateAsk& ask) const {
  return taskbounds::ResolveCreate(ask);
}

BackendReply Profile2026_08::CreatedReply(const Workspace& ws) const {
  // H/workspace.go:1512-1523: no awareness_namespace any more; the token is a secret.
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("id");
  WriteString(w, ws.id);
  w.Key("status");
  w.String("provisioning");
  w.Key("workspace_access");
  WriteString(w, ws.workspace_access);
  w.Key("auth_token");
  WriteString(w, ws.auth_token);
  w.EndObject();
  return BackendReply::Json(201, buffer.GetString());
}

std::optional<BackendReply> Profile2026_08::RemovedWorkspaceReply(const Workspace& ws) const {
  // Section 3: a tombstone is 410 unless ?include_removed=true (since 72f0079c).
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  w.String("workspace removed");
  w.Key("id");
  WriteString(w, ws.id);
  w.Key("hint");
  w.String("add ?include_removed=true to read the tombstone");
  w.Key("removed_at");
  WriteString(w, ws.removed_at ? IsoAt(*ws.removed_at) : std::string());
  w.EndObject();
  return BackendReply::Json(410, buffer.GetString());
}

BackendReply Profile2026_08::MissingTenantHeaderReply() const {
  // MW/tenant_guard.go:126-134: a missing header is now a 400 saying which; a wrong one is
  // still the bare 404.
  return BackendReply::Json(
      400, R"({"error":"missing tenant routing header","code":"TENANT_ORG_HEADER_REQUIRED",)"
           R"("required_header":"X-Molecule-Org-Id",)"
           R"("detail":"send X-Molecule-Org-Id with this tenant's org id"})");
}

std::string Profile2026_08::RateLimitKey(const BackendRequest& request) const {
  // MW/ratelimit.go:86-94: the org if named, else the bearer's hash, else the client IP.
  const std::string org = request.Header("X-Molecule-Org-Id");
  if (!org.empty()) {
    return "org:" + org;
  }
  const std::string authorization = request.Header("Authorization");
  if (authorization.rfind("Bearer ", 0) == 0 && authorization.size() > 7) {
    // Only the bucket's identity matters here: the fake keeps no token in its key text.
    return "bearer:" + std::to_string(std::hash<std::string>{}(authorization.substr(7)));
  }
  return "ip:" + request.remote;
}

std::optional<BackendReply> Profile2026_08::DeleteGate(const Workspace* ws, bool removed,
                                                       const BackendRequest& request,
                                                       std::size_t child_count,
                                                       std::int64_t active_tasks) const {
  // Section 7 (H/workspace_crud.go:644-687): unknown 404, removed 410, then the name.
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  if (removed) {
    return BackendReply::Json(410, R"({"error":"workspace removed","id":")" + ws->id + R"("})");
  }
  if (request.HasHeader("X-Confirm-Name") && request.Header("X-Confirm-Name") == ws->name) {
    return std::nullopt;
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  w.String("destructive_action_requires_confirmation");
  w.Key("hint");
  w.String("send the header X-Confirm-Name with the workspace's exact name");
  w.Key("workspace_name");
  WriteString(w, ws->name);
  w.Key("active_tasks");
  w.Int64(active_tasks);
  w.Key("child_count");
  w.Uint64(child_count);
  w.EndObject();
  return BackendReply::Json(400, buffer.GetString());
}

std::optional<BackendReply> Profile2026_08::SecretWriteGuard(const Workspace& ws,
                                                             const std::string& key) const {
  auto model = ws.secrets.find("MODEL");
  return VendorKeyGuard(ws.runtime, model != ws.secrets.end() ? model->second : ws.model, key,
                        ws.id);
}

}  // namespace taskbounds
