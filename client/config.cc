#include "client/config.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

#include "client/secrets.h"
#include "client/text.h"
#include "client/url.h"
#include "client/wire.h"

namespace taskbounds {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string Trim(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && IsSpace(s[b])) {
    ++b;
  }
  while (e > b && IsSpace(s[e - 1])) {
    --e;
  }
  return s.substr(b, e - b);
}

bool HasControlChar(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      return true;
    }
  }
  return false;
}

// A user-supplied value quoted for an error line through the one sanitiser (controls
// escaped, invalid UTF-8 replaced, cut near 80 bytes), so the error stays one line. Only
// for non-secret variables.
std::string Quote(const std::string& value) {
  constexpr std::size_t kQuotedBytes = 83;  // 80 bytes and "..."
  return "\"" + SanitizeRemoteText(value, kQuotedBytes) + "\"";
}

// A finite decimal number (digits, one optional leading sign, '.', exponent); strtod alone
// would also take "inf", "nan", hex floats and leading spaces.
bool ParseDecimal(const std::string& s, double* out) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    const bool ok =
        (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    if (!ok) {
      return false;
    }
  }
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) {
    return false;
  }
  *out = v;
  return true;
}

// "1" → true; "0", unset or empty → false; anything else is an error.
bool ParseFlag(const EnvLookup& env, const char* name, bool* out, std::string* error) {
  const auto v = env(name);
  if (!v || v->empty() || *v == "0") {
    *out = false;
    return true;
  }
  if (*v == "1") {
    *out = true;
    return true;
  }
  *error = std::string(name) + "=" + Quote(*v) + " is not a flag: use 1 (on) or 0 / unset (off)";
  return false;
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) {
      return std::nullopt;
    }
    return std::string(v);
  };
}

ClientOptions RunConfig::ToClientOptions(const std::string& override_url) const {
  ClientOptions options;
  options.base_url = override_url.empty() ? platform_url : override_url;
  options.admin_token = admin_token;
  options.tenant_id = tenant_id;
  options.ca_file = ca_file;
  options.ca_path = ca_path;
  return options;
}

