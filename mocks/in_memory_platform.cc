#include "mocks/in_memory_platform.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {
namespace {

using Clock = InMemoryPlatform::Clock;
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// The A2A proxy reads at most this much of a request body (a2a_proxy.go:73).
constexpr std::size_t kA2ABodyLimit = 1u << 20;
constexpr double kRateWindowSecs = 60;
constexpr int kActivityDefaultLimit = 100;
constexpr int kActivityMaxLimit = 500;
constexpr std::size_t kMaxActivityRows = 500;
constexpr std::size_t kMaxHeartbeatEntries = 1000;
constexpr char kQueuedMessage[] =
    "workspace agent busy \xE2\x80\x94 request queued, will dispatch when capacity available";
constexpr char kConfirmMessage[] =
    "This workspace has sub-workspaces. Delete with ?confirm=true to cascade delete.";

bool IsHex(char c, bool lower_only) {
  if (c >= '0' && c <= '9') {
    return true;
  }
  if (c >= 'a' && c <= 'f') {
    return true;
  }
  return !lower_only && c >= 'A' && c <= 'F';
}

// 8-4-4-4-12 hex. GET/PATCH/DELETE parse with uuid.Parse (any case); the secrets route
// checks a lower-case regex (secrets.go:16).
bool IsUuid(const std::string& s, bool lower_only = false) {
  if (s.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') {
        return false;
      }
    } else if (!IsHex(s[i], lower_only)) {
      return false;
    }
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

void WriteString(JsonWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void WriteOptionalString(JsonWriter& w, const std::optional<std::string>& s) {
  if (s) {
    WriteString(w, *s);
  } else {
    w.Null();
  }
}

std::string FormatIso(std::chrono::system_clock::time_point tp) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];  // sized for any int fields, so -Wformat-truncation has nothing to say
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

// Steady time points are what the simulation runs on; timestamps on the wire are UTC.
std::string IsoAt(Clock::time_point t) {
  const auto now_steady = Clock::now();
  const auto now_system = std::chrono::system_clock::now();
  return FormatIso(now_system +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(t - now_steady));
}

// "300" for whole numbers, "12.5" otherwise, as the platform's messages print seconds.
std::string FormatSecs(double secs) {
  char buf[32];
  if (std::floor(secs) == secs && std::fabs(secs) < 1e15) {
    std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(secs));
  } else {
    std::snprintf(buf, sizeof(buf), "%g", secs);
  }
  return buf;
}

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

// Go's encoding/json: null decodes into any field (zero value); otherwise the JSON type
// must fit the Go type or binding fails.
enum class GoType { kString, kInt, kBool, kStringMap, kCanvas, kMemories };

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
      if (!v.IsObject()) {
        return false;
      }
      for (const auto& m : v.GetObject()) {
        if (!m.value.IsString() && !m.value.IsNull()) {
          return false;
        }
      }
      return true;
    case GoType::kCanvas:
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
    case GoType::kMemories:
      if (!v.IsArray()) {
        return false;
      }
      for (const auto& item : v.GetArray()) {
        if (item.IsNull()) {
          continue;
        }
        if (!item.IsObject()) {
          return false;
        }
        for (const auto& m : item.GetObject()) {
          if (!m.value.IsString() && !m.value.IsNull()) {
            return false;
          }
        }
      }
      return true;
  }
  return false;
}

std::optional<std::string> StringMember(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) {
    return std::nullopt;
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string RuntimeFromTemplate(const std::string& template_name) {
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

}  // namespace

int ParseDelegationDepth(const std::string& task_text, int fallback) {
  static const std::string kPrefix = "Delegate ";
  static const std::string kSuffix = " separate sub-questions";
  std::size_t pos = 0;
  while ((pos = task_text.find(kPrefix, pos)) != std::string::npos) {
    std::size_t digits = pos + kPrefix.size();
    std::size_t end = digits;
    while (end < task_text.size() && end - digits < 5 &&
           std::isdigit(static_cast<unsigned char>(task_text[end]))) {
      ++end;
    }
    if (end > digits && task_text.compare(end, kSuffix.size(), kSuffix) == 0) {
      const int depth = std::stoi(task_text.substr(digits, end - digits));
      if (depth >= 1 && depth <= 1000) {
        return depth;
      }
    }
    pos = digits;
  }
  return fallback;
}

InMemoryPlatform::InMemoryPlatform(FakePlatformOptions options) : options_(std::move(options)) {}

InMemoryPlatform::~InMemoryPlatform() { Shutdown(); }

Clock::duration InMemoryPlatform::Wall(double platform_secs) const {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(platform_secs * options_.time_scale));
}

double InMemoryPlatform::PlatformSecs(Clock::duration wall) const {
  return std::chrono::duration<double>(wall).count() / options_.time_scale;
}

std::string InMemoryPlatform::NewUuid() {
  // One engine per thread: UUIDs need no lock (A2A replies are built outside mu_).
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   std::hash<std::thread::id>{}(std::this_thread::get_id()));
  std::uint64_t hi = rng();
  std::uint64_t lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof(buf), "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

std::string InMemoryPlatform::StatusAt(const Workspace& ws, Clock::time_point t) const {
  if (ws.removed_at && t >= *ws.removed_at) {
    return "removed";
  }
  for (const Window& w : ws.failed) {
    if (t >= w.from && t < w.to) {
      return "failed";
    }
  }
  for (const Window& w : ws.provisioning) {
    if (t >= w.from && t < w.to) {
      // The provision-timeout sweep marks a workspace stuck in provisioning as failed.
      return t - w.from >= Wall(options_.durations.provision_timeout_secs) ? "failed"
                                                                           : "provisioning";
    }
  }
  for (const Window& d : ws.degraded) {
    if (t < d.from || t >= d.to) {
      continue;
    }
    // A restart that finished since re-registered the agent, which sets it online.
    bool reregistered = false;
    for (const Window& w : ws.provisioning) {
      if (w.to > d.from && w.to <= t) {
        reregistered = true;
      }
    }
    if (!reregistered) {
      return "degraded";
    }
  }
  return "online";
}

void InMemoryPlatform::EndWindowsAt(std::vector<Window>& windows, Clock::time_point t) {
  for (Window& w : windows) {
    if (w.from <= t && t < w.to) {
      w.to = t;
    }
  }
}

