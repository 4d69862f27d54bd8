// Helpers of the RunConfig tests (config_test.cc, config_runner_test.cc): an environment as
// a map, and loading it expecting success or a one-line error.
#ifndef TESTS_CLIENT_CONFIG_ENV_H_
#define TESTS_CLIENT_CONFIG_ENV_H_

#include <map>
#include <optional>
#include <string>

#include "client/config.h"
#include "gtest/gtest.h"

namespace taskbounds {
namespace testing_support {

using Env = std::map<std::string, std::string>;

inline EnvLookup FromMap(const Env& env) {
  return [env](const std::string& name) -> std::optional<std::string> {
    const auto it = env.find(name);
    if (it == env.end()) {
      return std::nullopt;
    }
    return it->second;
  };
}

// A live, local platform with a key: valid, so each test varies one thing.
inline Env LocalEnv() {
  return {{"PLATFORM", "http://localhost:8080"}, {"OPENROUTER_API_KEY", "sk-or-k"}};
}

inline Env With(Env env, const std::string& name, const std::string& value) {
  env[name] = value;
  return env;
}

inline RunConfig MustLoad(const Env& env) {
  const ConfigResult r = LoadRunConfig(FromMap(env));
  EXPECT_TRUE(r.ok()) << r.error;
  return r.ok() ? *r.config : RunConfig{};
}

inline std::string MustFail(const Env& env) {
  const ConfigResult r = LoadRunConfig(FromMap(env));
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(r.error.find('\n'), std::string::npos) << "error is not one line: " << r.error;
  return r.error;
}

}  // namespace testing_support
}  // namespace taskbounds

#endif  // TESTS_CLIENT_CONFIG_ENV_H_