namespace {

// Each loader reads its variables into `config` and returns "" or the one-line error.

// Credentials first: they must never be echoed, so their errors name only the variable.
std::string LoadCredentials(const EnvLookup& env, RunConfig* config) {
  for (const char* name : {"ADMIN_TOKEN", "TENANT_ID"}) {
    const auto v = env(name);
    const std::string value = v ? Trim(*v) : "";
    if (HasControlChar(value)) {
      return std::string(name) +
             " contains control characters (it is sent as an HTTP header): remove them";
    }
    (std::string(name) == "ADMIN_TOKEN" ? config->admin_token : config->tenant_id) = value;
  }
  return "";
}

// The error for a PLATFORM that does not parse. A query or fragment is named as the
// problem; the quoted value shows where it starts but not its text, which may hold a token
// (PublicUrl drops user-info for the same reason).
std::string MalformedPlatformError(const std::string& raw) {
  const std::string expected = " is malformed: expected http(s)://host[:port][/path]";
  const std::size_t mark = raw.find_first_of("?#");
  if (mark == std::string::npos) {
    return "PLATFORM=" + Quote(PublicUrl(raw)) + expected;
  }
  const std::string elided = std::string(1, raw[mark]) + "...";
  return "PLATFORM=" + Quote(PublicUrl(raw) + elided) + expected + ", without a " +
         (raw[mark] == '?' ? "query" : "fragment") + " (" + elided + ")";
}

std::string LoadPlatform(const EnvLookup& env, RunConfig* config,
                         std::vector<std::string>* warnings) {
  const auto platform = env("PLATFORM");
  if (!platform || platform->empty()) {
    config->use_embedded_fake = true;
    config->platform_is_local = true;
    config->platform_url.clear();
    return "";
  }
  PlatformUrl url;
  bool has_userinfo = false;
  if (!ParsePlatformUrl(*platform, &url, &has_userinfo)) {
    if (has_userinfo) {
      return "PLATFORM contains user:password@ credentials: remove them and use ADMIN_TOKEN";
    }
    return MalformedPlatformError(*platform);
  }
  config->use_embedded_fake = false;
  config->platform_url = url.normalised;
  // The client's own rule (client/url.h), so "local" means the same thing to both.
  config->platform_is_local = url.scheme == "http" && IsLoopbackHost(url.host);
  const bool has_token = !config->admin_token.empty() || config->saas.needs_token_resolution();
  if (!config->platform_is_local && (!has_token || config->tenant_id.empty())) {
    const std::string prefix = "PLATFORM=" + config->platform_url + " is non-local: ";
    if (!has_token && config->tenant_id.empty()) {
      return prefix + "set both ADMIN_TOKEN and TENANT_ID";
    }
    return prefix + (has_token ? "TENANT_ID" : "ADMIN_TOKEN") +
           " is missing (it needs ADMIN_TOKEN and TENANT_ID)";
  }
  if (!config->platform_is_local && url.scheme == "http") {
    // Allowed, as in the reference harness, but the bearer crosses the network in clear.
    warnings->push_back("PLATFORM=" + config->platform_url +
                        " is plain http to a non-local host: ADMIN_TOKEN is sent "
                        "unencrypted; use https:// if the platform offers it");
  }
  return "";
}

std::string LoadLegacyLlmKey(const EnvLookup& env, RunConfig* config) {
  for (const char* name : {"OPENROUTER_API_KEY", "OPENAI_API_KEY"}) {
    const auto v = env(name);
    const std::string value = v ? Trim(*v) : "";
    if (!value.empty()) {
      if (HasControlChar(value)) {
        return std::string(name) + " contains control characters: remove them";
      }
      config->llm_key = value;
      config->llm_key_name = name;
      break;
    }
  }
  // No key is no secret step: today's platform bills its default model itself and refuses
  // a vendor key for it (platform-api-2026-08.md sections 1-2); a model that needs a key is
  // refused at create with 422 MISSING_BYOK_CREDENTIAL, which names SECRET_NAME (exit 2).
  return "";
}

// A platform secret's name: an environment variable name (the platform stores secrets as
// the workspace's environment).
bool IsVariableName(const std::string& s) {
  if (s.empty() || s.size() > 128 || (s[0] >= '0' && s[0] <= '9')) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// SECRET_NAME + SECRET_VALUE (else the variable SECRET_NAME names), as upstream's runner
// reads them (platform-api-2026-08.md section 2); without SECRET_NAME the legacy keys.
// The value is a secret: errors name variables only.
std::string LoadSecret(const EnvLookup& env, RunConfig* config) {
  const std::string name = Trim(env("SECRET_NAME").value_or(""));
  if (name.empty() && !Trim(env("SECRET_VALUE").value_or("")).empty()) {
    return "SECRET_VALUE is set without SECRET_NAME: set SECRET_NAME to the credential's name "
           "on the platform (e.g. MINIMAX_API_KEY), or unset SECRET_VALUE";
  }
  if (name.empty()) {
    return LoadLegacyLlmKey(env, config);
  }
  if (!IsVariableName(name)) {
    return "SECRET_NAME=" + Quote(name) +
           " is not a variable name (letters, digits and _, not starting with a digit)";
  }
  std::string from = "SECRET_VALUE";
  std::string value = Trim(env(from).value_or(""));
  if (value.empty() && name != from) {
    from = name;
    value = Trim(env(name).value_or(""));
  }
  if (HasControlChar(value)) {
    return from + " contains control characters: remove them";
  }
  // Refused on the embedded fake too: the run would otherwise differ from a live one.
  if (value.empty()) {
    return "SECRET_NAME=" + name + " has no value: set SECRET_VALUE or the variable " + name;
  }
  config->llm_key = value;
  config->llm_key_name = name;
  return "";
}

// A numeric setting: unset, empty or blank means the default, as `${VAR:-default}` does
// in the reference harness (CI jobs often export empty variables). One trimming rule for
// all of them: whitespace around the value (and around each item of SYNTHESIS_DEPTHS) is
// ignored, as the shell's arithmetic ignores it; whitespace inside a number is an error.
std::optional<std::string> NumericSetting(const EnvLookup& env, const char* name) {
  const auto v = env(name);
  if (!v || Trim(*v).empty()) {
    return std::nullopt;
  }
  return Trim(*v);
}

// "1, 3,8" -> {1, 3, 8}: distinct integers in 1..64; false on any bad item.
bool ParseDepthList(const std::string& list, std::vector<int>* depths) {
  std::set<int> seen;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    const std::string item =
        Trim(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    int depth = 0;
    if (!ParseIntInRange(item, 1, 64, &depth) || !seen.insert(depth).second) {
      return false;
    }
    depths->push_back(depth);
    if (comma == std::string::npos) {
      return true;
    }
    start = comma + 1;
  }
}

std::string LoadDepths(const EnvLookup& env, RunConfig* config) {
  if (const auto v = NumericSetting(env, "SYNTHESIS_DEPTH")) {
    if (!ParseIntInRange(*v, 1, 64, &config->synthesis_depth)) {
      return "SYNTHESIS_DEPTH=" + Quote(*v) + " is not an integer in 1..64";
    }
  }
  if (const auto v = NumericSetting(env, "SYNTHESIS_DEPTHS")) {
    std::vector<int> depths;
    if (!ParseDepthList(*v, &depths)) {
      return "SYNTHESIS_DEPTHS=" + Quote(*v) +
             " is not a comma list of distinct integers in 1..64 (e.g. 1,3,8)";
    }
    config->synthesis_depths = std::move(depths);
  }
  if (const auto v = NumericSetting(env, "REPEAT")) {
    if (!ParseIntInRange(*v, 1, kMaxRepeat, &config->repeat)) {
      return "REPEAT=" + Quote(*v) + " is not an integer in 1.." + std::to_string(kMaxRepeat) +
             " (runs of each variant and depth in the sweep)";
    }
  }
  return "";
}

std::string LoadTimes(const EnvLookup& env, RunConfig* config) {
  if (const auto v = NumericSetting(env, "A2A_TIMEOUT")) {
    double secs = 0;
    if (!ParseDecimal(*v, &secs) || secs <= 0 || secs > 86400) {
      return "A2A_TIMEOUT=" + Quote(*v) + " is not a number of seconds in (0, 86400]";
    }
    config->a2a_timeout_secs = secs;
    config->a2a_timeout_set = true;
  }
  if (const auto v = NumericSetting(env, "WAIT_ONLINE_SECS")) {
    double secs = 0;
    if (!ParseDecimal(*v, &secs) || secs <= 0 || secs > 86400) {
      return "WAIT_ONLINE_SECS=" + Quote(*v) + " is not a number of seconds in (0, 86400]";
    }
    config->wait_online_secs = secs;
  }
  if (const auto v = NumericSetting(env, "TIME_SCALE")) {
    config->time_scale_set = true;
    double scale = 0;
    // Below 0.001 the harness's own overhead (about 1 ms of wall per request) outweighs a
    // platform second, and the verdicts go wrong.
    if (!ParseDecimal(*v, &scale) || scale < 0.001 || scale > 1000) {
      return "TIME_SCALE=" + Quote(*v) + " is not a number in [0.001, 1000]";
    }
    config->time_scale = scale;
  }
  return "";
}

bool IsOneOf(const std::string& value, const std::vector<std::string>& names) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

// "a|b|c", the way the errors list the choices.
std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    joined += (joined.empty() ? "" : "|") + name;
  }
  return joined;
}

