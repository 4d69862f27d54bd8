// The 2026-08 platform (platform-api-2026-08.md; EnterOS-AI/enteros-core aeec8e47). Starts
// as an exact copy of 2026-04: issues 9 and 10 override the answers that changed
// (platform-api-2026-08.md section 0), one virtual at a time.
#ifndef MOCKS_PLATFORM_PROFILE_2026_08_H_
#define MOCKS_PLATFORM_PROFILE_2026_08_H_

#include "mocks/platform/profile_2026_04.h"

namespace taskbounds {

class Profile2026_08 : public Profile2026_04 {
 public:
  PlatformVersion version() const override { return PlatformVersion::k2026_08; }
  // Sections 4-6: the task's life (mocks/in_memory_platform_2026_08.cc).
  bool DetachesTasks() const override { return true; }
};

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_PROFILE_2026_08_H_
