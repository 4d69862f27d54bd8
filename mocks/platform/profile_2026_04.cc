#include "mocks/platform/profile_2026_04.h"

#include <cstdint>

#include "mocks/platform/json_util.h"

namespace taskbounds {
namespace {

constexpr char kConfirmMessage[] =
    "This workspace has sub-workspaces. Delete with ?confirm=true to cascade delete.";
constexpr char kQueuedMessage[] =
    "workspace agent busy \xE2\x80\x94 request queued, will dispatch when capacity available";

}  // namespace

AuthLayer Profile2026_04::AuthLayerOf(Route route, bool heartbeat_history_exists) const {
  switch (route) {
    case Route::kCreateWorkspace:
    case Route::kDeleteWorkspace:
      return AuthLayer::kAdmin;
    case Route::kPatchWorkspace:
    case Route::kSetSecret:
    case Route::kActivity:
      return AuthLayer::kWorkspace;
    case Route::kHeartbeatHistory:
      // Only a route that exists has middleware; otherwise it is Gin's plain 404.
      return heartbeat_history_exists ? AuthLayer::kWorkspace : AuthLayer::kNone;
    case Route::kRegistryRegister:
    case Route::kRegistryHeartbeat:
      // The platform asks for the workspace's own token once it has one (registry.go:
      // 657-681); the fake mints no workspace tokens, so none is ever asked for.
    case Route::kHealth:
    case Route::kGetWorkspace:
    case Route::kA2A:
    case Route::kEventStream:  // 2026-08 routes: no such route here, no middleware
    case Route::kA2AQueueItem:
    case Route::kUnmatched:
      break;
  }
  return AuthLayer::kNone;
}

bool Profile2026_04::HasHeartbeatHistory(Scenario scenario) const {
  // The real platform has no such route; only the hypothetical ceiling scenario adds it.
  return scenario == Scenario::kPlatformCeiling;
}

std::string Profile2026_04::RuntimeForTemplate(const std::string& template_name) const {
  // A template's config.yaml names its runtime; the stock ones are "<runtime>-default".
  static const char* const kRuntimes[] = {"claude-code", "langgraph", "hermes"};
  for (const char* runtime : kRuntimes) {
    std::string r = runtime;
    if (template_name == r || template_name == r + "-default") {
      return r;
    }
  }
  return "langgraph";
}

BackendReply Profile2026_04::CreatedReply(const Workspace& ws) const {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("id");
  WriteString(w, ws.id);
  w.Key("status");
  w.String("provisioning");
  w.Key("awareness_namespace");
  WriteString(w, "workspace:" + ws.id);
  w.Key("workspace_access");
  WriteString(w, ws.workspace_access);
  w.EndObject();
  return BackendReply::Json(201, buffer.GetString());
}

std::optional<BackendReply> Profile2026_04::RemovedWorkspaceReply(const Workspace& /*ws*/) const {
  return std::nullopt;  // deleted rows are tombstones: 200, status "removed" (workspace.go:573-586)
}

BackendReply Profile2026_04::SecretSavedReply(const std::string& key) const {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("status");
  w.String("saved");
  w.Key("key");
  WriteString(w, key);
  w.EndObject();
  return BackendReply::Json(200, buffer.GetString());
}

BackendReply Profile2026_04::DeleteConfirmationReply(
    const std::vector<const Workspace*>& children) const {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("status");
  w.String("confirmation_required");
  w.Key("message");
  w.String(kConfirmMessage);
  w.Key("children");
  w.StartArray();
  for (const Workspace* child : children) {
    w.StartObject();
    w.Key("id");
    WriteString(w, child->id);
    w.Key("name");
    WriteString(w, child->name);
    w.EndObject();
  }
  w.EndArray();
  w.Key("children_count");
  w.Int64(static_cast<std::int64_t>(children.size()));
  w.EndObject();
  return BackendReply::Json(409, buffer.GetString());
}

BackendReply Profile2026_04::QueuedReply() const {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("queued");
  w.Bool(true);
  w.Key("queue_id");
  WriteString(w, NewUuid());
  w.Key("queue_depth");
  w.Int(1);
  w.Key("message");
  w.String(kQueuedMessage);
  w.EndObject();
  return BackendReply::Json(202, buffer.GetString());
}

}  // namespace taskbounds