std::string LoadSwitches(const EnvLookup& env, RunConfig* config) {
  std::string error;
  if (!ParseFlag(env, "DRY_RUN", &config->dry_run, &error) ||
      !ParseFlag(env, "KEEP_WORKSPACES", &config->keep_workspaces, &error)) {
    return error;
  }
  // The embedded fake's variables are checked whatever the target, like every variable
  // (README: every value is checked before any request): a typo stops the run before
  // anything starts. With PLATFORM set they are otherwise ignored (IgnoredFakeVariables), and
  // the error says so and how to get past it. Unset or empty is the fake's default (CI jobs
  // often export empty variables).
  const auto unused = [config](const std::string& name, const std::string& otherwise) {
    return config->use_embedded_fake ? otherwise
                                     : " (PLATFORM is set, so it would be ignored, but every "
                                       "value is checked: unset " +
                                           name + " or correct it)";
  };
  if (const auto v = env("FAKE_SCENARIO"); v && !v->empty()) {
    if (!IsOneOf(*v, FakeScenarioNames())) {
      return "FAKE_SCENARIO=" + Quote(*v) + " is not one of " + JoinNames(FakeScenarioNames()) +
             unused("FAKE_SCENARIO", "");
    }
    config->fake_scenario = *v;
  }
  if (const auto v = env("FAKE_PLATFORM_VERSION"); v && !v->empty()) {
    if (!IsOneOf(*v, FakePlatformVersionNames())) {
      return "FAKE_PLATFORM_VERSION=" + Quote(*v) + " is not one of " +
             JoinNames(FakePlatformVersionNames()) +
             unused("FAKE_PLATFORM_VERSION", " (unset: the fake's default)");
    }
    config->fake_platform_version = *v;
  }
  return "";
}

