#include "mocks/platform/validation.h"

#include <utility>

#include "mocks/platform/json_util.h"

namespace taskbounds {
namespace {

// create's length/character rule (models/workspace.go): no newlines, none of {}[]|>*&!.
bool HasBannedChars(const std::string& s) {
  return s.find_first_of("\n\r{}[]|>*&!") != std::string::npos;
}

bool HasNewline(const std::string& s) { return s.find_first_of("\n\r") != std::string::npos; }

bool IsSystemPath(const std::string& dir) {
  static const char* const kSystem[] = {"/",     "/bin",  "/boot", "/dev", "/etc", "/lib", "/lib64",
                                        "/proc", "/root", "/sbin", "/sys", "/usr", "/var"};
  std::string trimmed = dir;
  while (trimmed.size() > 1 && trimmed.back() == '/') {
    trimmed.pop_back();
  }
  for (const char* sys : kSystem) {
    if (trimmed == sys) {
      return true;
    }
    if (std::string(sys) != "/" && trimmed.rfind(std::string(sys) + "/", 0) == 0) {
      return true;
    }
  }
  return false;
}

bool IsBadWorkspaceDir(const std::string& dir) {
  return !dir.empty() && (dir[0] != '/' || IsSystemPath(dir));
}

// Go's encoding/json: null decodes into any field (zero value); otherwise the JSON type
// must fit the Go type or binding fails.
enum class GoType { kString, kInt, kBool, kStringMap, kCanvas, kMemories };

// Every member of `v` is a string or null.
bool AllMembersStringOrNull(const rapidjson::Value& v) {
  for (const auto& m : v.GetObject()) {
    if (!m.value.IsString() && !m.value.IsNull()) {
      return false;
    }
  }
  return true;
}

bool FitsCanvas(const rapidjson::Value& v) {
  if (!v.IsObject()) {
    return false;
  }
  for (const auto& m : v.GetObject()) {
    const std::string key = m.name.GetString();
    if ((key == "x" || key == "y") && !m.value.IsNumber() && !m.value.IsNull()) {
      return false;
    }
  }
  return true;
}

bool FitsMemories(const rapidjson::Value& v) {
  if (!v.IsArray()) {
    return false;
  }
  for (const auto& item : v.GetArray()) {
    if (!item.IsNull() && !(item.IsObject() && AllMembersStringOrNull(item))) {
      return false;
    }
  }
  return true;
}

bool FitsGoType(const rapidjson::Value& v, GoType type) {
  if (v.IsNull()) {
    return true;
  }
  switch (type) {
    case GoType::kString:
      return v.IsString();
    case GoType::kInt:
      return v.IsInt64();
    case GoType::kBool:
      return v.IsBool();
    case GoType::kStringMap:
      return v.IsObject() && AllMembersStringOrNull(v);
    case GoType::kCanvas:
      return FitsCanvas(v);
    case GoType::kMemories:
      return FitsMemories(v);
  }
  return false;
}

template <std::size_t N>
bool AllFieldsFit(const rapidjson::Document& doc,
                  const std::pair<const char*, GoType> (&fields)[N]) {
  for (const auto& [key, type] : fields) {
    auto it = doc.FindMember(key);
    if (it != doc.MemberEnd() && !FitsGoType(it->value, type)) {
      return false;
    }
  }
  return true;
}

constexpr std::pair<const char*, GoType> kCreateFields[] = {
    {"name", GoType::kString},
    {"role", GoType::kString},
    {"tier", GoType::kInt},
    {"template", GoType::kString},
    {"runtime", GoType::kString},
    {"model", GoType::kString},
    {"parent_id", GoType::kString},
    {"secrets", GoType::kStringMap},
    {"external", GoType::kBool},
    {"url", GoType::kString},
    {"workspace_dir", GoType::kString},
    {"workspace_access", GoType::kString},
    {"budget_limit", GoType::kInt},
    {"max_concurrent_tasks", GoType::kInt},
    {"canvas", GoType::kCanvas},
    {"initial_memories", GoType::kMemories},
};

constexpr std::pair<const char*, GoType> kHeartbeatFields[] = {
    {"workspace_id", GoType::kString}, {"sample_error", GoType::kString},
    {"active_tasks", GoType::kInt},    {"current_task", GoType::kString},
    {"uptime_seconds", GoType::kInt},  {"runtime_state", GoType::kString},
    {"monthly_spend", GoType::kInt},
};

std::string StringOr(const rapidjson::Value& obj, const char* key) {
  return StringMember(obj, key).value_or("");
}

void ApplyCanvas(const rapidjson::Document& doc, Workspace* ws) {
  auto canvas_it = doc.FindMember("canvas");
  if (canvas_it == doc.MemberEnd() || !canvas_it->value.IsObject()) {
    return;
  }
  const auto& canvas = canvas_it->value;
  if (canvas.HasMember("x") && canvas["x"].IsNumber()) {
    ws->x = canvas["x"].GetDouble();
  }
  if (canvas.HasMember("y") && canvas["y"].IsNumber()) {
    ws->y = canvas["y"].GetDouble();
  }
}

void ApplyCreateSecrets(const rapidjson::Document& doc, Workspace* ws) {
  auto secrets_it = doc.FindMember("secrets");
  if (secrets_it == doc.MemberEnd() || !secrets_it->value.IsObject()) {
    return;
  }
  for (const auto& m : secrets_it->value.GetObject()) {
    ws->secrets[m.name.GetString()] =
        m.value.IsString() ? std::string(m.value.GetString(), m.value.GetStringLength()) : "";
  }
}

}  // namespace

std::optional<std::string> CreateBodyError(const std::string& body, rapidjson::Document* doc) {
  if (!ParseBodyObject(body, doc) || !AllFieldsFit(*doc, kCreateFields)) {
    return "invalid workspace payload";
  }
  const std::string name = StringOr(*doc, "name");
  if (name.empty()) {
    return "invalid workspace payload";  // required
  }
  const std::string role = StringOr(*doc, "role");
  const std::string runtime = StringOr(*doc, "runtime");
  const std::string model = StringOr(*doc, "model");
  const std::string template_name = StringOr(*doc, "template");
  const std::string access = StringOr(*doc, "workspace_access");
  if (name.size() > 255 || HasBannedChars(name) || role.size() > 1000 || HasBannedChars(role) ||
      runtime.size() > 100 || HasNewline(runtime) || model.size() > 100 || HasNewline(model)) {
    return "invalid workspace fields";  // generic on create
  }
  if (template_name.find("..") != std::string::npos ||
      (!template_name.empty() && (template_name[0] == '/' || template_name[0] == '\\'))) {
    return "invalid template";
  }
  if (IsBadWorkspaceDir(StringOr(*doc, "workspace_dir"))) {
    return "invalid workspace directory";
  }
  if (!access.empty() && access != "none" && access != "read_only" && access != "read_write") {
    return "invalid workspace access";
  }
  return std::nullopt;
}

Workspace WorkspaceFromCreateBody(
    const rapidjson::Document& doc,
    const std::function<std::string(const std::string&)>& runtime_for_template) {
  Workspace ws;
  ws.name = StringOr(doc, "name");
  if (const std::string role = StringOr(doc, "role"); !role.empty()) {
    ws.role = role;
  }
  auto tier_it = doc.FindMember("tier");
  ws.tier = tier_it != doc.MemberEnd() && tier_it->value.IsInt64() ? tier_it->value.GetInt64() : 0;
  if (ws.tier == 0) {
    ws.tier = 3;
  }
  const std::string runtime = StringOr(doc, "runtime");
  ws.runtime = !runtime.empty() ? runtime : runtime_for_template(StringOr(doc, "template"));
  const std::string access = StringOr(doc, "workspace_access");
  ws.workspace_access = access.empty() ? "none" : access;
  auto max_it = doc.FindMember("max_concurrent_tasks");
  if (max_it != doc.MemberEnd() && max_it->value.IsInt64() && max_it->value.GetInt64() > 0) {
    ws.max_concurrent_tasks = max_it->value.GetInt64();
  }
  ApplyCanvas(doc, &ws);
  ApplyCreateSecrets(doc, &ws);
  return ws;
}

CreateAsk CreateAskOf(const rapidjson::Document& doc) {
  CreateAsk ask;
  ask.template_name = StringOr(doc, "template");
  ask.runtime = StringOr(doc, "runtime");
  ask.model = StringOr(doc, "model");
  const auto external = doc.FindMember("external");
  ask.external =
      external != doc.MemberEnd() && external->value.IsBool() && external->value.GetBool();
  Workspace with_secrets;
  ApplyCreateSecrets(doc, &with_secrets);
  ask.secrets = std::move(with_secrets.secrets);
  return ask;
}

std::optional<std::string> PatchBodyError(const std::string& body, rapidjson::Document* doc) {
  if (!ParseBodyObject(body, doc)) {
    return "invalid request body";
  }
  struct Limit {
    const char* key;
    std::size_t max;
    bool ban_specials;
  };
  static const Limit kLimits[] = {
      {"name", 255, true}, {"role", 1000, true}, {"runtime", 100, false}};
  for (const Limit& limit : kLimits) {
    auto value = StringMember(*doc, limit.key);
    if (!value) {
      continue;
    }
    if (value->size() > limit.max) {
      return std::string(limit.key) + " must be at most " + std::to_string(limit.max) +
             " characters";
    }
    if (limit.ban_specials ? HasBannedChars(*value) : HasNewline(*value)) {
      return std::string(limit.key) + " contains invalid characters";
    }
  }
  auto dir_it = doc->FindMember("workspace_dir");
  if (dir_it != doc->MemberEnd() && dir_it->value.IsString() &&
      IsBadWorkspaceDir(dir_it->value.GetString())) {
    return "invalid workspace directory";
  }
  return std::nullopt;
}

bool PatchNeedsRestart(const rapidjson::Document& doc) { return doc.HasMember("workspace_dir"); }

void ApplyPatchBody(const rapidjson::Document& doc,
                    const std::function<bool(const std::string&)>& parent_exists, Workspace* ws) {
  if (auto name = StringMember(doc, "name")) {
    ws->name = *name;
  }
  auto role_it = doc.FindMember("role");
  if (role_it != doc.MemberEnd()) {
    if (role_it->value.IsString() && role_it->value.GetStringLength() > 0) {
      ws->role = role_it->value.GetString();
    } else if (role_it->value.IsNull() ||
               (role_it->value.IsString() && role_it->value.GetStringLength() == 0)) {
      ws->role.reset();
    }
  }
  auto tier_it = doc.FindMember("tier");
  if (tier_it != doc.MemberEnd() && tier_it->value.IsInt64()) {
    ws->tier = tier_it->value.GetInt64();
  }
  auto parent_it = doc.FindMember("parent_id");
  if (parent_it != doc.MemberEnd()) {
    if (parent_it->value.IsNull()) {
      ws->parent_id.reset();
    } else if (parent_it->value.IsString()) {
      const std::string parent = parent_it->value.GetString();
      if (IsUuid(parent) && parent_exists(parent)) {
        ws->parent_id = LowerId(parent);
      }
    }
  }
  auto collapsed_it = doc.FindMember("collapsed");
  if (collapsed_it != doc.MemberEnd() && collapsed_it->value.IsBool()) {
    ws->collapsed = collapsed_it->value.GetBool();
  }
  if (auto runtime = StringMember(doc, "runtime")) {
    ws->runtime = *runtime;
  }
  auto x_it = doc.FindMember("x");
  auto y_it = doc.FindMember("y");
  if (x_it != doc.MemberEnd() && y_it != doc.MemberEnd() && x_it->value.IsNumber() &&
      y_it->value.IsNumber()) {
    ws->x = x_it->value.GetDouble();
    ws->y = y_it->value.GetDouble();
  }
}

std::optional<SecretFields> ParseSecretBody(const std::string& body) {
  rapidjson::Document doc;
  if (!ParseBodyObject(body, &doc)) {
    return std::nullopt;
  }
  for (const char* key : {"key", "value"}) {
    auto it = doc.FindMember(key);
    if (it != doc.MemberEnd() && !it->value.IsString() && !it->value.IsNull()) {
      return std::nullopt;
    }
  }
  SecretFields secret{StringOr(doc, "key"), StringOr(doc, "value")};
  if (secret.key.empty() || secret.value.empty()) {
    return std::nullopt;
  }
  return secret;
}

std::optional<RegistrationFields> ParseRegistrationBody(const std::string& body) {
  rapidjson::Document doc;
  if (!ParseBodyObject(body, &doc)) {
    return std::nullopt;
  }
  auto url_it = doc.FindMember("url");
  if (url_it != doc.MemberEnd() && !url_it->value.IsString() && !url_it->value.IsNull()) {
    return std::nullopt;
  }
  RegistrationFields registration{StringOr(doc, "id"), StringOr(doc, "url"), std::nullopt};
  if (registration.id.empty()) {
    return std::nullopt;  // the agent always sends it
  }
  auto card_it = doc.FindMember("agent_card");
  if (card_it != doc.MemberEnd() && card_it->value.IsObject()) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    card_it->value.Accept(w);
    registration.agent_card = std::string(buffer.GetString(), buffer.GetSize());
  }
  return registration;
}

std::optional<HeartbeatFields> ParseHeartbeatBody(const std::string& body) {
  rapidjson::Document doc;
  if (!ParseBodyObject(body, &doc) || !AllFieldsFit(doc, kHeartbeatFields)) {
    return std::nullopt;
  }
  HeartbeatFields heartbeat;
  auto rate_it = doc.FindMember("error_rate");
  if (rate_it != doc.MemberEnd() && !rate_it->value.IsNull()) {
    if (!rate_it->value.IsNumber()) {
      return std::nullopt;
    }
    heartbeat.error_rate = rate_it->value.GetDouble();
  }
  heartbeat.workspace_id = StringOr(doc, "workspace_id");
  if (heartbeat.workspace_id.empty()) {
    return std::nullopt;  // binding:"required"
  }
  heartbeat.runtime_state = StringOr(doc, "runtime_state");
  return heartbeat;
}

}  // namespace taskbounds
