#include "tests/support/embedded_fake.h"

#include "gtest/gtest.h"

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
  options.request_timeout_ms = 20000;
  return options;
}

}  // namespace taskbounds