// The embedded fake's variables do nothing against a real platform: one warning line naming
// those set (non-empty), or "" when none is or PLATFORM is unset.
std::string IgnoredFakeVariables(const EnvLookup& env, const RunConfig& config) {
  std::vector<std::string> set;
  for (const char* name : {"FAKE_SCENARIO", "FAKE_PLATFORM_VERSION"}) {
    if (!env(name).value_or("").empty()) {
      set.emplace_back(name);
    }
  }
  if (config.use_embedded_fake || set.empty()) {
    return "";
  }
  return set.size() == 1
             ? set[0] + " is ignored: PLATFORM is set (it configures the embedded fake only)"
             : set[0] + " and " + set[1] +
                   " are ignored: PLATFORM is set (they configure the embedded fake only)";
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// 8-4-4-4-12 hexadecimal digits, as the runner checks ORG_ID.
bool IsUuid(const std::string& s) {
  if (s.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash_at = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_at ? s[i] != '-' : !IsHex(s[i])) {
      return false;
    }
  }
  return true;
}

// ^[a-z0-9][a-z0-9-]*[a-z0-9]$, the runner's ORG_SLUG rule.
bool IsOrgSlug(const std::string& s) {
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return s.size() >= 2 && alnum(s.front()) && alnum(s.back()) &&
         std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-'; });
}

std::string SecretSetting(const EnvLookup& env, const char* name, std::string* out) {
  *out = Trim(env(name).value_or(""));
  return HasControlChar(*out) ? std::string(name) +
                                    " contains control characters (it is sent as an HTTP "
                                    "header): remove them"
                              : "";
}

// ORG_SLUG + CP_ADMIN_API_TOKEN (+ CP_API_URL): what ResolveSaasAdminToken needs.
std::string LoadTokenResolution(const EnvLookup& env, SaasConfig* saas) {
  saas->org_slug = Trim(env("ORG_SLUG").value_or(""));
  if (saas->org_slug.empty()) {
    return "MODE=saas needs TENANT_ADMIN_TOKEN, or ORG_SLUG and CP_ADMIN_API_TOKEN to fetch it";
  }
  if (!IsOrgSlug(saas->org_slug)) {
    return "ORG_SLUG=" + Quote(saas->org_slug) + " does not match ^[a-z0-9][a-z0-9-]*[a-z0-9]$";
  }
  std::string error = SecretSetting(env, "CP_ADMIN_API_TOKEN", &saas->cp_admin_api_token);
  if (error.empty() && saas->cp_admin_api_token.empty()) {
    error =
        "ORG_SLUG is set without TENANT_ADMIN_TOKEN: set CP_ADMIN_API_TOKEN to fetch the "
        "tenant's admin token";
  }
  const std::string url = Trim(env("CP_API_URL").value_or(""));
  if (!error.empty() || url.empty()) {
    return error;
  }
  PlatformUrl parsed;
  bool has_userinfo = false;
  if (!ParsePlatformUrl(url, &parsed, &has_userinfo) ||
      !(parsed.scheme == "https" || IsLoopbackHost(parsed.host))) {
    return "CP_API_URL=" + Quote(PublicUrl(url)) +
           " is not an https:// URL (http:// only to a loopback host), without credentials";
  }
  saas->cp_api_url = parsed.normalised;
  return "";
}

