// libFuzzer target: response header blocks (client/wire.h HeaderValue), as libcurl hands
// them over from any server. Every lookup must stay inside the block, and a value found
// must be a substring of it with no line break.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view block(reinterpret_cast<const char*>(data), size);
  for (const char* name : {"Retry-After", "Content-Type", "", ":"}) {
    const std::optional<std::string> value = taskbounds::HeaderValue(block, name);
    if (value &&
        (value->find('\n') != std::string::npos || block.find(*value) == std::string_view::npos)) {
      __builtin_trap();
    }
  }
  return 0;
}
