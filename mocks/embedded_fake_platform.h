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
#include <string>
#include <string_view>

#include "mocks/fake_platform_options.h"
#include "mocks/fake_platform_server.h"
#include "mocks/in_memory_platform.h"

namespace taskbounds {

class EmbeddedFakePlatform {
 public:
  // Builds and starts the fake; nullptr with `*error` set (if non-null) when it cannot
  // bind or start.
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