// MODE=local (default) or saas: ORG_ID is the tenant, TENANT_ADMIN_TOKEN the bearer, or
// it is resolved from ORG_SLUG (platform-api-2026-08.md section 2). Before any request.
std::string LoadMode(const EnvLookup& env, RunConfig* config) {
  const std::string mode = Trim(env("MODE").value_or(""));
  if (mode.empty() || mode == "local") {
    return "";
  }
  if (mode != "saas") {
    return "MODE=" + Quote(mode) + " is not local or saas";
  }
  SaasConfig& saas = config->saas;
  saas.enabled = true;
  if (Trim(env("PLATFORM").value_or("")).empty()) {
    return "MODE=saas needs PLATFORM, the tenant platform's https:// URL";
  }
  saas.org_id = Trim(env("ORG_ID").value_or(""));
  if (!IsUuid(saas.org_id)) {
    return "ORG_ID=" + Quote(saas.org_id) +
           " is not a UUID (MODE=saas needs the organisation's id, 8-4-4-4-12 hex digits)";
  }
  if (!config->tenant_id.empty() && config->tenant_id != saas.org_id) {
    return "TENANT_ID and ORG_ID differ: with MODE=saas set ORG_ID only";
  }
  config->tenant_id = saas.org_id;
  std::string token;
  std::string error = SecretSetting(env, "TENANT_ADMIN_TOKEN", &token);
  if (!error.empty() || (token.empty() && !config->admin_token.empty())) {
    return error;  // ADMIN_TOKEN, when given instead, is the tenant's admin token
  }
  if (!token.empty() && !config->admin_token.empty() && token != config->admin_token) {
    return "ADMIN_TOKEN and TENANT_ADMIN_TOKEN differ: with MODE=saas set TENANT_ADMIN_TOKEN only";
  }
  if (!token.empty()) {
    config->admin_token = token;
    return "";
  }
  return LoadTokenResolution(env, &saas);
}

// A template name as the platform's manifest spells them ("claude-code-default").
bool IsTemplateName(const std::string& s) {
  return !s.empty() && s.size() <= 100 && s[0] != '-' && s[0] != '.' &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
         });
}

// A model id ("minimax/MiniMax-M2.7", "openrouter/x:free"): no spaces, controls or quotes.
bool IsModelName(const std::string& s) {
  return !s.empty() && s.size() <= 200 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::strchr("-_.:/@+", c) != nullptr;
  });
}

// "claude-code-default" -> "ClaudeCodeDefault": letters and digits, each run capitalised.
std::string CamelName(const std::string& text) {
  std::string out;
  bool start = true;
  for (const char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      start = true;
      continue;
    }
    out.push_back(start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    start = false;
  }
  return out;
}

// PM_TEMPLATE, CHILD_TEMPLATE, MODEL and VARIANTS.
std::string LoadTemplates(const EnvLookup& env, RunConfig* config) {
  for (auto [name, field] :
       {std::pair<const char*, std::string*>{"PM_TEMPLATE", &config->pm_template},
        {"CHILD_TEMPLATE", &config->child_template}}) {
    const std::string value = Trim(env(name).value_or(""));
    if (value.empty()) {
      continue;
    }
    if (!IsTemplateName(value)) {
      return std::string(name) + "=" + Quote(value) +
             " is not a template name (letters, digits, '-', '_', '.'; e.g. claude-code-default)";
    }
    *field = value;
  }
  config->model = Trim(env("MODEL").value_or(""));
  if (!config->model.empty() && !IsModelName(config->model)) {
    return "MODEL=" + Quote(config->model) +
           " is not a model id (no spaces or quotes; e.g. minimax/MiniMax-M2.7)";
  }
  const std::string variants = Trim(env("VARIANTS").value_or(""));
  if (variants.empty()) {
    config->variants = {
        {CamelName(config->pm_template + " " + config->model), config->pm_template, config->model}};
    return "";
  }
  std::string error;
  return ParseVariants(variants, &config->variants, &error) ? "" : "VARIANTS: " + error;
}

