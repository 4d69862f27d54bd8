#include "mocks/embedded_fake_platform.h"

#include <cstdlib>
#include <utility>

namespace taskbounds {

EmbeddedFakePlatform::EmbeddedFakePlatform(const FakePlatformOptions& options,
                                           const ServerOptions& server_options)
    : backend_(options), server_(backend_, server_options) {}

std::optional<std::string> ApplyPlatformVersionEnv(const char* env_value,
                                                   FakePlatformOptions* options) {
  if (options->platform_version || env_value == nullptr || *env_value == '\0') {
    return std::nullopt;
  }
  const std::optional<PlatformVersion> version = ParsePlatformVersion(env_value);
  if (!version) {
    return std::string(kPlatformVersionEnv) + "=" + env_value +
           " is not a platform version: set it to " + PlatformVersionChoices() + ", or unset it";
  }
  options->platform_version = version;
  return std::nullopt;
}

std::unique_ptr<EmbeddedFakePlatform> EmbeddedFakePlatform::Start(
    const FakePlatformOptions& options, std::string* error, const ServerOptions& server_options) {
  FakePlatformOptions chosen = options;
  if (auto bad = ApplyPlatformVersionEnv(std::getenv(kPlatformVersionEnv), &chosen)) {
    if (error != nullptr) {
      *error = "fake platform: " + *bad;
    }
    return nullptr;
  }
  std::unique_ptr<EmbeddedFakePlatform> fake(new EmbeddedFakePlatform(chosen, server_options));
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
