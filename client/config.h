// RunConfig: the harness's environment (the reference script's variables plus TIME_SCALE
// and a few suite knobs), validated before any network I/O. Numeric variables that are
// set but empty take their defaults, like the reference's `${VAR:-default}`.
#ifndef CLIENT_CONFIG_H_
#define CLIENT_CONFIG_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "client/platform_client.h"

namespace taskbounds {

// Looks up one environment variable; std::nullopt when unset. Tests pass a map.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Reads the process environment (getenv).
EnvLookup ProcessEnv();

struct RunConfig {
  // PLATFORM; empty means "use the embedded fake platform".
  std::string platform_url;
  bool use_embedded_fake = true;
  bool platform_is_local = true;  // http:// to a loopback host (IsLoopbackHost)
  std::string admin_token;        // ADMIN_TOKEN
  std::string tenant_id;          // TENANT_ID
  std::string llm_key;            // OPENROUTER_API_KEY, else OPENAI_API_KEY
  std::string llm_key_name;       // which of the two supplied llm_key ("" when none)
  int synthesis_depth = 3;        // SYNTHESIS_DEPTH, 1..64
  std::vector<int> synthesis_depths = {1, 3, 8};  // SYNTHESIS_DEPTHS, comma list of 1..64
  double a2a_timeout_secs = 600;                  // A2A_TIMEOUT, platform seconds, (0, 86400]
  double time_scale = 1.0;                        // TIME_SCALE, (0, 1000]
  bool time_scale_set = false;                    // TIME_SCALE was given (non-empty)
  bool dry_run = false;                           // DRY_RUN=1
  bool keep_workspaces = false;                   // KEEP_WORKSPACES=1
  std::string fake_scenario = "unbounded";        // FAKE_SCENARIO (embedded fake only)

  // Wall-clock equivalent of a platform duration: platform_secs * time_scale.
  double WallSecs(double platform_secs) const { return platform_secs * time_scale; }
  // Options for PlatformClient against platform_url (or `override_url` for the fake).
  ClientOptions ToClientOptions(const std::string& override_url = "") const;
};

// Either a valid config or a one-line error naming the variable and the fix, e.g.
// "PLATFORM=https://x is non-local: set both ADMIN_TOKEN and TENANT_ID".
struct ConfigResult {
  std::optional<RunConfig> config;
  std::string error;
  // Valid but risky settings, one line each, for the caller to print (never secrets).
  std::vector<std::string> warnings;
  bool ok() const { return config.has_value(); }
};

ConfigResult LoadRunConfig(const EnvLookup& env);

// "***" plus the last four characters for secrets of 12 or more characters, "***" alone
// for shorter ones (so a short secret is never mostly revealed).
std::string MaskSecret(std::string_view secret);

}  // namespace taskbounds

#endif  // CLIENT_CONFIG_H_
