// Starting an embedded fake platform inside a test, and pointing a client at it. Shared by
// the fake's own tests (tests/fake) and the harness tests (tests/harness).
#ifndef TESTS_SUPPORT_EMBEDDED_FAKE_H_
#define TESTS_SUPPORT_EMBEDDED_FAKE_H_

#include <memory>
#include <string>

#include "client/platform_client.h"
#include "mocks/embedded_fake_platform.h"

namespace taskbounds {

// Starts the fake, or records a failure of the current test (with the reason) and returns
// null: check the result (ASSERT_NE(fake, nullptr)).
std::unique_ptr<EmbeddedFakePlatform> StartFake(const FakePlatformOptions& options,
                                                const ServerOptions& server_options = {});

// Client options for `fake`: its URL, optional credentials, test-sized timeouts.
ClientOptions ClientFor(const EmbeddedFakePlatform& fake, const std::string& admin_token = "",
                        const std::string& tenant_id = "");

}  // namespace taskbounds

#endif  // TESTS_SUPPORT_EMBEDDED_FAKE_H_
