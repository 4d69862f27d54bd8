// The platform's route table (platform-api.md sections 3-6): the one list from which the
// fake server registers its handlers, `fake_platform --help` lists its routes, the request
// log names requests and the fault syntax ("ROUTE:SPEC...") recognises a route.
#ifndef MOCKS_ROUTES_H_
#define MOCKS_ROUTES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mocks/platform_backend.h"

namespace taskbounds {

struct RouteSpec {
  std::string key;          // the request log's route key: METHOD + " " + pattern
  std::string method;       // "GET", "POST", ...
  std::string pattern;      // "/workspaces/{id}": each {name} is one non-empty path segment
  Route route;              // what the backend is asked to do
  std::string description;  // one line, for --help
};

// Every route in registration order. Two keys may share a Route (POST and PUT secrets).
const std::vector<RouteSpec>& Routes();

// The route-key wildcard of the fault syntax: matches every request, routed or not.
inline constexpr std::string_view kAnyRouteKey = "*";

// The spec whose key is `key`; nullptr when none (kAnyRouteKey included).
const RouteSpec* FindRoute(std::string_view key);
// The spec of the first route whose method and pattern match; `id` receives the {id}
// segment (the first placeholder). nullptr when no route matches (the platform answers Gin's 404).
const RouteSpec* MatchRoute(std::string_view method, std::string_view path, std::string* id);
// The key of the first spec for `route` (e.g. POST /workspaces/{id}/a2a).
const std::string& RouteKey(Route route);
// The pattern as a std::regex for httplib, each {name} captured in order ({id} as group 1).
std::string RouteRegex(const RouteSpec& spec);
// "  KEY  DESCRIPTION" lines, one per route, for --help.
std::string RouteHelp(std::string_view indent);

}  // namespace taskbounds

#endif  // MOCKS_ROUTES_H_
