#include "mocks/platform/profiles.h"

#include "mocks/platform/profile_2026_04.h"
#include "mocks/platform/profile_2026_08.h"

namespace taskbounds {

std::unique_ptr<const PlatformProfile> MakePlatformProfile(PlatformVersion version) {
  switch (version) {
    case PlatformVersion::k2026_04:
      return std::make_unique<Profile2026_04>();
    case PlatformVersion::k2026_08:
      return std::make_unique<Profile2026_08>();
  }
  return std::make_unique<Profile2026_04>();
}

}  // namespace taskbounds
