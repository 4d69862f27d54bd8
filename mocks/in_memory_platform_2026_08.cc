// InMemoryPlatform's 2026-08 rules that need the table (platform-api-2026-08.md sections 1
// and 2): parent defaulting and sibling names at create, workspace tokens, PATCH parent_id's
// validated move, and the secrets route's vendor-key guard and approval gate. Each is asked
// for only when the profile says the release has it.
#include <utility>

#include "mocks/in_memory_platform.h"
#include "mocks/platform/json_util.h"
#include "mocks/platform/platform_root.h"
#include "mocks/platform/template_catalog.h"
#include "mocks/platform/validation.h"

namespace taskbounds {
namespace {

constexpr char kReparentPrefix[] = "WORKSPACE_REPARENT_";

BackendReply ReparentError(int status, const std::string& error, const std::string& code) {
  return CodedError(status, error, kReparentPrefix + code);
}

// H/workspace_crud.go:546-597: a real move answers what moved and that a restart is due.
BackendReply ReparentedReply(const std::optional<std::string>& old_parent,
                             const std::string& new_parent, const std::string& org_root) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("status");
  w.String("updated");
  w.Key("reparented");
  w.StartObject();
  w.Key("old_parent_id");
  WriteOptionalString(w, old_parent);
  w.Key("new_parent_id");
  WriteString(w, new_parent);
  w.Key("org_root_id");
  WriteString(w, org_root);
  w.Key("adopted_into_org");
  w.Bool(!old_parent.has_value());
  w.Key("namespaces_lost");
  w.StartArray();
  w.EndArray();
  w.Key("namespaces_gained");
  w.StartArray();
  w.EndArray();
  w.Key("memories_migrated");
  w.Bool(false);
  w.EndObject();
  w.Key("needs_restart");
  w.Bool(true);
  w.EndObject();
  return BackendReply::Json(200, buffer.GetString());
}

}  // namespace

std::optional<BackendReply> InMemoryPlatform::ResolveParent(const rapidjson::Document& doc,
                                                            TimePoint now,
                                                            std::optional<std::string>* parent_id) {
  const std::optional<std::string> named = StringMember(doc, "parent_id");
  if (!profile_->ResolvesParentsAndNames()) {
    if (named) {
      // 2026-04: a foreign-key miss (or a non-UUID) fails the insert.
      if (!IsUuid(*named) || table_.Find(*named) == nullptr) {
        return BackendReply::Error(500, "failed to create workspace");
      }
      *parent_id = LowerId(*named);
    }
    return std::nullopt;
  }
  if (named) {
    if (!IsUuid(*named)) {
      return ReparentError(400, "parent_id must be a workspace UUID", "INVALID_PARENT_ID");
    }
    const Workspace* parent = table_.Find(*named);
    if (parent == nullptr || IsRemovedAt(*parent, now)) {
      return ReparentError(422, "parent workspace not found", "PARENT_NOT_FOUND");
    }
    *parent_id = parent->id;
    return std::nullopt;
  }
  // Omitted: the org's single platform root, else (no platform root at all) the sole root
  // workspace; none when either is ambiguous (H/workspace.go:739-750,
  // H/platform_agent.go:73-108). A removed root does not count.
  std::vector<std::string> platform_roots;
  std::vector<std::string> roots;
  for (const std::string& id : table_.LiveIdsAt(now)) {
    const Workspace* ws = table_.Find(id);
    if (IsPlatformRoot(*ws)) {
      platform_roots.push_back(id);
    }
    if (!ws->parent_id) {
      roots.push_back(id);
    }
  }
  if (platform_roots.size() == 1) {
    *parent_id = platform_roots.front();
  } else if (platform_roots.empty() && roots.size() == 1) {
    *parent_id = roots.front();
  }
  return std::nullopt;
}

std::string InMemoryPlatform::UniqueSiblingName(const std::string& name,
                                                const std::optional<std::string>& parent,
                                                TimePoint now) const {
  auto taken = [&](const std::string& candidate) {
    for (const std::string& id : table_.LiveIdsAt(now)) {
      const Workspace* other = table_.Find(id);
      if (other->parent_id == parent && other->name == candidate) {
        return true;
      }
    }
    return false;
  };
  std::string candidate = name;
  for (int n = 2; taken(candidate); ++n) {
    candidate = name + " (" + std::to_string(n) + ")";
  }
  return candidate;
}

