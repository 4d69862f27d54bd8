#include "client/config.h"

#include <cmath>
#include <cstdlib>
#include <set>

#include "client/text.h"
#include "client/url.h"

namespace taskbounds {
namespace {

const char* const kFakeScenarios[] = {"unbounded", "idle_timeout", "agent_ceiling",
                                      "platform_ceiling"};

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
    return "PLATFORM=" + Quote(PublicUrl(*platform)) +
           " is malformed: expected http(s)://host[:port][/path]";
  }
  config->use_embedded_fake = false;
  config->platform_url = url.normalised;
  // The client's own rule (client/url.h), so "local" means the same thing to both.
  config->platform_is_local = url.scheme == "http" && IsLoopbackHost(url.host);
  if (!config->platform_is_local && (config->admin_token.empty() || config->tenant_id.empty())) {
    return "PLATFORM=" + config->platform_url + " is non-local: set both ADMIN_TOKEN and TENANT_ID";
  }
  if (!config->platform_is_local && url.scheme == "http") {
    // Allowed, as in the reference harness, but the bearer crosses the network in clear.
    warnings->push_back("PLATFORM=" + config->platform_url +
                        " is plain http to a non-local host: ADMIN_TOKEN is sent "
                        "unencrypted; use https:// if the platform offers it");
  }
  return "";
}

std::string LoadLlmKey(const EnvLookup& env, RunConfig* config) {
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
  if (config->llm_key.empty() && !config->use_embedded_fake) {
    return "set OPENROUTER_API_KEY (or OPENAI_API_KEY) to a non-empty value";
  }
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
  return "";
}

std::string LoadTimes(const EnvLookup& env, RunConfig* config) {
  if (const auto v = NumericSetting(env, "A2A_TIMEOUT")) {
    double secs = 0;
    if (!ParseDecimal(*v, &secs) || secs <= 0 || secs > 86400) {
      return "A2A_TIMEOUT=" + Quote(*v) + " is not a number of seconds in (0, 86400]";
    }
    config->a2a_timeout_secs = secs;
  }
  if (const auto v = NumericSetting(env, "TIME_SCALE")) {
    config->time_scale_set = true;
    double scale = 0;
    if (!ParseDecimal(*v, &scale) || scale <= 0 || scale > 1000) {
      return "TIME_SCALE=" + Quote(*v) + " is not a number in (0, 1000]";
    }
    config->time_scale = scale;
  }
  return "";
}

std::string LoadSwitches(const EnvLookup& env, RunConfig* config) {
  std::string error;
  if (!ParseFlag(env, "DRY_RUN", &config->dry_run, &error) ||
      !ParseFlag(env, "KEEP_WORKSPACES", &config->keep_workspaces, &error)) {
    return error;
  }
  if (const auto v = env("FAKE_SCENARIO")) {
    bool known = false;
    std::string names;
    for (const char* name : kFakeScenarios) {
      known = known || *v == name;
      names += names.empty() ? name : std::string("|") + name;
    }
    if (!known) {
      return "FAKE_SCENARIO=" + Quote(*v) + " is not one of " + names;
    }
    config->fake_scenario = *v;
  }
  return "";
}

}  // namespace

ConfigResult LoadRunConfig(const EnvLookup& env) {
  ConfigResult result;
  RunConfig config;
  std::string error = LoadCredentials(env, &config);
  if (error.empty()) {
    error = LoadPlatform(env, &config, &result.warnings);
  }
  for (const auto load : {&LoadLlmKey, &LoadDepths, &LoadTimes, &LoadSwitches}) {
    if (error.empty()) {
      error = load(env, &config);
    }
  }
  if (!error.empty()) {
    result.error = std::move(error);
    return result;
  }
  result.config = std::move(config);
  return result;
}

std::string MaskSecret(std::string_view secret) {
  if (secret.size() < 12) {
    return "***";
  }
  std::string_view tail = secret.substr(secret.size() - 4);
  // Never start the tail inside a UTF-8 sequence: drop leading continuation bytes.
  while (!tail.empty() && (static_cast<unsigned char>(tail[0]) & 0xC0) == 0x80) {
    tail.remove_prefix(1);
  }
  return "***" + std::string(tail);
}

}  // namespace taskbounds
