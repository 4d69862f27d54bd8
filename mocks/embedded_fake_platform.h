// EmbeddedFakePlatform: an in-process fake Molecule platform (InMemoryPlatform behind a
// FakePlatformServer on 127.0.0.1, free port) for hermetic tests and the measure tool.
//
//   std::string error;
//   auto fake = EmbeddedFakePlatform::Start(options, &error);
//   if (!fake) { ... error ... }
//   PlatformClient client({.base_url = fake->url()});
//   ...
//   fake->Stop();  // also done by the destructor
#ifndef MOCKS_EMBEDDED_FAKE_PLATFORM_H_
#define MOCKS_EMBEDDED_FAKE_PLATFORM_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mocks/fake_platform_options.h"
#include "mocks/fake_platform_server.h"
#include "mocks/in_memory_platform.h"

namespace taskbounds {

// The environment variable that picks the embedded fake's platform version when the
// options leave it unset: "2026-04" or "2026-08"; unset or empty = the default.
inline constexpr char kPlatformVersionEnv[] = "FAKE_PLATFORM_VERSION";

// Fills options->platform_version from `env_value` (the variable's value, null if unset)
// when the options leave it unset. The one-line error names the variable, the value and the
// accepted values; nullopt when fine.
std::optional<std::string> ApplyPlatformVersionEnv(const char* env_value,
                                                   FakePlatformOptions* options);

class EmbeddedFakePlatform {
 public:
  // Builds and starts the fake; nullptr with `*error` set (if non-null) when it cannot
  // bind or start, or when FAKE_PLATFORM_VERSION is not a platform version. An unset
  // options.platform_version is taken from FAKE_PLATFORM_VERSION.
  static std::unique_ptr<EmbeddedFakePlatform> Start(const FakePlatformOptions& options,
                                                     std::string* error,
                                                     const ServerOptions& server_options = {});
  ~EmbeddedFakePlatform();
  EmbeddedFakePlatform(const EmbeddedFakePlatform&) = delete;
  EmbeddedFakePlatform& operator=(const EmbeddedFakePlatform&) = delete;

  // "http://127.0.0.1:PORT" + path.
  std::string url(std::string_view path = "") const;
  int port() const;
  const FakePlatformOptions& options() const;
  InMemoryPlatform& backend();
  FakePlatformServer& server();

  // Wakes blocked A2A calls, stops the server and joins its threads. Idempotent.
  void Stop();

 private:
  explicit EmbeddedFakePlatform(const FakePlatformOptions& options,
                                const ServerOptions& server_options);

  InMemoryPlatform backend_;
  FakePlatformServer server_;
};

}  // namespace taskbounds

#endif  // MOCKS_EMBEDDED_FAKE_PLATFORM_H_
