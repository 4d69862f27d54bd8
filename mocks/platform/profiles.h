// The profile of each platform version the fake models (FakePlatformOptions::platform_version).
#ifndef MOCKS_PLATFORM_PROFILES_H_
#define MOCKS_PLATFORM_PROFILES_H_

#include <memory>

#include "mocks/fake_platform_options.h"
#include "mocks/platform/platform_profile.h"

namespace taskbounds {

std::unique_ptr<const PlatformProfile> MakePlatformProfile(PlatformVersion version);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_PROFILES_H_
