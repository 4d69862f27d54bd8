#include "mocks/routes.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

namespace taskbounds {
namespace {

struct RouteRow {
  const char* key;  // METHOD + " " + pattern: each key is written here and nowhere else
  Route route;
  const char* description;
};

// Order matters only for --help and registration; patterns never overlap.
constexpr RouteRow kRouteRows[] = {
    {"GET /health", Route::kHealth, "liveness; no auth, no tenancy (platform-api.md 1)"},
    {"POST /workspaces", Route::kCreateWorkspace, "create and provision a workspace (3.1)"},
    {"GET /workspaces/{id}", Route::kGetWorkspace, "read one workspace and its status (3.2)"},
    {"PATCH /workspaces/{id}", Route::kPatchWorkspace, "update validated string fields (3.3)"},
    {"DELETE /workspaces/{id}", Route::kDeleteWorkspace,
     "delete; ?confirm=true cascades to children (3.7)"},
    {"POST /workspaces/{id}/secrets", Route::kSetSecret, "store a secret, then restart (3.4)"},
    {"PUT /workspaces/{id}/secrets", Route::kSetSecret, "same as the POST (3.4)"},
    {"POST /workspaces/{id}/a2a", Route::kA2A,
     "A2A message/send to the agent; blocks while it works (5)"},
    {"GET /workspaces/{id}/heartbeat-history", Route::kHeartbeatHistory,
     "hypothetical: 404 but in scenario platform_ceiling (3.6)"},
    {"GET /workspaces/{id}/activity", Route::kActivity,
     "the workspace's activity rows, newest first (6.4)"},
    {"POST /registry/register", Route::kRegistryRegister,
     "agent side: register at startup, sets online (6.1)"},
    {"POST /registry/heartbeat", Route::kRegistryHeartbeat,
     "agent side: heartbeat; error_rate drives degraded (6.2)"},
    {"GET /workspaces/{id}/events/stream", Route::kEventStream,
     "2026-08: the workspace's server-sent events (2026-08 5)"},
    {"GET /workspaces/{id}/a2a/queue/{queue_id}", Route::kA2AQueueItem,
     "2026-08: one queued A2A item and its result (2026-08 4)"},
};

std::vector<RouteSpec> BuildRoutes() {
  std::vector<RouteSpec> routes;
  for (const RouteRow& row : kRouteRows) {
    const std::string key = row.key;
    const std::size_t space = key.find(' ');
    routes.push_back(
        {key, key.substr(0, space), key.substr(space + 1), row.route, row.description});
  }
  return routes;
}

bool IsPlaceholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// The next '/'-separated segment of `text` from `*pos`, advancing `*pos` past it.
std::string_view NextSegment(std::string_view text, std::size_t* pos) {
  const std::size_t end = std::min(text.find('/', *pos), text.size());
  const std::string_view segment = text.substr(*pos, end - *pos);
  *pos = end + 1;
  return segment;
}

// Matches `path` against a pattern such as "/workspaces/{id}/a2a/queue/{queue_id}", where
// each {name} is one non-empty path segment (what the httplib regex captures); `id`
// receives the first one. No std::regex here.
bool MatchPattern(std::string_view pattern, std::string_view path, std::string* id) {
  std::size_t p = 0;
  std::size_t q = 0;
  bool first = true;
  while (p <= pattern.size() && q <= path.size()) {
    const std::string_view want = NextSegment(pattern, &p);
    const std::string_view got = NextSegment(path, &q);
    if (IsPlaceholder(want)) {
      if (got.empty()) {
        return false;
      }
      if (first) {
        *id = std::string(got);
        first = false;
      }
    } else if (want != got) {
      return false;
    }
  }
  return p > pattern.size() && q > path.size();
}

}  // namespace

const std::vector<RouteSpec>& Routes() {
  static const std::vector<RouteSpec> kRoutes = BuildRoutes();
  return kRoutes;
}

const RouteSpec* FindRoute(std::string_view key) {
  for (const RouteSpec& spec : Routes()) {
    if (spec.key == key) {
      return &spec;
    }
  }
  return nullptr;
}

const RouteSpec* MatchRoute(std::string_view method, std::string_view path, std::string* id) {
  for (const RouteSpec& spec : Routes()) {
    std::string captured;
    if (spec.method == method && MatchPattern(spec.pattern, path, &captured)) {
      *id = std::move(captured);
      return &spec;
    }
  }
  return nullptr;
}

const std::string& RouteKey(Route route) {
  for (const RouteSpec& spec : Routes()) {
    if (spec.route == route) {
      return spec.key;
    }
  }
  static const std::string kNone;
  return kNone;
}

std::string RouteRegex(const RouteSpec& spec) {
  std::string regex;
  std::size_t pos = 0;
  while (pos <= spec.pattern.size()) {
    const std::string_view segment = NextSegment(spec.pattern, &pos);
    regex += IsPlaceholder(segment) ? std::string("([^/]+)") : std::string(segment);
    if (pos <= spec.pattern.size()) {
      regex += "/";
    }
  }
  return regex;
}

std::string RouteHelp(std::string_view indent) {
  std::size_t width = 0;
  for (const RouteSpec& spec : Routes()) {
    width = std::max(width, spec.key.size());
  }
  std::string help;
  for (const RouteSpec& spec : Routes()) {
    help.append(indent).append(spec.key).append(width + 2 - spec.key.size(), ' ');
    help.append(spec.description).append("\n");
  }
  return help;
}

// Declared in platform_backend.h: the routes' keys, a Route served on several methods
// joined as "POST|PUT /workspaces/{id}/secrets".
const char* RouteName(Route route) {
  static const auto kNames = [] {
    std::array<std::string, static_cast<std::size_t>(Route::kUnmatched) + 1> names;
    for (const RouteSpec& spec : Routes()) {
      std::string& name = names[static_cast<std::size_t>(spec.route)];
      if (name.empty()) {
        name = spec.key;
      } else {
        name.insert(name.find(' '), "|" + spec.method);
      }
    }
    names[static_cast<std::size_t>(Route::kUnmatched)] = "unmatched";
    return names;
  }();
  const auto index = static_cast<std::size_t>(route);
  return index < kNames.size() ? kNames[index].c_str() : "unknown";
}

}  // namespace taskbounds