std::optional<Clock::time_point> InMemoryPlatform::LastReadyAt(const Workspace& ws,
                                                               Clock::time_point t) const {
  std::optional<Clock::time_point> last;
  for (const Window& w : ws.provisioning) {
    if (w.to <= t && (!last || w.to > *last)) {
      last = w.to;
    }
  }
  return last;
}

bool InMemoryPlatform::HeartbeatsStarvedAt(const Workspace& ws, Clock::time_point t) const {
  for (const Task& task : ws.tasks) {
    if (t >= task.heartbeats_stop && t < task.answer_at) {
      return true;
    }
  }
  return false;
}

InMemoryPlatform::Workspace* InMemoryPlatform::Find(const std::string& id) {
  auto it = workspaces_.find(Lower(id));
  return it == workspaces_.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------------------------------
// Middleware

Admission InMemoryPlatform::Authorize(Route route, const BackendRequest& request) {
  Admission admission;
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);

  // 1. Rate limit: fixed window per client IP (router.go:48-57, ratelimit.go).
  if (options_.rate_limit_per_minute > 0) {
    RateWindow& window = rate_windows_[request.remote];
    const auto length = Wall(kRateWindowSecs);
    if (window.count == 0 || now - window.start >= length) {
      window.start = now;
      window.count = 0;
    }
    ++window.count;
    const double reset_secs = std::max(0.0, PlatformSecs(window.start + length - now));
    const std::string reset = std::to_string(static_cast<long long>(std::ceil(reset_secs)));
    const int limit = options_.rate_limit_per_minute;
    admission.headers.emplace_back("X-RateLimit-Limit", std::to_string(limit));
    admission.headers.emplace_back("X-RateLimit-Remaining",
                                   std::to_string(std::max(0, limit - window.count)));
    admission.headers.emplace_back("X-RateLimit-Reset", reset);
    if (window.count > limit) {
      rapidjson::StringBuffer buffer;
      JsonWriter w(buffer);
      w.StartObject();
      w.Key("error");
      w.String("rate limit exceeded");
      w.Key("retry_after");
      w.Int64(static_cast<std::int64_t>(std::ceil(reset_secs)));
      w.EndObject();
      admission.admitted = false;
      admission.rejection = BackendReply::Json(429, buffer.GetString());
      admission.rejection.headers.emplace_back("Retry-After", reset);
      return admission;
    }
  } else {
    // What the platform sends when its limiter is off (dev mode, ratelimit.go:67-71).
    admission.headers.emplace_back("X-RateLimit-Limit", "unlimited");
  }

  // 2. TenantGuard (tenant_guard.go): X-Molecule-Org-Id must match; X-Tenant-Id means
  // nothing. A miss is a 404 with an empty body, deliberately not 403.
  if (!options_.org_id.empty()) {
    const std::string& path = request.path;
    const bool exempt = path == "/health" || path == "/metrics" || path == "/registry/register" ||
                        path == "/registry/heartbeat" || path.rfind("/cp/", 0) == 0;
    bool tenant_ok = request.Header("X-Molecule-Org-Id") == options_.org_id;
    if (!tenant_ok) {
      // Fly.io replays carry the org in the state= segment of Fly-Replay-Src.
      const std::string replay = request.Header("Fly-Replay-Src");
      std::size_t pos = 0;
      while (!replay.empty() && pos <= replay.size()) {
        std::size_t end = replay.find(';', pos);
        if (end == std::string::npos) {
          end = replay.size();
        }
        std::string segment = replay.substr(pos, end - pos);
        segment.erase(0, segment.find_first_not_of(' '));
        if (segment == "state=" + options_.org_id) {
          tenant_ok = true;
        }
        pos = end + 1;
      }
    }
    if (!exempt && !tenant_ok) {
      admission.admitted = false;
      admission.rejection.status = 404;
      admission.rejection.content_type.clear();
      return admission;
    }
  }

  // 3. The route's auth layer. An empty admin token is dev mode: both layers let
  // everything through (devmode.go).
  enum class Layer { kNone, kAdmin, kWorkspace };
  Layer layer = Layer::kNone;
  switch (route) {
    case Route::kCreateWorkspace:
    case Route::kDeleteWorkspace:
      layer = Layer::kAdmin;
      break;
    case Route::kPatchWorkspace:
    case Route::kSetSecret:
    case Route::kActivity:
      layer = Layer::kWorkspace;
      break;
    case Route::kHeartbeatHistory:
      // Only a route that exists has middleware; otherwise it is Gin's plain 404.
      if (options_.scenario == Scenario::kPlatformCeiling) {
        layer = Layer::kWorkspace;
      }
      break;
    case Route::kRegistryRegister:
    case Route::kRegistryHeartbeat:
      // The platform asks for the workspace's own token once it has one (registry.go:
      // 657-681); the fake mints no workspace tokens, so none is ever asked for.
    case Route::kHealth:
    case Route::kGetWorkspace:
    case Route::kA2A:
    case Route::kUnmatched:
      break;
  }
  if (layer == Layer::kNone || options_.admin_token.empty()) {
    return admission;
  }

  // Only "Bearer <token>" counts (case-sensitive prefix, token trimmed, tokens.go:169-175).
  std::optional<std::string> bearer;
  const std::string authorization = request.Header("Authorization");
  if (authorization.rfind("Bearer ", 0) == 0) {
    std::string token = authorization.substr(7);
    token.erase(0, token.find_first_not_of(" \t"));
    token.erase(token.find_last_not_of(" \t") + 1);
    if (!token.empty()) {
      bearer = token;
    }
  }
  // Constant-time comparison, as the platform does for ADMIN_TOKEN.
  auto matches_admin = [this](const std::string& token) {
    const std::string& admin = options_.admin_token;
    unsigned diff = token.size() == admin.size() ? 0u : 1u;
    for (std::size_t i = 0; i < token.size(); ++i) {
      diff |= static_cast<unsigned char>(token[i]) ^
              static_cast<unsigned char>(admin[i % admin.size()]);
    }
    return diff == 0;
  };
  if (layer == Layer::kAdmin) {
    if (!bearer) {
      admission.admitted = false;
      admission.rejection = BackendReply::Error(401, "admin auth required");
    } else if (!matches_admin(*bearer)) {
      admission.admitted = false;
      admission.rejection = BackendReply::Error(401, "invalid admin auth token");
    }
  } else {
    if (!bearer) {
      admission.admitted = false;
      admission.rejection = BackendReply::Error(401, "missing workspace auth token");
    } else if (!matches_admin(*bearer)) {
      admission.admitted = false;
      admission.rejection = BackendReply::Error(401, "invalid workspace auth token");
    }
  }
  return admission;
}

