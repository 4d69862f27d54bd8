// InMemoryPlatform's admin list and the routes 2026-08 added (platform-api-2026-08.md
// sections 2 and 8): the approval gate's decide step, the model routes and /buildinfo.
// Kept apart from in_memory_platform.cc so the routes of each release stay easy to find.
#include <utility>

#include "mocks/in_memory_platform.h"
#include "mocks/platform/json_util.h"
#include "mocks/platform/template_catalog.h"
#include "mocks/platform/validation.h"

namespace taskbounds {
namespace {

BackendReply StatusWith(int status, const char* key, const std::string& value,
                        const std::string& status_text) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("status");
  WriteString(w, status_text);
  w.Key(key);
  WriteString(w, value);
  w.EndObject();
  return BackendReply::Json(status, buffer.GetString());
}

}  // namespace

BackendReply InMemoryPlatform::ListWorkspaces(const BackendRequest& /*request*/) {
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  std::string body = "[";
  for (const std::string& id : table_.LiveIdsAt(now)) {
    if (body.size() > 1) {
      body += ",";
    }
    body += lifecycle_.WorkspaceJson(*table_.Find(id), now, profile_->ReportsLiveness());
  }
  body += "]";
  return BackendReply::Json(200, std::move(body));
}

// H/approvals.go:177-236: {"decision":"approved"|"denied","decided_by":...}.
BackendReply InMemoryPlatform::DecideApproval(const std::string& id, const std::string& approval_id,
                                              const BackendRequest& request) {
  if (!profile_->HasApprovalGate()) {
    return BackendReply::RouteNotFound();
  }
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  rapidjson::Document doc;
  const std::string decision =
      ParseBodyObject(request.body, &doc) ? StringMember(doc, "decision").value_or("") : "";
  if (decision != "approved" && decision != "denied") {
    return BackendReply::Error(400, "decision must be 'approved' or 'denied'");
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = approvals_.find(approval_id);
  if (it == approvals_.end() || it->second.workspace_id != LowerId(id)) {
    return BackendReply::Error(404, "approval not found");
  }
  if (it->second.status != "pending") {
    return BackendReply::Error(409, "approval already decided");
  }
  it->second.status = decision;
  return StatusWith(200, "approval_id", approval_id, decision);
}

// H/secrets.go:916-990: stores the MODEL secret and always restarts.
BackendReply InMemoryPlatform::SetModel(const std::string& id, const BackendRequest& request) {
  if (!profile_->Serves(Route::kSetModel)) {
    return BackendReply::RouteNotFound();
  }
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  rapidjson::Document doc;
  if (!ParseBodyObject(request.body, &doc) ||
      (doc.HasMember("model") && !doc["model"].IsString() && !doc["model"].IsNull())) {
    return BackendReply::Error(400, "invalid request body");
  }
  const std::string model = StringMember(doc, "model").value_or("");
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  Workspace* ws = table_.Find(id);
  if (ws == nullptr || IsRemovedAt(*ws, now)) {
    return BackendReply::Error(404, "workspace not found");
  }
  if (!model.empty()) {
    if (auto unregistered = UnregisteredModelReply(ws->runtime, model)) {
      return *unregistered;
    }
  }
  if (model.empty()) {
    ws->secrets.erase("MODEL");
  } else {
    ws->secrets["MODEL"] = model;
  }
  lifecycle_.RestartForSecret(ws, now);
  if (model.empty()) {
    return BackendReply::Json(200, R"({"status":"cleared"})");
  }
  return StatusWith(200, "model", model, "saved");
}

BackendReply InMemoryPlatform::GetModel(const std::string& id) {
  if (!profile_->Serves(Route::kGetModel)) {
    return BackendReply::RouteNotFound();
  }
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = table_.Find(id);
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  auto model = ws->secrets.find("MODEL");
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("model");
  WriteString(w, model != ws->secrets.end() ? model->second : "");
  w.Key("source");
  w.String(model != ws->secrets.end() ? "workspace_secrets" : "unresolved");
  w.EndObject();
  return BackendReply::Json(200, buffer.GetString());
}

BackendReply InMemoryPlatform::BuildInfo() {
  const std::optional<std::string> sha = profile_->BuildGitSha();
  if (!sha) {
    return BackendReply::RouteNotFound();
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("git_sha");
  WriteString(w, *sha);
  w.EndObject();
  return BackendReply::Json(200, buffer.GetString());
}

}  // namespace taskbounds