// The trust store curl's own tool would use: CURL_CA_BUNDLE, else SSL_CERT_DIR and
// SSL_CERT_FILE. Each must be readable now, so a typo fails before any request.
std::string CheckReadableFile(const char* name, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  int err = f == nullptr ? errno : 0;
  if (f != nullptr) {
    if (std::fgetc(f) == EOF) {
      err = std::ferror(f) != 0 ? errno : ENODATA;
    }
    std::fclose(f);
  }
  if (err == 0) {
    return "";
  }
  return std::string(name) + "=" + Quote(path) + " cannot be read (" +
         (err == ENODATA ? "empty file" : std::strerror(err)) +
         "): point it at the PEM bundle of the CA that signs the platform's certificate, or "
         "unset it";
}

std::string CheckReadableDirs(const char* name, const std::string& list) {
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t colon = std::min(list.find(':', start), list.size());
    const std::string dir = list.substr(start, colon - start);
    DIR* d = dir.empty() ? nullptr : opendir(dir.c_str());
    if (d == nullptr) {
      const std::string why = dir.empty() ? "empty entry" : std::strerror(errno);
      return std::string(name) + "=" + Quote(list) + ": " + Quote(dir) + " cannot be opened (" +
             why + "): point it at a directory of hashed CA certificates, or unset it";
    }
    closedir(d);
    start = colon + 1;
  }
  return "";
}

std::string LoadTlsTrust(const EnvLookup& env, RunConfig* config) {
  if (config->use_embedded_fake) {
    return "";  // plain http on loopback: a stale bundle elsewhere must not stop a local run
  }
  const std::string bundle = env("CURL_CA_BUNDLE").value_or("");
  if (!bundle.empty()) {
    config->ca_file = bundle;
    return CheckReadableFile("CURL_CA_BUNDLE", bundle);
  }
  config->ca_path = env("SSL_CERT_DIR").value_or("");
  config->ca_file = env("SSL_CERT_FILE").value_or("");
  std::string error;
  if (!config->ca_path.empty()) {
    error = CheckReadableDirs("SSL_CERT_DIR", config->ca_path);
  }
  if (error.empty() && !config->ca_file.empty()) {
    error = CheckReadableFile("SSL_CERT_FILE", config->ca_file);
  }
  return error;
}

}  // namespace

std::vector<std::string> FakeScenarioNames() {
  // The last five are modelled by the 2026-08 profile; on 2026-04 they run like unbounded.
  return {"unbounded",        "idle_timeout",   "agent_ceiling",
          "platform_ceiling", "stall_watchdog", "container_restart",
          "header_timeout",   "agent_failure",  "agent_idle_cap"};
}

std::vector<std::string> FakePlatformVersionNames() { return {"2026-04", "2026-08"}; }

const char* BackendName(const RunConfig& config) {
  return config.use_embedded_fake ? "embedded_fake" : "platform";
}

void ApplyLiveSweepDefaults(RunConfig* config) {
  if (!config->a2a_timeout_set) {
    config->a2a_timeout_secs = kLiveSweepA2ATimeoutSecs;
  }
}

namespace {

// A number as the configuration's lines print it: "2700", "0.5", "0.001".
std::string Secs(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.10g", value);
  return buf;
}

}  // namespace