BackendReply InMemoryPlatform::Health() { return BackendReply::Json(200, R"({"status":"ok"})"); }

// ---------------------------------------------------------------------------------------
// Workspaces

BackendReply InMemoryPlatform::CreateWorkspace(const BackendRequest& request) {
  const std::string& body = request.body;
  // ShouldBindJSON decodes the first JSON value and ignores what follows it.
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return BackendReply::Error(400, "invalid workspace payload");
  }
  static const std::pair<const char*, GoType> kFields[] = {
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
  for (const auto& [key, type] : kFields) {
    auto it = doc.FindMember(key);
    if (it != doc.MemberEnd() && !FitsGoType(it->value, type)) {
      return BackendReply::Error(400, "invalid workspace payload");
    }
  }
  const std::string name = StringMember(doc, "name").value_or("");
  if (name.empty()) {
    return BackendReply::Error(400, "invalid workspace payload");  // required
  }
  const std::string role = StringMember(doc, "role").value_or("");
  const std::string runtime = StringMember(doc, "runtime").value_or("");
  const std::string model = StringMember(doc, "model").value_or("");
  const std::string template_name = StringMember(doc, "template").value_or("");
  const std::string workspace_dir = StringMember(doc, "workspace_dir").value_or("");
  const std::string access = StringMember(doc, "workspace_access").value_or("");
  if (name.size() > 255 || HasBannedChars(name) || role.size() > 1000 || HasBannedChars(role) ||
      runtime.size() > 100 || HasNewline(runtime) || model.size() > 100 || HasNewline(model)) {
    return BackendReply::Error(400, "invalid workspace fields");  // generic on create
  }
  if (template_name.find("..") != std::string::npos ||
      (!template_name.empty() && (template_name[0] == '/' || template_name[0] == '\\'))) {
    return BackendReply::Error(400, "invalid template");
  }
  if (!workspace_dir.empty() && (workspace_dir[0] != '/' || IsSystemPath(workspace_dir))) {
    return BackendReply::Error(400, "invalid workspace directory");
  }
  if (!access.empty() && access != "none" && access != "read_only" && access != "read_write") {
    return BackendReply::Error(400, "invalid workspace access");
  }

  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<std::string> parent_id;
  if (auto parent = StringMember(doc, "parent_id")) {
    // A foreign-key miss (or a non-UUID) fails the insert.
    if (!IsUuid(*parent) || Find(*parent) == nullptr) {
      return BackendReply::Error(500, "failed to create workspace");
    }
    parent_id = Lower(*parent);
  }
  Workspace ws;
  ws.id = NewUuid();
  ws.name = name;
  if (!role.empty()) {
    ws.role = role;
  }
  auto tier_it = doc.FindMember("tier");
  ws.tier = tier_it != doc.MemberEnd() && tier_it->value.IsInt64() ? tier_it->value.GetInt64() : 0;
  if (ws.tier == 0) {
    ws.tier = 3;
  }
  ws.runtime = !runtime.empty() ? runtime : RuntimeFromTemplate(template_name);
  ws.workspace_access = access.empty() ? "none" : access;
  ws.parent_id = parent_id;
  auto max_it = doc.FindMember("max_concurrent_tasks");
  if (max_it != doc.MemberEnd() && max_it->value.IsInt64() && max_it->value.GetInt64() > 0) {
    ws.max_concurrent_tasks = max_it->value.GetInt64();
  }
  auto canvas_it = doc.FindMember("canvas");
  if (canvas_it != doc.MemberEnd() && canvas_it->value.IsObject()) {
    const auto& canvas = canvas_it->value;
    if (canvas.HasMember("x") && canvas["x"].IsNumber()) {
      ws.x = canvas["x"].GetDouble();
    }
    if (canvas.HasMember("y") && canvas["y"].IsNumber()) {
      ws.y = canvas["y"].GetDouble();
    }
  }
  auto secrets_it = doc.FindMember("secrets");
  if (secrets_it != doc.MemberEnd() && secrets_it->value.IsObject()) {
    for (const auto& m : secrets_it->value.GetObject()) {
      ws.secrets[m.name.GetString()] =
          m.value.IsString() ? std::string(m.value.GetString(), m.value.GetStringLength()) : "";
    }
  }
  ws.created = now;
  // Inserted as provisioning; online once the simulated agent registers.
  ws.provisioning.push_back({now, now + Wall(options_.durations.registration_secs)});

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

  creation_order_.push_back(ws.id);
  workspaces_.emplace(ws.id, std::move(ws));
  return BackendReply::Json(201, buffer.GetString());
}

