#include "mocks/embedded_fake_platform.h"

#include <utility>

namespace taskbounds {

EmbeddedFakePlatform::EmbeddedFakePlatform(const FakePlatformOptions& options,
                                           const ServerOptions& server_options)
    : backend_(options), server_(backend_, server_options) {}

std::unique_ptr<EmbeddedFakePlatform> EmbeddedFakePlatform::Start(
    const FakePlatformOptions& options, std::string* error, const ServerOptions& server_options) {
  std::unique_ptr<EmbeddedFakePlatform> fake(new EmbeddedFakePlatform(options, server_options));
  const StartResult started = fake->server_.Start();
  if (!started.ok()) {
    if (error != nullptr) {
      *error = "fake platform: " + started.error;
    }
    return nullptr;  // the destructor stops whatever did start
  }
  return fake;
}

EmbeddedFakePlatform::~EmbeddedFakePlatform() { Stop(); }

std::string EmbeddedFakePlatform::url(std::string_view path) const { return server_.url(path); }

int EmbeddedFakePlatform::port() const { return server_.port(); }

const FakePlatformOptions& EmbeddedFakePlatform::options() const { return backend_.options(); }

InMemoryPlatform& EmbeddedFakePlatform::backend() { return backend_; }

FakePlatformServer& EmbeddedFakePlatform::server() { return server_; }

void EmbeddedFakePlatform::Stop() { server_.Stop(); }

}  // namespace taskbounds
