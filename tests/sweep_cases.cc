#include "tests/sweep_cases.h"

#include <cstdlib>

#include "mocks/embedded_fake_platform.h"  // kPlatformVersionEnv

namespace taskbounds {
namespace {

std::string CamelName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kUnbounded:
      return "Unbounded";
    case Scenario::kIdleTimeout:
      return "IdleTimeout";
    case Scenario::kAgentCeiling:
      return "AgentCeiling";
    case Scenario::kPlatformCeiling:
      return "PlatformCeiling";
    case Scenario::kStallWatchdog:
      return "StallWatchdog";
    case Scenario::kContainerRestart:
      return "ContainerRestart";
    case Scenario::kHeaderTimeout:
      return "HeaderTimeout";
    case Scenario::kAgentFailure:
      return "AgentFailure";
    case Scenario::kAgentIdleCap:
      return "AgentIdleCap";
  }
  return "Unknown";
}

// The sweep is built while gtest registers tests, before the environment's SetUp: read the
// same variables. A bad configuration falls back to defaults here and fails in SetUp.
RunConfig SweepConfig() {
  const ConfigResult loaded = LoadRunConfig(ProcessEnv());
  return loaded.ok() ? *loaded.config : RunConfig{};
}

// The second sweep axis: each VARIANTS item, or one unset variant when VARIANTS is not given.
std::vector<std::optional<Variant>> SweptVariants(const RunConfig& config) {
  const std::optional<std::string> given = ProcessEnv()("VARIANTS");
  if (!given || given->find_first_not_of(" \t") == std::string::npos) {
    return {std::nullopt};
  }
  return {config.variants.begin(), config.variants.end()};
}

// Every variant x depth of `config`, each REPEAT times, for `scenario` (unset: live).
void AppendCases(const RunConfig& config, std::optional<Scenario> scenario,
                 std::vector<SweepCase>* cases) {
  for (const std::optional<Variant>& variant : SweptVariants(config)) {
    for (int depth : config.synthesis_depths) {
      for (int run = 1; run <= config.repeat; ++run) {
        cases->push_back({scenario, depth, variant, config.repeat > 1 ? run : 0});
      }
    }
  }
}

}  // namespace

std::string CaseName(const SweepCase& c) {
  return (c.scenario ? CamelName(*c.scenario) : "") + (c.variant ? c.variant->name : "") + "Depth" +
         std::to_string(c.depth) + (c.run > 0 ? "Run" + std::to_string(c.run) : "");
}

std::string SweepCaseName(const testing::TestParamInfo<SweepCase>& info) {
  return CaseName(info.param);
}

void PrintTo(const SweepCase& c, std::ostream* os) { *os << CaseName(c); }

// Whether the embedded fake runs the 2026-08 profile: FAKE_PLATFORM_VERSION as the fake
// itself reads it, else the fake's default.
bool TodaysProfileChosen() {
  const char* named = std::getenv(kPlatformVersionEnv);
  const std::optional<PlatformVersion> version =
      named != nullptr ? ParsePlatformVersion(named) : kDefaultPlatformVersion;
  return version == PlatformVersion::k2026_08;
}

std::vector<SweepCase> FakeCases() {
  const RunConfig config = SweepConfig();
  if (!config.use_embedded_fake) {
    return {};
  }
  // Today's profile models every mechanism of DESIGN.md; 2026-04 the four it had.
  std::vector<Scenario> scenarios =
      TodaysProfileChosen()
          ? AllScenarios()
          : std::vector<Scenario>{Scenario::kUnbounded, Scenario::kIdleTimeout,
                                  Scenario::kAgentCeiling, Scenario::kPlatformCeiling};
  if (const auto only = ProcessEnv()("FAKE_SCENARIO")) {
    if (const auto parsed = ParseScenario(*only)) {
      scenarios = {*parsed};
    }
  }
  std::vector<SweepCase> cases;
  for (Scenario s : scenarios) {
    AppendCases(config, s, &cases);
  }
  return cases;
}

std::vector<SweepCase> LiveCases() {
  const RunConfig config = SweepConfig();
  if (config.use_embedded_fake) {
    return {};
  }
  std::vector<SweepCase> cases;
  AppendCases(config, std::nullopt, &cases);
  return cases;
}

}  // namespace taskbounds
