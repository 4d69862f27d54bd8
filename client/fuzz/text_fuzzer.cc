// libFuzzer target: the sanitiser (client/text.h) on arbitrary remote bytes. Its promises
// are checked on every input: valid UTF-8, no raw C0/DEL/C1 control, within the budget.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "client/text.h"

namespace {

bool IsOneSafeLine(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = taskbounds::Utf8SequenceLength(s, i);
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (len == 0 || (len == 1 && (c < 0x20 || c == 0x7f)) ||
        (len == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t budget = data[0];  // 0..255 bytes
  const std::string_view raw(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string out = taskbounds::SanitizeRemoteText(raw, budget);
  if (out.size() > budget || !IsOneSafeLine(out) ||
      taskbounds::SanitizeRemoteText(out, budget) != out) {
    __builtin_trap();
  }
  const std::string valid = taskbounds::ValidUtf8(raw);
  if (taskbounds::ValidUtf8(valid) != valid) {
    __builtin_trap();
  }
  return 0;
}
