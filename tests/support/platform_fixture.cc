#include "tests/support/platform_fixture.h"

#include <thread>

namespace taskbounds {

std::unique_ptr<EmbeddedFakePlatform> StartFake(const FakePlatformOptions& options,
                                                const ServerOptions& server_options) {
  std::string error;
  auto fake = EmbeddedFakePlatform::Start(options, &error, server_options);
  EXPECT_NE(fake, nullptr) << "cannot start the embedded fake platform: " << error;
  return fake;
}

ClientOptions ClientFor(const EmbeddedFakePlatform& fake, const std::string& admin_token,
                        const std::string& tenant_id) {
  ClientOptions options;
  options.base_url = fake.url();
  options.admin_token = admin_token;
  options.tenant_id = tenant_id;
  options.connect_timeout_ms = 5000;
  options.request_timeout_ms = DefaultWaitMs();
  return options;
}

FakePlatformOptions FastOptions(double time_scale) {
  FakePlatformOptions options;
  options.time_scale = time_scale;
  return options;
}

FakePlatformOptions FastOptions(PlatformVersion version, double time_scale) {
  FakePlatformOptions options = FastOptions(time_scale);
  options.platform_version = version;
  return options;
}

FakePlatformOptions HarnessOptions(PlatformVersion version, double time_scale) {
  FakePlatformOptions options = FastOptions(version, time_scale);
  options.admin_token = kHarnessAdminToken;
  return options;
}

std::string ProfileParamName(const testing::TestParamInfo<PlatformVersion>& info) {
  const std::string name = PlatformVersionName(info.param);  // "2026-04"
  return "V" + name.substr(0, 4) + "_" + name.substr(5);
}

void PrintTo(PlatformVersion version, std::ostream* os) { *os << PlatformVersionName(version); }

testing::AssertionResult WaitForStatus(PlatformClient& client, const std::string& id,
                                       const std::string& status,
                                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "(no successful poll)";
  while (true) {
    auto got = client.GetWorkspace(id);
    if (got.ok()) {
      if (got.value->status == status) {
        return testing::AssertionSuccess();
      }
      last = got.value->status;
    } else {
      last = got.error;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return testing::AssertionFailure() << "workspace " << id << " not " << status << " within "
                                     << timeout.count() << " ms; last: " << last;
}

testing::AssertionResult CreateOnline(PlatformClient& client, const std::string& name,
                                      std::string* id, std::chrono::milliseconds timeout,
                                      const std::string& template_name) {
  auto created = client.CreateWorkspace({name, "role of " + name, 2, template_name});
  if (!created.ok()) {
    return testing::AssertionFailure() << "create failed: " << created.error;
  }
  *id = created.value->id;
  return WaitForStatus(client, *id, "online", timeout);
}

std::string KickoffText(int depth) {
  return "You are coordinating a research analysis. Delegate " + std::to_string(depth) +
         " separate sub-questions to the Researcher (one at a time), then synthesize.";
}

void FakePlatformTest::Start(const FakePlatformOptions& options,
                             const ServerOptions& server_options) {
  if (fake_) {
    fake_->Stop();
  }
  client_.reset();
  fake_ = StartFake(options, server_options);
  ASSERT_NE(fake_, nullptr);
  client_ = std::make_unique<PlatformClient>(ClientFor(*fake_));
}

void FakePlatformTest::TearDown() {
  if (fake_ && check_leaks_) {
    ExpectNoWorkspacesLeft(*fake_);
  }
}

ServerOptions HarnessServerOptions() {
  ServerOptions server_options;
  server_options.worker_threads = 16;
  return server_options;
}

std::unique_ptr<EmbeddedFakePlatform> StartHarnessFake(const FakePlatformOptions& options) {
  return StartFake(options, HarnessServerOptions());
}

RunConfig FakeRunConfig(double time_scale, int depth) {
  RunConfig config;
  config.use_embedded_fake = true;
  config.platform_is_local = true;
  config.time_scale = time_scale;
  config.synthesis_depth = depth;
  config.synthesis_depths = {depth};
  return config;
}

testing::AssertionResult CreateLinkedPair(PlatformClient& client, std::string* pm,
                                          std::string* child) {
  const auto p = client.CreateWorkspace({"PM", "Coordinator", 2, kTemplateOnEveryProfile});
  if (!p.ok()) {
    return testing::AssertionFailure() << p.error;
  }
  *pm = p.value->id;
  const auto c = client.CreateWorkspace({"Researcher", "Research", 2, kTemplateOnEveryProfile});
  if (!c.ok()) {
    return testing::AssertionFailure() << c.error;
  }
  *child = c.value->id;
  const auto link = client.PatchParent(*child, *pm);
  if (!link.ok()) {
    return testing::AssertionFailure() << link.error;
  }
  return testing::AssertionSuccess();
}

std::string Describe(const std::vector<std::string>& ids) {
  std::string out = std::to_string(ids.size()) + " [";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += (i ? ", " : "") + ids[i];
  }
  return out + "]";
}

void ExpectNoWorkspacesLeft(EmbeddedFakePlatform& fake) {
  fake.server().ClearFaults();
  const std::vector<std::string> left = fake.backend().LiveWorkspaceIds();
  testing::Test::RecordProperty("workspaces_left", static_cast<int>(left.size()));
  EXPECT_TRUE(left.empty()) << "left behind: " << Describe(left);
  // With the fake's own credentials: a 2026-08 fake fails closed without its admin token.
  PlatformClient client(ClientFor(fake, fake.options().admin_token, fake.options().org_id));
  for (const std::string& id : left) {
    (void)client.DeleteWorkspace(id, /*confirm=*/true);
  }
}

}  // namespace taskbounds
