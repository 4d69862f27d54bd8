#include "mocks/platform/middleware.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "mocks/platform/json_util.h"

namespace taskbounds {
namespace {

constexpr double kRateWindowSecs = 60;

// Constant-time comparison, as the platform does for ADMIN_TOKEN.
bool MatchesAdmin(const std::string& token, const std::string& admin) {
  unsigned diff = token.size() == admin.size() ? 0u : 1u;
  for (std::size_t i = 0; i < token.size(); ++i) {
    diff |=
        static_cast<unsigned char>(token[i]) ^ static_cast<unsigned char>(admin[i % admin.size()]);
  }
  return diff == 0;
}

// Fly.io replays carry the org in the state= segment of Fly-Replay-Src.
bool ReplayCarriesOrg(const std::string& replay, const std::string& org_id) {
  std::size_t pos = 0;
  while (!replay.empty() && pos <= replay.size()) {
    std::size_t end = replay.find(';', pos);
    if (end == std::string::npos) {
      end = replay.size();
    }
    std::string segment = replay.substr(pos, end - pos);
    segment.erase(0, segment.find_first_not_of(' '));
    if (segment == "state=" + org_id) {
      return true;
    }
    pos = end + 1;
  }
  return false;
}

std::string RateLimitedJson(double reset_secs) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  w.String("rate limit exceeded");
  w.Key("retry_after");
  w.Int64(static_cast<std::int64_t>(std::ceil(reset_secs)));
  w.EndObject();
  return buffer.GetString();
}

}  // namespace

std::optional<std::string> BearerToken(const BackendRequest& request) {
  const std::string authorization = request.Header("Authorization");
  if (authorization.rfind("Bearer ", 0) != 0) {
    return std::nullopt;
  }
  std::string token = authorization.substr(7);
  token.erase(0, token.find_first_not_of(" \t"));
  token.erase(token.find_last_not_of(" \t") + 1);
  if (token.empty()) {
    return std::nullopt;
  }
  return token;
}

Middleware::Middleware(const FakePlatformOptions& options, const PlatformProfile& profile,
                       SimClock clock)
    : options_(options), profile_(profile), clock_(clock) {}

Admission Middleware::Authorize(Route route, const BackendRequest& request,
                                SimClock::Clock::time_point now) {
  Admission admission;
  if (RateLimit(request, now, &admission) && TenantGuard(request, &admission)) {
    CheckAuth(route, request, &admission);
  }
  return admission;
}

bool Middleware::RateLimit(const BackendRequest& request, SimClock::Clock::time_point now,
                           Admission* admission) {
  if (options_.rate_limit_per_minute <= 0) {
    // What the platform sends when its limiter is off (dev mode, ratelimit.go:67-71).
    admission->headers.emplace_back("X-RateLimit-Limit", "unlimited");
    return true;
  }
  RateWindow& window = rate_windows_[request.remote];
  const auto length = clock_.Wall(kRateWindowSecs);
  if (window.count == 0 || now - window.start >= length) {
    window.start = now;
    window.count = 0;
  }
  ++window.count;
  const double reset_secs = std::max(0.0, clock_.PlatformSecs(window.start + length - now));
  const std::string reset = std::to_string(static_cast<long long>(std::ceil(reset_secs)));
  const int limit = options_.rate_limit_per_minute;
  admission->headers.emplace_back("X-RateLimit-Limit", std::to_string(limit));
  admission->headers.emplace_back("X-RateLimit-Remaining",
                                  std::to_string(std::max(0, limit - window.count)));
  admission->headers.emplace_back("X-RateLimit-Reset", reset);
  if (window.count <= limit) {
    return true;
  }
  admission->admitted = false;
  admission->rejection = BackendReply::Json(429, RateLimitedJson(reset_secs));
  admission->rejection.headers.emplace_back("Retry-After", reset);
  return false;
}

bool Middleware::TenantGuard(const BackendRequest& request, Admission* admission) const {
  // X-Molecule-Org-Id must match; X-Tenant-Id means nothing. A miss is a 404 with an
  // empty body, deliberately not 403.
  if (options_.org_id.empty()) {
    return true;
  }
  const std::string& path = request.path;
  const bool exempt = path == "/health" || path == "/metrics" || path == "/registry/register" ||
                      path == "/registry/heartbeat" || path.rfind("/cp/", 0) == 0;
  const bool tenant_ok = request.Header("X-Molecule-Org-Id") == options_.org_id ||
                         ReplayCarriesOrg(request.Header("Fly-Replay-Src"), options_.org_id);
  if (exempt || tenant_ok) {
    return true;
  }
  admission->admitted = false;
  admission->rejection.status = 404;
  admission->rejection.content_type.clear();
  return false;
}

bool Middleware::CheckAuth(Route route, const BackendRequest& request, Admission* admission) const {
  const AuthLayer layer =
      profile_.AuthLayerOf(route, profile_.HasHeartbeatHistory(options_.scenario));
  // An empty admin token is dev mode: both layers let everything through (devmode.go).
  if (layer == AuthLayer::kNone || (options_.admin_token.empty() && profile_.DevModeOpensAuth())) {
    return true;
  }
  const std::optional<std::string> bearer = BearerToken(request);
  const bool admin = layer == AuthLayer::kAdmin;
  if (!bearer) {
    admission->rejection =
        BackendReply::Error(401, admin ? "admin auth required" : "missing workspace auth token");
  } else if (!MatchesAdmin(*bearer, options_.admin_token)) {
    admission->rejection = BackendReply::Error(
        401, admin ? "invalid admin auth token" : "invalid workspace auth token");
  } else {
    return true;
  }
  admission->admitted = false;
  return false;
}

}  // namespace taskbounds