std::string CheckLiveSweepFits(const RunConfig& config, double test_timeout_secs) {
  const std::size_t variants = std::max<std::size_t>(1, config.variants.size());
  const std::size_t cases = variants * config.synthesis_depths.size() *
                            static_cast<std::size_t>(std::max(1, config.repeat));
  const std::size_t per_shard = (cases + kLiveShardCount - 1) / kLiveShardCount;
  const double per_case_wall =
      (config.a2a_timeout_secs + config.wait_online_secs) * config.time_scale +
      kCaseCleanupWallSecs;
  const double needed = static_cast<double>(per_shard) * per_case_wall;
  if (needed <= test_timeout_secs) {
    return "";
  }
  // The largest A2A_TIMEOUT (whole platform seconds) whose shards still fit.
  const double fits =
      std::floor((test_timeout_secs / static_cast<double>(per_shard) - kCaseCleanupWallSecs) /
                     config.time_scale -
                 config.wait_online_secs);
  const std::string shard = per_shard == 1
                                ? std::string()
                                : " and a shard runs " + std::to_string(per_shard) + " of the " +
                                      std::to_string(cases) + " cases one after the other (" +
                                      Secs(std::ceil(needed)) + " s)";
  return "A2A_TIMEOUT=" + Secs(config.a2a_timeout_secs) +
         " s does not fit //tests:live's Bazel timeout of " + Secs(test_timeout_secs) +
         " s: a case takes up to (" + Secs(config.a2a_timeout_secs) + " + WAIT_ONLINE_SECS " +
         Secs(config.wait_online_secs) + ") x TIME_SCALE " + Secs(config.time_scale) + " + " +
         Secs(kCaseCleanupWallSecs) + " s of cleanup = " + Secs(std::ceil(per_case_wall)) +
         " s of wall time" + shard + ": " +
         (fits >= 1 ? "set A2A_TIMEOUT to at most " + Secs(fits)
                    : std::string("lower WAIT_ONLINE_SECS")) +
         (per_shard > 1 ? ", run fewer cases (VARIANTS, SYNTHESIS_DEPTHS, REPEAT)" : "") +
         ", or give Bazel a longer --test_timeout";
}

std::vector<ModelledMechanism> VisibleMechanisms(const RunConfig& config) {
  if (!config.use_embedded_fake) {
    // Today's platform, its defaults (platform-api-2026-08.md section 6; the runtime's
    // completion idle cap: A2A_COMPLETION_IDLE_TIMEOUT_SECONDS).
    return {{"container liveness TTL", 180},
            {"stall watchdog probe", 720},
            {"agent completion idle cap", 900},
            {"stall watchdog restart", 1080},
            {"idle timer", 1800},
            {"response-header timeout", 1800}};
  }
  // The embedded fake models one mechanism per scenario, at mocks/fake_platform_options.h's
  // default durations; 2026-04 models only its four scenarios.
  const bool april = config.fake_platform_version == "2026-04";
  const std::string& s = config.fake_scenario;
  if (s == "idle_timeout") {
    return {{"idle timer", april ? 300.0 : 1800.0}};
  }
  if (s == "agent_ceiling") {
    return {{"agent time limit", 300}};
  }
  if (s == "platform_ceiling") {
    return {{"task ceiling", 300}};
  }
  if (april) {
    return {};
  }
  if (s == "stall_watchdog") {
    return {{"stall watchdog probe", 720}, {"stall watchdog restart", 1080}};
  }
  if (s == "container_restart") {
    return {{"container liveness TTL", 180}};
  }
  if (s == "header_timeout") {
    return {{"response-header timeout", 1800}};
  }
  if (s == "agent_idle_cap") {
    return {{"agent completion idle cap", 900}};
  }
  return {};
}

std::string UnseenMechanismsWarning(const RunConfig& config) {
  std::string named;
  double latest = 0;
  for (const ModelledMechanism& m : VisibleMechanisms(config)) {
    if (m.at_secs > config.a2a_timeout_secs) {
      named += (named.empty() ? "" : ", ") + m.name + " (" + Secs(m.at_secs) + " s)";
      latest = std::max(latest, m.at_secs);
    }
  }
  if (named.empty()) {
    return "";
  }
  const std::string whose = config.use_embedded_fake
                                ? "the embedded fake's " + config.fake_scenario + " scenario"
                                : std::string("today's platform, its defaults");
  return "A2A_TIMEOUT=" + Secs(config.a2a_timeout_secs) +
         " s stops following the task before these can act (platform seconds after the "
         "kickoff, " +
         whose + "): " + named +
         "; a task still running at A2A_TIMEOUT is reported harness_timeout: set A2A_TIMEOUT "
         "above " +
         Secs(latest) + " (e.g. " + Secs(2 * latest) + ") to see them";
}

