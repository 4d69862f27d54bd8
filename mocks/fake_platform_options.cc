#include "mocks/fake_platform_options.h"

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
  }
  return "unknown";
}

std::optional<Scenario> ParseScenario(std::string_view name) {
  for (Scenario scenario : {Scenario::kUnbounded, Scenario::kIdleTimeout, Scenario::kAgentCeiling,
                            Scenario::kPlatformCeiling}) {
    if (name == ScenarioName(scenario)) {
      return scenario;
    }
  }
  return std::nullopt;
}

}  // namespace taskbounds