bool InMemoryPlatform::IsWorkspaceToken(const std::string& token, TimePoint now) const {
  if (token.empty()) {
    return false;
  }
  for (const std::string& id : table_.LiveIdsAt(now)) {
    if (table_.Find(id)->auth_token == token) {
      return true;
    }
  }
  return false;
}

bool InMemoryPlatform::CallerIsAdmin(const BackendRequest& request) const {
  return !options_.admin_token.empty() &&
         request.Header("Authorization") == "Bearer " + options_.admin_token;
}

std::optional<BackendReply> InMemoryPlatform::CheckReparent(const rapidjson::Document& doc,
                                                            const Workspace& ws,
                                                            const BackendRequest& request,
                                                            TimePoint now) {
  if (!CallerIsAdmin(request)) {
    return BackendReply::Json(
        403, R"({"error":"changing infrastructure fields needs the admin token",)"
             R"("code":"WORKSPACE_INFRASTRUCTURE_AUTH_REQUIRED","fields":["parent_id"]})");
  }
  if (doc.HasMember("name")) {
    return ReparentError(400, "parent_id cannot change together with name",
                         "AMBIGUOUS_WITH_RENAME");
  }
  const rapidjson::Value& value = doc["parent_id"];
  if (value.IsNull()) {
    if (!ws.parent_id) {
      return std::nullopt;  // already a root: no-op
    }
    return ReparentError(422, "a child cannot be promoted to a root", "ROOT_PROMOTION_FORBIDDEN");
  }
  if (!value.IsString() || !IsUuid(value.GetString())) {
    return ReparentError(400, "parent_id must be a workspace UUID", "INVALID_PARENT_ID");
  }
  const std::string target = LowerId(value.GetString());
  if (target == ws.id) {
    return ReparentError(422, "a workspace cannot be its own parent", "SELF");
  }
  const Workspace* parent = table_.Find(target);
  if (parent == nullptr || IsRemovedAt(*parent, now)) {
    return ReparentError(422, "parent workspace not found", "PARENT_NOT_FOUND");
  }
  if (ws.parent_id == target) {
    return std::nullopt;  // same parent: no-op 200
  }
  for (const std::string& below : table_.LiveDescendantsAt(ws.id, now)) {
    if (below == target) {
      return ReparentError(422, "the move would make a cycle", "CYCLE");
    }
  }
  for (const Workspace* sibling : table_.LiveChildrenAt(target, now)) {
    if (sibling->name == ws.name) {
      return ReparentError(409, "a workspace with this name is already under the new parent",
                           "NAME_CONFLICT");
    }
  }
  std::string root = target;
  while (const Workspace* up = table_.Find(root)) {
    if (!up->parent_id) {
      break;
    }
    root = *up->parent_id;
  }
  const std::optional<std::string> old_parent = ws.parent_id;
  table_.Find(ws.id)->parent_id = target;
  return ReparentedReply(old_parent, target, root);
}

std::optional<BackendReply> InMemoryPlatform::GateSecretWrite(const Workspace& ws,
                                                              const std::string& key,
                                                              const BackendRequest& request) {
  if (auto blocked = profile_->SecretWriteGuard(ws, key)) {
    return blocked;
  }
  if (IsPlatformRoot(ws) && CallerIsAdmin(request)) {
    return ConciergeSelfWriteBlockedReply(ws, key);
  }
  if (!profile_->HasApprovalGate() || !options_.approval_gate || !CallerIsAdmin(request)) {
    return std::nullopt;
  }
  for (auto it = approvals_.begin(); it != approvals_.end(); ++it) {
    if (it->second.workspace_id == ws.id && it->second.key == key &&
        it->second.status == "approved") {
      approvals_.erase(it);  // one-shot: the identical write consumes the grant
      return std::nullopt;
    }
  }
  const std::string approval_id = NewUuid();
  approvals_[approval_id] = Approval{ws.id, key};
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("status");
  w.String("pending_approval");
  w.Key("approval_id");
  WriteString(w, approval_id);
  w.Key("action");
  w.String("secret_write");
  w.Key("reason");
  WriteString(w, "write secret " + key);
  w.EndObject();
  return BackendReply::Json(202, buffer.GetString());
}

}  // namespace taskbounds