ConfigResult LoadRunConfig(const EnvLookup& env) {
  ConfigResult result;
  RunConfig config;
  std::string error = LoadCredentials(env, &config);
  if (error.empty()) {
    error = LoadMode(env, &config);
  }
  if (error.empty()) {
    error = LoadPlatform(env, &config, &result.warnings);
  }
  for (const auto load :
       {&LoadSecret, &LoadDepths, &LoadTimes, &LoadSwitches, &LoadTemplates, &LoadTlsTrust}) {
    if (error.empty()) {
      error = load(env, &config);
    }
  }
  if (!error.empty()) {
    result.error = std::move(error);
    return result;
  }
  if (std::string warning = IgnoredFakeVariables(env, config); !warning.empty()) {
    result.warnings.push_back(std::move(warning));
  }
  result.config = std::move(config);
  return result;
}

bool ParseVariants(const std::string& list, std::vector<Variant>* out, std::string* error) {
  std::set<std::string> names;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string whole = Trim(list.substr(start, comma - start));  // errors quote it
    start = comma + 1;
    Variant v;
    std::string item = whole;
    const std::size_t eq = item.find('=');
    if (eq != std::string::npos) {
      v.name = Trim(item.substr(0, eq));
      item = Trim(item.substr(eq + 1));
    }
    const std::size_t colon = item.find(':');  // models may contain ':', templates never
    v.template_name = Trim(item.substr(0, colon));
    v.model = colon == std::string::npos ? "" : Trim(item.substr(colon + 1));
    if (!IsTemplateName(v.template_name) || (colon != std::string::npos && !IsModelName(v.model))) {
      *error = "item " + Quote(whole) +
               " is not [Name=]template[:model] (e.g. claude-code-default,hermes:model-x)";
      return false;
    }
    if (eq == std::string::npos) {
      v.name = CamelName(v.template_name + " " + v.model);
    }
    const bool alnum_name = !v.name.empty() && CamelName(v.name) == v.name;
    if (!alnum_name || !names.insert(v.name).second) {
      *error = "variant name " + Quote(v.name) +
               (alnum_name ? " is used twice" : " is not letters and digits") +
               ": give each item its own Name= prefix";
      return false;
    }
    out->push_back(std::move(v));
  }
  return true;
}

std::string ResolveSaasAdminToken(RunConfig* config, long timeout_ms) {
  const SaasConfig& saas = config->saas;
  if (!saas.enabled || !saas.needs_token_resolution()) {
    return "";
  }
  ClientOptions options;
  options.base_url = saas.cp_api_url;
  options.admin_token = saas.cp_admin_api_token;
  options.ca_file = config->ca_file;
  options.ca_path = config->ca_path;
  options.request_timeout_ms = timeout_ms;
  PlatformClient cp(options);
  const std::string path = "/cp/admin/orgs/" + saas.org_slug + "/admin-token";  // slug checked
  const HttpExchange ex = cp.Send("GET", path, "");
  const std::string where = "CP_API_URL: GET " + PublicUrl(saas.cp_api_url) + path;
  if (!ex.transport_ok()) {
    return where + ": " + ex.curl_error;
  }
  if (ex.http_status != 200) {
    return where + ": HTTP " + std::to_string(ex.http_status) + ": " + ex.BodyExcerpt(120) +
           " (check ORG_SLUG and CP_ADMIN_API_TOKEN)";
  }
  // The 200 carries the secret: no part of its body goes into the error.
  rapidjson::Document doc;
  std::string why;
  const bool parsed = ParseBoundedJson(ex.body, &doc, &why) && doc.IsObject();
  const auto token = parsed ? doc.FindMember("admin_token") : doc.MemberEnd();
  if (!parsed || token == doc.MemberEnd() || !token->value.IsString() ||
      token->value.GetStringLength() == 0) {
    return where + ": HTTP 200 without a string field admin_token";
  }
  const std::string value(token->value.GetString(), token->value.GetStringLength());
  if (HasControlChar(value)) {
    return where + ": admin_token contains control characters";
  }
  config->admin_token = value;
  return "";
}

void RegisterRunSecrets(const RunConfig& config) {
  for (const std::string* secret :
       {&config.admin_token, &config.llm_key, &config.saas.cp_admin_api_token}) {
    RegisterSecret(*secret);
  }
}

}  // namespace taskbounds
