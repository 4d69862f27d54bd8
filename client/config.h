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
#include "client/secrets.h"  // MaskSecret, declared here before it moved

namespace taskbounds {

// Looks up one environment variable; std::nullopt when unset. Tests pass a map.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Reads the process environment (getenv).
EnvLookup ProcessEnv();

// One template/model pair of the VARIANTS sweep axis; both workspaces use it.
struct Variant {
  std::string name;           // [A-Za-z0-9]+, for test names: "ClaudeCodeDefault", "Hermes"
  std::string template_name;  // PM and child template
  std::string model;          // "" = the template's own model
};

// MODE=saas, as upstream's runner reads it (platform-api-2026-08.md section 2).
struct SaasConfig {
  bool enabled = false;
  std::string org_id;    // ORG_ID, a UUID; sent as X-Molecule-Org-Id (the tenant)
  std::string org_slug;  // ORG_SLUG, ^[a-z0-9][a-z0-9-]*[a-z0-9]$; only to resolve the token
  std::string cp_admin_api_token;                                  // CP_ADMIN_API_TOKEN: a SECRET
  std::string cp_api_url = "https://staging-api.moleculesai.app";  // CP_API_URL
  // True when TENANT_ADMIN_TOKEN was not given: ResolveSaasAdminToken must run before any
  // platform request.
  bool needs_token_resolution() const { return !org_slug.empty(); }
};

// The largest REPEAT: with the default depths, 3 x 9 = 27 cases, one per shard of the live
// target (kLiveShardCount), so a live sweep still runs every case at once.
inline constexpr int kMaxRepeat = 9;

// The nightly live sweep, //tests:live as tools/run_live_nightly.sh runs it (tests/BUILD.bazel:
// timeout = "eternal", Bazel's 3600 s, and shard_count = 27). A shard runs its cases one
// after the other: ceil(cases / kLiveShardCount) of them.
inline constexpr double kLiveTestTimeoutSecs = 3600;
inline constexpr int kLiveShardCount = 27;
// The live sweep's A2A_TIMEOUT when it is unset (//tools:measure keeps 600, the shell
// harness's): past today's longest mechanisms, the idle timer and the response-header timeout
// at 1800 platform seconds, by 900 s, because the idle timer counts from the task's last
// event (up to 1920 s at depth 8, the re-dispatched task ending at about 2365 s) and a task
// may end a little after a mechanism acts. With WAIT_ONLINE_SECS (180) and the cleanup it
// leaves 700 s of the 3600 s for provisioning and the reads after the task.
inline constexpr double kLiveSweepA2ATimeoutSecs = 2700;
// Wall seconds one case's cleanup may take: JanitorOptions::delete_timeout (10 s, not scaled
// by TIME_SCALE) for each of its two workspaces.
inline constexpr double kCaseCleanupWallSecs = 20;

struct RunConfig {
  // PLATFORM; empty means "use the embedded fake platform".
  std::string platform_url;
  bool use_embedded_fake = true;
  bool platform_is_local = true;  // http:// to a loopback host (IsLoopbackHost)
  std::string admin_token;        // ADMIN_TOKEN
  std::string tenant_id;          // TENANT_ID
  // The credential stored for the agents (a SECRET): SECRET_NAME + SECRET_VALUE (or the
  // value of the variable SECRET_NAME names), else the legacy OPENROUTER_API_KEY, else
  // OPENAI_API_KEY. llm_key_name is the secret's name on the platform ("" when none).
  std::string llm_key;
  std::string llm_key_name;
  std::string pm_template = "claude-code-default";     // PM_TEMPLATE
  std::string child_template = "claude-code-default";  // CHILD_TEMPLATE
  std::string model;                                   // MODEL; "" = the template's
  // VARIANTS (templates and models swept); default: one variant of PM_TEMPLATE and MODEL.
  std::vector<Variant> variants;
  double wait_online_secs = 180;  // WAIT_ONLINE_SECS, platform seconds, (0, 86400]
  SaasConfig saas;                // MODE=saas
  std::string ca_file;            // CURL_CA_BUNDLE, else SSL_CERT_FILE (readable file)
  std::string ca_path;            // SSL_CERT_DIR unless CURL_CA_BUNDLE (readable dirs)
  int synthesis_depth = 3;        // SYNTHESIS_DEPTH, 1..64
  std::vector<int> synthesis_depths = {1, 3, 8};  // SYNTHESIS_DEPTHS, comma list of 1..64
  // REPEAT: how many times the sweep runs each variant and depth (1..kMaxRepeat); test names
  // end "Run<k>" when it is above 1.
  int repeat = 1;
  double a2a_timeout_secs = 600;            // A2A_TIMEOUT, platform seconds, (0, 86400]
  bool a2a_timeout_set = false;             // A2A_TIMEOUT was given (non-empty)
  double time_scale = 1.0;                  // TIME_SCALE, [0.001, 1000]
  bool time_scale_set = false;              // TIME_SCALE was given (non-empty)
  bool dry_run = false;                     // DRY_RUN=1
  bool keep_workspaces = false;             // KEEP_WORKSPACES=1
  std::string fake_scenario = "unbounded";  // FAKE_SCENARIO (embedded fake only)
  // FAKE_PLATFORM_VERSION (embedded fake only): one of FakePlatformVersionNames(), or "" for
  // the fake's default profile.
  std::string fake_platform_version;

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

// The live sweep's defaults (//tests:live, tools/run_live_nightly.sh): A2A_TIMEOUT
// kLiveSweepA2ATimeoutSecs when it was not set.
void ApplyLiveSweepDefaults(RunConfig* config);

// "" when each shard of //tests:live can run its cases (VARIANTS x SYNTHESIS_DEPTHS x REPEAT
// over kLiveShardCount shards, one after the other) within `test_timeout_secs` of wall time,
// each case taking (A2A_TIMEOUT + WAIT_ONLINE_SECS) x TIME_SCALE + kCaseCleanupWallSecs; else
// one line naming A2A_TIMEOUT, what a shard needs, the Bazel timeout and the largest
// A2A_TIMEOUT that fits.
std::string CheckLiveSweepFits(const RunConfig& config,
                               double test_timeout_secs = kLiveTestTimeoutSecs);

// A mechanism the suite models that ends or interrupts a task, and the earliest it acts by
// default: platform seconds after the kickoff (platform-api-2026-08.md section 6).
struct ModelledMechanism {
  std::string name;  // "idle timer"
  double at_secs = 0;
};

// The mechanisms a run could see, earliest first: against PLATFORM today's platform's
// (2026-08 defaults); on the embedded fake only its FAKE_SCENARIO's, at the fake's default
// durations on its profile (FAKE_PLATFORM_VERSION). //tests/harness:target_test checks the
// fake's against its own durations.
std::vector<ModelledMechanism> VisibleMechanisms(const RunConfig& config);

// One line when A2A_TIMEOUT ends the run before some of VisibleMechanisms could act, naming
// each with its time; "" when none.
std::string UnseenMechanismsWarning(const RunConfig& config);

// The run's backend as the events (run_started), run.json's identity and the test XML record
// it: "embedded_fake" (PLATFORM unset) or "platform" (PLATFORM set: a platform at that URL,
// wherever it runs, loopback included; recorded as "live" before issue 18, which the report
// still reads as "platform").
const char* BackendName(const RunConfig& config);

// What FAKE_SCENARIO and FAKE_PLATFORM_VERSION accept: the embedded fake's scenario names
// (mocks/fake_platform_options.h AllScenarios, in that order) and platform versions
// (AllPlatformVersions, oldest first). Written here because the client may not depend on
// //mocks; //tests/harness:target_test checks both against the fake's own lists.
std::vector<std::string> FakeScenarioNames();
std::vector<std::string> FakePlatformVersionNames();

// VARIANTS syntax: a comma list of `[Name=]template[:model]` items, e.g.
// "claude-code-default,hermes:minimax/MiniMax-M2.7,Fast=hermes:model-x". Without a Name the
// name is the template (and model) in CamelCase: "ClaudeCodeDefault", "HermesMinimaxMiniMaxM27".
// False, with `error` naming the bad item, on an empty item, a bad template or model, a bad
// or repeated name.
bool ParseVariants(const std::string& list, std::vector<Variant>* out, std::string* error);

// MODE=saas with ORG_SLUG: GET {CP_API_URL}/cp/admin/orgs/<slug>/admin-token with
// CP_ADMIN_API_TOKEN as bearer, field admin_token (section 2 of platform-api-2026-08.md);
// stores it as config->admin_token (a SECRET, never in the returned error). "" on success
// or nothing to do, else a one-line error naming CP_API_URL / ORG_SLUG and the cause.
std::string ResolveSaasAdminToken(RunConfig* config, long timeout_ms = 30000);

// Registers the run's secrets (client/secrets.h RegisterSecret) so every piece of remote
// text is masked for them before it is shown: ADMIN_TOKEN (or TENANT_ADMIN_TOKEN, or the
// token ResolveSaasAdminToken fetched), CP_ADMIN_API_TOKEN, and the LLM credential
// (SECRET_VALUE / the variable SECRET_NAME names / OPENROUTER_API_KEY / OPENAI_API_KEY).
// OpenTarget (fixtures/run/target.h: before anything is asked of a platform) and
// CoordinatorRun (with the fetched token, before its first request) call it; registering
// again is harmless.
void RegisterRunSecrets(const RunConfig& config);

}  // namespace taskbounds

#endif  // CLIENT_CONFIG_H_
