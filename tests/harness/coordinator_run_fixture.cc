#include "tests/harness/coordinator_run_fixture.h"

#include <memory>

#include "mocks/embedded_fake_platform.h"

namespace taskbounds {

void CoordinatorRunTest::StartFakeWith(const FakePlatformOptions& options) {
  CheckLeaksAtTearDown();
  ASSERT_NO_FATAL_FAILURE(Start(options, HarnessServerOptions()));
}

RunReport CoordinatorRunTest::RunAll(const RunConfig& config, const RunOptions& options,
                                     WorkspaceJanitor* janitor) {
  std::unique_ptr<WorkspaceJanitor> own;
  if (janitor == nullptr) {
    own = std::make_unique<WorkspaceJanitor>(JanitorOptionsFor(config, fake_->url()), &events_);
    janitor = own.get();
  }
  RunOptions with_plan = options;
  with_plan.plan_out = &plan_;
  CoordinatorRun run(config, fake_->url(), events_, *janitor, with_plan);
  return run.Run();
}

std::vector<std::string> CoordinatorRunTest::Mutating() const {
  std::vector<std::string> found;
  for (const RecordedRequest& r : fake_->server().requests()) {
    if (r.method != "GET" && r.method != "HEAD") {
      found.push_back(r.method + " " + r.path);
    }
  }
  return found;
}

RunConfig EveryProfileRunTest::Config(double time_scale, int depth) {
  RunConfig config = FakeRunConfig(time_scale, depth);
  config.admin_token = kHarnessAdminToken;
  return config;
}

RunConfig EveryProfileRunTest::SecretConfig(double time_scale) {
  RunConfig config = Config(time_scale);
  config.use_embedded_fake = false;  // as with PLATFORM=http://127.0.0.1:...
  config.llm_key = kLlmKey;
  config.llm_key_name = kProbeSecretName;
  return config;
}

}  // namespace taskbounds
