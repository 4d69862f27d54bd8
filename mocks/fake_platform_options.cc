#include "mocks/fake_platform_options.h"

#include <sstream>

namespace taskbounds {

const char* ScenarioName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kUnbounded:
      return "unbounded";
    case Scenario::kIdleTimeout:
      return "idle_timeout";
    case Scenario::kAgentCeiling:
      return "agent_ceiling";
    case Scenario::kPlatformCeiling:
      return "platform_ceiling";
    case Scenario::kStallWatchdog:
      return "stall_watchdog";
    case Scenario::kContainerRestart:
      return "container_restart";
    case Scenario::kHeaderTimeout:
      return "header_timeout";
    case Scenario::kAgentFailure:
      return "agent_failure";
    case Scenario::kAgentIdleCap:
      return "agent_idle_cap";
  }
  return "unknown";
}

std::optional<Scenario> ParseScenario(std::string_view name) {
  for (Scenario scenario : AllScenarios()) {
    if (name == ScenarioName(scenario)) {
      return scenario;
    }
  }
  return std::nullopt;
}

std::vector<Scenario> AllScenarios() {
  return {Scenario::kUnbounded,       Scenario::kIdleTimeout,   Scenario::kAgentCeiling,
          Scenario::kPlatformCeiling, Scenario::kStallWatchdog, Scenario::kContainerRestart,
          Scenario::kHeaderTimeout,   Scenario::kAgentFailure,  Scenario::kAgentIdleCap};
}

const char* PlatformVersionName(PlatformVersion version) {
  switch (version) {
    case PlatformVersion::k2026_04:
      return "2026-04";
    case PlatformVersion::k2026_08:
      return "2026-08";
  }
  return "unknown";
}

std::vector<PlatformVersion> AllPlatformVersions() {
  return {PlatformVersion::k2026_04, PlatformVersion::k2026_08};
}

std::optional<PlatformVersion> ParsePlatformVersion(std::string_view name) {
  for (PlatformVersion version : AllPlatformVersions()) {
    if (name == PlatformVersionName(version)) {
      return version;
    }
  }
  return std::nullopt;
}

std::string PlatformVersionChoices() {
  std::string choices;
  const std::vector<PlatformVersion> all = AllPlatformVersions();
  for (std::size_t i = 0; i < all.size(); ++i) {
    choices += i == 0 ? "" : (i + 1 == all.size() ? " or " : ", ");
    choices += PlatformVersionName(all[i]);
  }
  return choices;
}

PlatformVersion EffectivePlatformVersion(const FakePlatformOptions& options) {
  return options.platform_version.value_or(kDefaultPlatformVersion);
}

std::string DescribeOptions(const FakePlatformOptions& options) {
  std::ostringstream out;
  out << "platform " << PlatformVersionName(EffectivePlatformVersion(options)) << ", scenario "
      << ScenarioName(options.scenario) << ", time_scale " << options.time_scale << ", auth "
      << (!options.admin_token.empty()                                     ? "on"
          : EffectivePlatformVersion(options) == PlatformVersion::k2026_04 ? "off"
                                                                           : "fail-closed")
      << ", tenancy " << (options.org_id.empty() ? "off" : "on") << ", rate_limit "
      << options.rate_limit_per_minute;
  if (options.approval_gate) {
    out << ", approval gate on";
  }
  if (!options.platform_root && EffectivePlatformVersion(options) == PlatformVersion::k2026_08) {
    out << ", no platform root";
  }
  if (options.phantom_busy_reset) {
    out << ", phantom-busy reset on";
  }
  return out.str();
}

void PrintTo(const FakePlatformOptions& options, std::ostream* os) {
  *os << DescribeOptions(options);
}

}  // namespace taskbounds