std::string InMemoryPlatform::WorkspaceJson(const Workspace& ws, Clock::time_point now) const {
  const std::string status = StatusAt(ws, now);
  bool registered = false;  // the agent card arrives with the first registration
  if (!ws.provisioning.empty() && now >= ws.provisioning.front().to) {
    registered = true;
  }
  bool in_restart = false;  // a restart clears the URL until the agent re-registers
  for (std::size_t i = 1; i < ws.provisioning.size(); ++i) {
    if (now >= ws.provisioning[i].from && now < ws.provisioning[i].to) {
      in_restart = true;
    }
  }
  std::int64_t active = 0;
  for (const Task& task : ws.tasks) {
    if (!task.finished && now >= task.start && now < task.answer_at) {
      ++active;
    }
  }
  std::int64_t uptime = 0;
  if (status == "online" || status == "degraded") {
    if (auto ready = LastReadyAt(ws, now)) {
      uptime = static_cast<std::int64_t>(PlatformSecs(now - *ready));
    }
  }

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("id");
  WriteString(w, ws.id);
  w.Key("name");
  WriteString(w, ws.name);
  w.Key("role");
  WriteOptionalString(w, ws.role);
  w.Key("tier");
  w.Int64(ws.tier);
  w.Key("status");
  WriteString(w, status);
  w.Key("url");
  WriteString(w, in_restart
                     ? std::string()
                     : ws.registered_url.value_or("http://ws-" + ws.id.substr(0, 12) + ":8000"));
  w.Key("parent_id");
  WriteOptionalString(w, ws.parent_id);
  w.Key("agent_card");
  if (ws.agent_card_json) {
    w.RawValue(ws.agent_card_json->data(), ws.agent_card_json->size(), rapidjson::kObjectType);
  } else if (registered) {
    w.StartObject();
    w.Key("name");
    WriteString(w, ws.name);
    w.Key("skills");
    w.StartArray();
    w.EndArray();
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("active_tasks");
  w.Int64(active);
  w.Key("max_concurrent_tasks");
  w.Int64(ws.max_concurrent_tasks);
  w.Key("last_error_rate");
  if (ws.last_error_rate) {
    w.Double(*ws.last_error_rate);
  } else {
    w.Int(0);
  }
  w.Key("uptime_seconds");
  w.Int64(uptime);
  w.Key("runtime");
  WriteString(w, ws.runtime);
  w.Key("x");
  w.Double(ws.x);
  w.Key("y");
  w.Double(ws.y);
  w.Key("collapsed");
  w.Bool(ws.collapsed);
  w.Key("last_outbound_at");
  if (ws.last_outbound) {
    WriteString(w, IsoAt(*ws.last_outbound));
  } else {
    w.Null();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

BackendReply InMemoryPlatform::GetWorkspace(const std::string& id) {
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = Find(id);
  // Deleted rows are tombstones: still 200, status "removed" (workspace.go:573-586).
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  return BackendReply::Json(200, WorkspaceJson(*ws, now));
}

BackendReply InMemoryPlatform::PatchWorkspace(const std::string& id,
                                              const BackendRequest& request) {
  const std::string& body = request.body;
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return BackendReply::Error(400, "invalid request body");
  }
  // Unlike create, PATCH names the field and the rule (workspace_crud.go:530-564).
  struct Limit {
    const char* key;
    std::size_t max;
    bool ban_specials;
  };
  static const Limit kLimits[] = {
      {"name", 255, true}, {"role", 1000, true}, {"runtime", 100, false}};
  for (const Limit& limit : kLimits) {
    auto value = StringMember(doc, limit.key);
    if (!value) {
      continue;
    }
    if (value->size() > limit.max) {
      return BackendReply::Error(400, std::string(limit.key) + " must be at most " +
                                          std::to_string(limit.max) + " characters");
    }
    if (limit.ban_specials ? HasBannedChars(*value) : HasNewline(*value)) {
      return BackendReply::Error(400, std::string(limit.key) + " contains invalid characters");
    }
  }
  bool needs_restart = false;
  auto dir_it = doc.FindMember("workspace_dir");
  if (dir_it != doc.MemberEnd()) {
    if (dir_it->value.IsString()) {
      const std::string dir = dir_it->value.GetString();
      if (!dir.empty() && (dir[0] != '/' || IsSystemPath(dir))) {
        return BackendReply::Error(400, "invalid workspace directory");
      }
    }
    needs_restart = true;
  }

  std::lock_guard<std::mutex> lock(mu_);
  Workspace* ws = Find(id);
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  // Each present key is its own UPDATE; a value the database rejects (wrong type, a
  // parent that does not exist) is only logged, and the reply is still 200.
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
      if (IsUuid(parent) && Find(parent) != nullptr) {
        ws->parent_id = Lower(parent);
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
  return BackendReply::Json(200, needs_restart ? R"({"status":"updated","needs_restart":true})"
                                               : R"({"status":"updated"})");
}

BackendReply InMemoryPlatform::SetSecret(const std::string& id, const BackendRequest& request) {
  const std::string& body = request.body;
  if (!IsUuid(id, /*lower_only=*/true)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return BackendReply::Error(400, "invalid request body");
  }
  for (const char* key : {"key", "value"}) {
    auto it = doc.FindMember(key);
    if (it != doc.MemberEnd() && !it->value.IsString() && !it->value.IsNull()) {
      return BackendReply::Error(400, "invalid request body");
    }
  }
  const std::string key = StringMember(doc, "key").value_or("");
  const std::string value = StringMember(doc, "value").value_or("");
  if (key.empty() || value.empty()) {
    return BackendReply::Error(400, "invalid request body");
  }

  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  Workspace* ws = Find(id);
  if (ws == nullptr) {
    return BackendReply::Error(500, "failed to save secret");  // FK miss
  }
  ws->secrets[key] = value;
  // The asynchronous restart: provisioning (URL cleared) until the new container
  // registers. A no-op for removed workspaces (workspace_restart.go). A workspace still
  // provisioning gets restart_wait_if_provisioning_secs first, during which its first
  // container may register and show online.
  const std::string status = StatusAt(*ws, now);
  if (status != "removed") {
    const auto begins = status == "provisioning"
                            ? now + Wall(options_.durations.restart_wait_if_provisioning_secs)
                            : now;
    // The restart stops the old container: a registration it still had ahead never
    // happens; the new container's does.
    EndWindowsAt(ws->provisioning, begins);
    ws->provisioning.push_back({begins, begins + Wall(options_.durations.restart_secs)});
  }
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

BackendReply InMemoryPlatform::DeleteWorkspace(const std::string& id, bool confirm, bool purge) {
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  const std::string key = Lower(id);
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);

  auto live_children_of = [&](const std::string& parent) {
    std::vector<const Workspace*> children;
    for (const std::string& wid : creation_order_) {
      auto it = workspaces_.find(wid);
      if (it == workspaces_.end()) {
        continue;
      }
      const Workspace& ws = it->second;
      if (ws.parent_id == parent && ws.id != parent && StatusAt(ws, now) != "removed") {
        children.push_back(&ws);
      }
    }
    return children;
  };

  const auto direct = live_children_of(key);
  if (!direct.empty() && !confirm) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("status");
    w.String("confirmation_required");
    w.Key("message");
    w.String(kConfirmMessage);
    w.Key("children");
    w.StartArray();
    for (const Workspace* child : direct) {
      w.StartObject();
      w.Key("id");
      WriteString(w, child->id);
      w.Key("name");
      WriteString(w, child->name);
      w.EndObject();
    }
    w.EndArray();
    w.Key("children_count");
    w.Int64(static_cast<std::int64_t>(direct.size()));
    w.EndObject();
    return BackendReply::Json(409, buffer.GetString());
  }

  // Every live descendant goes with it. No existence check: an unknown or already removed
  // id is still a 200 with cascade_deleted 0.
  std::vector<std::string> descendants;
  std::set<std::string> seen = {key};
  std::vector<std::string> frontier = {key};
  while (!frontier.empty()) {
    const std::string parent = frontier.back();
    frontier.pop_back();
    for (const Workspace* child : live_children_of(parent)) {
      if (seen.insert(child->id).second) {
        descendants.push_back(child->id);
        frontier.push_back(child->id);
      }
    }
  }
  std::vector<std::string> doomed = descendants;
  doomed.push_back(key);
  for (const std::string& wid : doomed) {
    Workspace* ws = Find(wid);
    if (ws == nullptr) {
      continue;
    }
    if (!ws->removed_at) {
      ws->removed_at = now;
    }
    if (purge) {
      workspaces_.erase(wid);
      creation_order_.erase(std::remove(creation_order_.begin(), creation_order_.end(), wid),
                            creation_order_.end());
    }
  }
  const std::string status = purge ? "purged" : "removed";
  return BackendReply::Json(200, R"({"status":")" + status + R"(","cascade_deleted":)" +
                                     std::to_string(descendants.size()) + "}");
}

// ---------------------------------------------------------------------------------------
// The simulated coordinator and the A2A proxy

CoordinatorPlan InMemoryPlatform::PlanCoordinatorTask(int depth,
                                                      double heartbeat_phase_secs) const {
  const SimulatedDurations& d = options_.durations;
  CoordinatorPlan plan;
  plan.depth = depth;
  plan.delegation_secs = depth * d.delegation_round_secs;
  plan.synthesis_secs = depth * d.synthesis_secs_per_depth;
  plan.natural_secs = plan.delegation_secs + plan.synthesis_secs;
  plan.answer_after_secs = plan.natural_secs;
  switch (options_.scenario) {
    case Scenario::kUnbounded:
      break;
    case Scenario::kIdleTimeout: {
      // Synthesis starves the heartbeat loop; the proxy's idle timer runs from the last
      // heartbeat broadcast before synthesis began (or from the request itself).
      double last_beat = 0;
      if (d.heartbeat_interval_secs > 0) {
        const double since_beat =
            std::fmod(heartbeat_phase_secs + plan.delegation_secs, d.heartbeat_interval_secs);
        last_beat = std::max(0.0, plan.delegation_secs - since_beat);
      }
      const double fires_at = last_beat + d.idle_timeout_secs;
      if (fires_at < plan.natural_secs) {
        plan.bound = "idle_timeout";
        plan.answer_after_secs = fires_at;
      }
      break;
    }
    case Scenario::kAgentCeiling:
      if (plan.natural_secs > d.agent_task_ceiling_secs) {
        plan.bound = "agent_ceiling";
        plan.answer_after_secs = d.agent_task_ceiling_secs;
      }
      break;
    case Scenario::kPlatformCeiling:
      if (plan.natural_secs > d.platform_ceiling_secs) {
        plan.bound = "platform_ceiling";
        plan.answer_after_secs = d.platform_ceiling_secs;
      }
      break;
  }
  return plan;
}

std::string InMemoryPlatform::A2AActivityRow(
    const std::string& workspace_id, const std::string& caller, const std::string& method,
    const rapidjson::Value& envelope, const BackendReply& reply, const std::string& error_detail,
    Clock::time_point started, Clock::time_point answered) const {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("id");
  WriteString(w, NewUuid());
  w.Key("workspace_id");
  WriteString(w, workspace_id);
  w.Key("activity_type");
  w.String("a2a_receive");
  w.Key("source_id");  // the calling workspace; null for a user/canvas call
  if (caller.empty()) {
    w.Null();
  } else {
    WriteString(w, caller);
  }
  w.Key("target_id");
  WriteString(w, workspace_id);
  w.Key("method");
  WriteString(w, method);
  w.Key("summary");
  WriteString(w, (method.empty() ? std::string("a2a") : method) + " -> HTTP " +
                     std::to_string(reply.status));
  w.Key("request_body");
  envelope.Accept(w);
  w.Key("response_body");
  if (!reply.body.empty() && reply.body.front() == '{') {
    // Every reply here was built with RapidJSON: copy it verbatim, no re-parse.
    w.RawValue(reply.body.data(), reply.body.size(), rapidjson::kObjectType);
  } else {
    w.Null();
  }
  w.Key("tool_trace");
  w.Null();
  w.Key("duration_ms");  // platform milliseconds, like every simulated duration
  w.Int64(static_cast<std::int64_t>(PlatformSecs(answered - started) * 1000));
  w.Key("status");
  w.String(error_detail.empty() ? "ok" : "error");
  w.Key("error_detail");
  if (error_detail.empty()) {
    w.Null();
  } else {
    WriteString(w, error_detail);
  }
  w.Key("created_at");
  WriteString(w, IsoAt(answered));
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

BackendReply InMemoryPlatform::SendA2A(const std::string& id, const BackendRequest& request) {
  const auto started = Clock::now();
  // The proxy reads at most 1 MiB; a longer body is cut, which usually breaks the JSON.
  const std::size_t length = std::min(request.body.size(), kA2ABodyLimit);
  rapidjson::Document payload;
  payload.Parse(request.body.data(), length);
  if (payload.HasParseError() || !payload.IsObject()) {
    return BackendReply::Error(400, "invalid JSON");
  }
  if (!IsUuid(id)) {
    return BackendReply::Error(500, "lookup failed");  // the DB rejects it
  }

  // Normalise: rewrap a bare {method, params} into a JSON-RPC envelope with a fresh id,
  // and give the message an id if it has none (a2a_proxy.go:447-488).
  rapidjson::Document envelope;
  auto& alloc = envelope.GetAllocator();
  if (payload.HasMember("jsonrpc")) {
    envelope.CopyFrom(payload, alloc);
  } else {
    envelope.SetObject();
    envelope.AddMember("jsonrpc", "2.0", alloc);
    rapidjson::Value fresh_id;
    fresh_id.SetString(NewUuid(), alloc);
    envelope.AddMember("id", fresh_id, alloc);
    rapidjson::Value method_value, params;
    if (payload.HasMember("method")) {
      method_value.CopyFrom(payload["method"], alloc);
    }
    if (payload.HasMember("params")) {
      params.CopyFrom(payload["params"], alloc);
    }
    envelope.AddMember("method", method_value, alloc);
    envelope.AddMember("params", params, alloc);
  }
  const rapidjson::Value* message = nullptr;
  if (envelope.HasMember("params") && envelope["params"].IsObject() &&
      envelope["params"].HasMember("message") && envelope["params"]["message"].IsObject()) {
    rapidjson::Value& msg = envelope["params"]["message"];
    if (!msg.HasMember("messageId")) {
      rapidjson::Value message_id;
      message_id.SetString(NewUuid(), alloc);
      msg.AddMember("messageId", message_id, alloc);
    }
    message = &msg;
  }
  rapidjson::Value rpc_id;
  if (envelope.HasMember("id")) {
    rpc_id.CopyFrom(envelope["id"], alloc);
  }
  const std::string method = envelope.HasMember("method") && envelope["method"].IsString()
                                 ? envelope["method"].GetString()
                                 : "";
  std::string task_text;
  if (message != nullptr && message->HasMember("parts") && (*message)["parts"].IsArray()) {
    for (const auto& part : (*message)["parts"].GetArray()) {
      if (part.IsObject() && part.HasMember("text") && part["text"].IsString()) {
        task_text = part["text"].GetString();
        break;
      }
    }
  }
  const std::string caller = request.Header("X-Workspace-ID");

  // Reply and activity row are built outside the lock: 64 calls finishing at the same
  // instant would otherwise queue behind each other's JSON work.
  auto agent_reply = [](std::string body) {
    BackendReply reply = BackendReply::Json(200, std::move(body));
    reply.content_type = "application/json";  // the proxy's c.Data for agent bodies
    return reply;
  };
  auto rpc_error = [&](int code, const char* text) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("jsonrpc");
    w.String("2.0");
    w.Key("id");
    rpc_id.Accept(w);
    w.Key("error");
    w.StartObject();
    w.Key("code");
    w.Int(code);
    w.Key("message");
    w.String(text);
    w.EndObject();
    w.EndObject();
    return agent_reply(buffer.GetString());
  };
  auto log_and_return = [&](const std::string& ws_id, BackendReply reply,
                            const std::string& error_detail, Clock::time_point answered) {
    const std::string row =
        A2AActivityRow(ws_id, caller, method, envelope, reply, error_detail, started, answered);
    std::lock_guard<std::mutex> lock(mu_);
    if (Workspace* ws = Find(ws_id)) {
      LogActivity(*ws, row, "a2a_receive");
    }
    return reply;
  };

  std::string ws_id;
  std::optional<BackendReply> early;
  std::string early_detail;
  CoordinatorPlan plan;
  Clock::time_point answer_at;
  std::size_t task_index = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Workspace* ws = Find(id);
    if (ws == nullptr) {
      return BackendReply::Error(404, "workspace not found");
    }
    ws_id = ws->id;
    // The proxy only needs a URL: a restart clears it, provisioning pre-stores it (but
    // nothing listens yet), removal and failure leave none usable.
    const std::string status = StatusAt(*ws, started);
    if (status != "online" && status != "degraded") {
      bool in_restart = false;
      for (std::size_t i = 1; i < ws->provisioning.size(); ++i) {
        if (started >= ws->provisioning[i].from && started < ws->provisioning[i].to) {
          in_restart = true;
        }
      }
      if (status == "provisioning" && !in_restart) {
        early = BackendReply::Error(502, "failed to reach workspace agent");
        early_detail = "failed to reach workspace agent";
      } else {
        rapidjson::StringBuffer buffer;
        JsonWriter w(buffer);
        w.StartObject();
        w.Key("error");
        w.String("workspace has no URL");
        w.Key("status");
        WriteString(w, status);
        w.EndObject();
        early = BackendReply::Json(503, buffer.GetString());
        early_detail = "workspace has no URL";
      }
    } else if (method != "message/send") {
      // The agent SDK answers protocol errors in-band with its usual 200.
      early = rpc_error(-32601, "Method not found");
    } else if (message == nullptr) {
      early = rpc_error(-32602, "Invalid params");
    } else {
      // Decide how the task ends before it starts: the status function, the heartbeat
      // history and the reply all follow from this plan.
      if (options_.fixed_a2a_latency_ms >= 0) {
        answer_at =
            started + std::chrono::duration_cast<Clock::duration>(
                          std::chrono::duration<double, std::milli>(options_.fixed_a2a_latency_ms));
      } else {
        double phase = 0;
        if (auto ready = LastReadyAt(*ws, started);
            ready && options_.durations.heartbeat_interval_secs > 0) {
          phase =
              std::fmod(PlatformSecs(started - *ready), options_.durations.heartbeat_interval_secs);
        }
        plan = PlanCoordinatorTask(ParseDelegationDepth(task_text), phase);
        answer_at = started + Wall(plan.answer_after_secs);
      }
      Task task;
      task.start = started;
      task.answer_at = answer_at;
      task.heartbeats_stop = plan.bound == "idle_timeout" ? started + Wall(plan.delegation_secs)
                                                          : Clock::time_point::max();
      if (plan.bound == "platform_ceiling") {
        task.terminated_at = answer_at;
        ws->failed.push_back(
            {answer_at, answer_at + Wall(options_.durations.terminated_status_secs)});
      }
      ws->tasks.push_back(task);
      task_index = ws->tasks.size() - 1;
    }
  }
  if (early) {
    return log_and_return(ws_id, *early, early_detail, started);
  }

  bool interrupted = false;
  {
    std::unique_lock<std::mutex> wait_lock(wait_mu_);
    interrupted = shutdown_cv_.wait_until(wait_lock, answer_at, [this] { return shutdown_; });
  }
  const auto answered = Clock::now();
  interrupted = interrupted && answered < answer_at;

  BackendReply reply;
  std::string detail;
  if (interrupted) {
    reply = BackendReply::Error(503, "fake platform shutting down");
    detail = "fake platform shutting down";
  } else if (plan.bound == "idle_timeout") {
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
    reply = BackendReply::Json(202, buffer.GetString());
    detail = "idle timeout: request queued";
  } else if (plan.bound == "platform_ceiling") {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("error");
    WriteString(w, "task terminated: exceeded MAX_TASK_EXECUTION_SECS (" +
                       FormatSecs(options_.durations.platform_ceiling_secs) + "s)");
    w.Key("terminated");
    w.Bool(true);
    w.EndObject();
    reply = BackendReply::Json(503, buffer.GetString());
    detail = "task terminated";
  } else {
    std::string text;
    if (plan.bound == "agent_ceiling") {
      // The agent's own ceiling surfaces in-band (a2a_executor.py:483-497).
      text = "Agent error: task exceeded max_task_duration_seconds (" +
             FormatSecs(options_.durations.agent_task_ceiling_secs) + "s)";
    } else if (options_.fixed_a2a_latency_ms >= 0) {
      text = "Simulated reply after a fixed " + FormatSecs(options_.fixed_a2a_latency_ms) + " ms.";
    } else {
      text = "Synthesis report: " + std::to_string(plan.depth) +
             " sub-questions delegated to the Researcher and answered, then synthesised over " +
             FormatSecs(plan.synthesis_secs) + " s (simulated by the fake platform).";
    }
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("jsonrpc");
    w.String("2.0");
    w.Key("id");
    rpc_id.Accept(w);
    w.Key("result");
    w.StartObject();
    w.Key("kind");
    w.String("message");
    w.Key("messageId");
    WriteString(w, NewUuid());
    w.Key("role");
    w.String("agent");
    w.Key("parts");
    w.StartArray();
    w.StartObject();
    w.Key("kind");
    w.String("text");
    w.Key("text");
    WriteString(w, text);
    w.EndObject();
    w.EndArray();
    w.EndObject();
    w.EndObject();
    reply = agent_reply(buffer.GetString());
  }

  {
    std::lock_guard<std::mutex> lock(mu_);
    Workspace* ws = Find(ws_id);
    if (ws == nullptr) {  // purged while the call ran
      return BackendReply::Error(503, "workspace agent unreachable");
    }
    Task& ran = ws->tasks[task_index];
    ran.finished = true;
    if (interrupted) {
      // Shutdown() cut the task short: nothing after this moment happened.
      ran.answer_at = answered;
      if (ran.terminated_at && *ran.terminated_at > answered) {
        ran.terminated_at.reset();
        ws->failed.erase(std::remove_if(ws->failed.begin(), ws->failed.end(),
                                        [&](const Window& w) { return w.from == answer_at; }),
                         ws->failed.end());
      }
    }
  }
  return log_and_return(ws_id, reply, detail, answered);
}

void InMemoryPlatform::LogActivity(Workspace& ws, const std::string& row_json,
                                   const std::string& type) {
  ws.activity.push_back({row_json, type});
  if (ws.activity.size() > kMaxActivityRows) {
    ws.activity.erase(ws.activity.begin());
  }
}

BackendReply InMemoryPlatform::HeartbeatHistory(const std::string& id,
                                                const BackendRequest& request) {
  // The real platform has no such route; only the hypothetical ceiling scenario adds it.
  if (options_.scenario != Scenario::kPlatformCeiling) {
    return BackendReply::RouteNotFound();
  }
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  double since_secs = 600;
  if (auto since = request.Query("since_secs")) {
    char* end = nullptr;
    const double parsed = std::strtod(since->c_str(), &end);
    if (end != since->c_str() && *end == '\0' && parsed > 0) {
      since_secs = parsed;
    }
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = Find(id);
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  const auto window_start = now - std::min(Wall(since_secs), now - ws->created);

  struct Entry {
    Clock::time_point at;
    const char* status;
    const char* event;
  };
  std::vector<Entry> entries;
  // The agent heartbeats every interval from each registration (the end of each
  // provisioning window) while its workspace is online.
  const auto interval = Wall(options_.durations.heartbeat_interval_secs);
  if (interval > Clock::duration::zero()) {
    std::set<Clock::time_point::rep> seen;
    for (const Window& w : ws->provisioning) {
      if (w.to > now) {
        continue;
      }
      // This agent process lives until the next restart begins.
      auto series_end = now;
      for (const Window& later : ws->provisioning) {
        if (later.from >= w.to && later.from < series_end) {
          series_end = later.from;
        }
      }
      auto first = w.to + interval;
      if (first < window_start) {
        const auto skip = (window_start - first) / interval;
        first += skip * interval;
      }
      for (auto t = first; t <= series_end; t += interval) {
        if (t < window_start || HeartbeatsStarvedAt(*ws, t)) {
          continue;
        }
        // A degraded agent still heartbeats (that is how it reports its errors).
        const std::string status = StatusAt(*ws, t);
        if (status != "online" && status != "degraded") {
          continue;
        }
        if (seen.insert(t.time_since_epoch().count()).second) {
          entries.push_back({t, status == "online" ? "online" : "degraded", "heartbeat"});
        }
      }
    }
  }
  for (const Task& task : ws->tasks) {
    if (task.terminated_at && *task.terminated_at <= now && *task.terminated_at >= window_start) {
      entries.push_back({*task.terminated_at, "failed", "terminated"});
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.at < b.at; });
  if (entries.size() > kMaxHeartbeatEntries) {
    entries.erase(entries.begin(), entries.end() - kMaxHeartbeatEntries);
  }

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("workspace_id");
  WriteString(w, ws->id);
  w.Key("entries");
  w.StartArray();
  for (const Entry& e : entries) {
    w.StartObject();
    w.Key("ts");
    WriteString(w, IsoAt(e.at));
    w.Key("status");
    w.String(e.status);
    w.Key("event");
    w.String(e.event);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return BackendReply::Json(200, buffer.GetString());
}

BackendReply InMemoryPlatform::Activity(const std::string& id, const BackendRequest& request) {
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  int limit = kActivityDefaultLimit;
  if (auto text = request.Query("limit")) {
    char* end = nullptr;
    const long parsed = std::strtol(text->c_str(), &end, 10);
    if (end != text->c_str() && *end == '\0' && parsed > 0) {
      limit = static_cast<int>(std::min<long>(parsed, kActivityMaxLimit));
    }
  }
  const std::string type = request.Query("type").value_or("");
  std::lock_guard<std::mutex> lock(mu_);
  std::string body = "[";
  if (const Workspace* ws = Find(id)) {
    int written = 0;
    for (auto it = ws->activity.rbegin(); it != ws->activity.rend() && written < limit; ++it) {
      if (!type.empty() && it->activity_type != type) {
        continue;
      }
      if (written++ > 0) {
        body += ",";
      }
      body += it->json;
    }
  }
  body += "]";
  return BackendReply::Json(200, body);
}

// ---------------------------------------------------------------------------------------
// The agent-side registry routes (platform-api.md 4, 6.1, 6.2). No auth here: the platform
// checks a workspace token only once the workspace has one, and the fake mints none.

BackendReply InMemoryPlatform::RegistryRegister(const BackendRequest& request) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(request.body.data(), request.body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return BackendReply::Error(400, "invalid request body");
  }
  auto url_it = doc.FindMember("url");
  if (url_it != doc.MemberEnd() && !url_it->value.IsString() && !url_it->value.IsNull()) {
    return BackendReply::Error(400, "invalid request body");
  }
  const std::string id = StringMember(doc, "id").value_or("");
  if (id.empty()) {
    return BackendReply::Error(400, "invalid request body");  // the agent always sends it
  }
  const std::string url = StringMember(doc, "url").value_or("");
  std::optional<std::string> card;
  auto card_it = doc.FindMember("agent_card");
  if (card_it != doc.MemberEnd() && card_it->value.IsObject()) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    card_it->value.Accept(w);
    card = std::string(buffer.GetString(), buffer.GetSize());
  }

  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  Workspace* ws = Find(id);
  // The platform's upsert would insert a row for an unknown id; the fake does not invent
  // workspaces (they would escape leak accounting) and says so instead.
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  // Any non-removed workspace goes online with its URL, reviving failed and offline ones
  // (registry.go:264-285); a removed one stays removed.
  if (StatusAt(*ws, now) != "removed") {
    EndWindowsAt(ws->provisioning, now);
    EndWindowsAt(ws->failed, now);
    EndWindowsAt(ws->degraded, now);
    if (!url.empty()) {
      ws->registered_url = url;
    }
    if (card) {
      ws->agent_card_json = std::move(card);
    }
  }
  // platform-api.md gives no reply shape beyond the auth_token a first registration
  // carries, and the fake mints no tokens: a small acknowledgement of its own choosing.
  return BackendReply::Json(200, R"({"status":"registered"})");
}

BackendReply InMemoryPlatform::RegistryHeartbeat(const BackendRequest& request) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(request.body.data(), request.body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return BackendReply::Error(400, "invalid request body");
  }
  // Go's binding: each field must fit its type (null is the zero value).
  static const std::pair<const char*, GoType> kFields[] = {
      {"workspace_id", GoType::kString}, {"sample_error", GoType::kString},
      {"active_tasks", GoType::kInt},    {"current_task", GoType::kString},
      {"uptime_seconds", GoType::kInt},  {"runtime_state", GoType::kString},
      {"monthly_spend", GoType::kInt},
  };
  for (const auto& [key, type] : kFields) {
    auto it = doc.FindMember(key);
    if (it != doc.MemberEnd() && !FitsGoType(it->value, type)) {
      return BackendReply::Error(400, "invalid request body");
    }
  }
  double error_rate = 0;
  auto rate_it = doc.FindMember("error_rate");
  if (rate_it != doc.MemberEnd() && !rate_it->value.IsNull()) {
    if (!rate_it->value.IsNumber()) {
      return BackendReply::Error(400, "invalid request body");
    }
    error_rate = rate_it->value.GetDouble();
  }
  const std::string id = StringMember(doc, "workspace_id").value_or("");
  if (id.empty()) {
    return BackendReply::Error(400, "invalid request body");  // binding:"required"
  }
  const std::string runtime_state = StringMember(doc, "runtime_state").value_or("");
  auto ok = [] { return BackendReply::Json(200, R"({"status":"ok"})"); };

  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  Workspace* ws = Find(id);
  // An unknown id updates no row and a removed one is skipped; both still answer ok.
  if (ws == nullptr) {
    return ok();
  }
  const std::string status = StatusAt(*ws, now);
  if (status == "removed") {
    return ok();
  }
  ws->last_error_rate = error_rate;
  // One transition per heartbeat, chosen by the status before it (registry.go:510-585).
  // The fake never reaches "offline" (no liveness TTL), so offline -> online has no case.
  if (status == "provisioning") {
    EndWindowsAt(ws->provisioning, now);  // the first heartbeat marks it online
  } else if (status == "online" && (error_rate >= 0.5 || runtime_state == "wedged")) {
    ws->degraded.push_back({now, Clock::time_point::max()});
  } else if (status == "degraded" && error_rate < 0.1 && runtime_state.empty()) {
    EndWindowsAt(ws->degraded, now);
  }
  return ok();
}

std::vector<std::string> InMemoryPlatform::LiveWorkspaceIds() {
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> ids;
  for (const std::string& id : creation_order_) {
    const Workspace& ws = workspaces_.at(id);
    if (!ws.removed_at || *ws.removed_at > now) {
      ids.push_back(id);
    }
  }
  return ids;
}

void InMemoryPlatform::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(wait_mu_);
    shutdown_ = true;
  }
  shutdown_cv_.notify_all();
}

std::optional<std::string> InMemoryPlatform::StatusOf(const std::string& id) {
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = Find(id);
  if (ws == nullptr) {
    return std::nullopt;
  }
  return StatusAt(*ws, now);
}

std::optional<std::string> InMemoryPlatform::SecretOf(const std::string& id,
                                                      const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = Find(id);
  if (ws == nullptr) {
    return std::nullopt;
  }
  auto it = ws->secrets.find(key);
  if (it == ws->secrets.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace taskbounds
