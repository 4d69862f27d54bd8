// libFuzzer target: the PM's server-sent event stream (client/event_stream.h) as the
// platform could send it. The input is fed to the SSE framer in chunks whose sizes come from
// the first byte (so frames split across reads are covered), with a small frame cap; every
// completed frame goes through ParseStreamEvent. Nothing may crash, hang or leak; a frame
// never exceeds the cap, and an error is one line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/event_stream.h"

namespace {

constexpr std::size_t kFrameCap = 4096;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t chunk = 1 + data[0] % 64;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  taskbounds::SseFramer framer(kFrameCap);
  std::vector<std::string> frames;
  while (!rest.empty()) {
    const std::size_t n = rest.size() < chunk ? rest.size() : chunk;
    framer.Feed(rest.substr(0, n), &frames);
    rest.remove_prefix(n);
  }
  for (const std::string& frame : frames) {
    if (frame.size() > kFrameCap) {
      __builtin_trap();  // the cap must hold whatever the stream sends
    }
    std::string error;
    if (!taskbounds::ParseStreamEvent(frame, &error) && error.find('\n') != std::string::npos) {
      __builtin_trap();  // errors are printed as one line
    }
  }
  return 0;
}
