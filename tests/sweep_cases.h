// The depth sweep's cases: every scenario (fake) x VARIANTS x SYNTHESIS_DEPTHS x REPEAT, read
// from the environment while gtest registers tests, and their test names
// (Fake/.../IdleTimeoutDepth8, Live/.../HermesDepth3Run2).
#ifndef TESTS_SWEEP_CASES_H_
#define TESTS_SWEEP_CASES_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "client/config.h"
#include "gtest/gtest.h"
#include "mocks/fake_platform_options.h"

namespace taskbounds {

struct SweepCase {
  std::optional<Scenario> scenario;  // fake only
  int depth = 0;
  // VARIANTS' template/model pair for both workspaces; unset when VARIANTS is not given
  // (the run then uses PM_TEMPLATE, CHILD_TEMPLATE and MODEL, and names stay as before).
  std::optional<Variant> variant;
  int run = 0;  // 1..REPEAT when REPEAT > 1, else 0 (and no "Run" suffix)
};

// "IdleTimeoutHermesDepth8Run2": scenario, variant, depth, run.
std::string CaseName(const SweepCase& c);
std::string SweepCaseName(const testing::TestParamInfo<SweepCase>& info);
// gtest prints parameters of failed tests with this instead of raw bytes.
void PrintTo(const SweepCase& c, std::ostream* os);

// Whether the embedded fake runs the 2026-08 profile: FAKE_PLATFORM_VERSION as the fake
// itself reads it, else the fake's default.
bool TodaysProfileChosen();

// The cases against the embedded fake (empty when PLATFORM is set): the profile's
// scenarios, or FAKE_SCENARIO's alone.
std::vector<SweepCase> FakeCases();
// The cases against PLATFORM (empty without it).
std::vector<SweepCase> LiveCases();

}  // namespace taskbounds

#endif  // TESTS_SWEEP_CASES_H_
