// The platform's middleware in front of every route, in its order (platform-api.md 5,
// router.go): the per-IP rate limiter, the tenant guard (X-Molecule-Org-Id) and the
// route's auth layer (AdminAuth / WorkspaceAuth, open in dev mode). Not thread-safe: the
// facade's mutex guards the rate limiter's windows.
#ifndef MOCKS_PLATFORM_MIDDLEWARE_H_
#define MOCKS_PLATFORM_MIDDLEWARE_H_

#include <map>
#include <optional>
#include <string>

#include "mocks/fake_platform_options.h"
#include "mocks/platform/platform_profile.h"
#include "mocks/platform/sim_clock.h"
#include "mocks/platform_backend.h"

namespace taskbounds {

// The request's bearer token: only "Bearer <token>" counts (case-sensitive prefix, token
// trimmed, tokens.go:169-175); nullopt when there is none.
std::optional<std::string> BearerToken(const BackendRequest& request);

class Middleware {
 public:
  // Uses options' rate_limit_per_minute, org_id, admin_token and scenario (which decides
  // whether /heartbeat-history exists, and so has middleware at all); `profile` says which
  // layer guards which route and whether dev mode opens them. Both must outlive this.
  Middleware(const FakePlatformOptions& options, const PlatformProfile& profile, SimClock clock);

  // Whether `request` on `route` reaches the handler at `now`; the headers to add to
  // every reply (X-RateLimit-*), or the rejection (429, tenant guard's empty 404, 401).
  Admission Authorize(Route route, const BackendRequest& request, SimClock::Clock::time_point now);

 private:
  // Fixed window per client IP (router.go:48-57, ratelimit.go). False: rejected.
  bool RateLimit(const BackendRequest& request, SimClock::Clock::time_point now,
                 Admission* admission);
  // TenantGuard (tenant_guard.go). False: rejected.
  bool TenantGuard(const BackendRequest& request, Admission* admission) const;
  // The route's auth layer. False: rejected.
  bool CheckAuth(Route route, const BackendRequest& request, Admission* admission) const;

  struct RateWindow {
    SimClock::Clock::time_point start;
    int count = 0;
  };

  const FakePlatformOptions& options_;
  const PlatformProfile& profile_;
  SimClock clock_;
  std::map<std::string, RateWindow> rate_windows_;  // by client IP
};

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_MIDDLEWARE_H_
