// Strings that break hand-built JSON, headers or logs: used to check that values travel
// byte-exact through the client's request bodies and the event log.
#ifndef TESTS_SUPPORT_HOSTILE_STRINGS_H_
#define TESTS_SUPPORT_HOSTILE_STRINGS_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace taskbounds {
namespace testing_support {

struct HostileString {
  std::string name;  // alphanumeric: used as the gtest parameter name
  std::string value;
};

inline std::ostream& operator<<(std::ostream& os, const HostileString& s) { return os << s.name; }

inline std::vector<HostileString> HostileStrings() {
  std::string controls;
  for (int c = 0x01; c <= 0x1f; ++c) {
    controls.push_back(static_cast<char>(c));
  }
  controls.push_back('\x7f');

  // 100 KiB mixing every awkward class, so escaping bugs show up anywhere in a long value.
  std::string large;
  const std::string unit = "q\"b\\n\n\t\xC3\xA9\xF0\x9F\x98\x80</script>";
  while (large.size() < std::size_t{100} * 1024) {
    large += unit;
  }
  // Cut at a character boundary (never inside a multi-byte sequence: the string must stay
  // valid UTF-8), pad with ASCII to exactly 100 KiB.
  const std::size_t body = std::size_t{100} * 1024 - 4;
  std::size_t cut = body;
  while (cut > 0 && (static_cast<unsigned char>(large[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  large.resize(cut);
  large.append(body - cut, '.');
  large += "tail";

  return {
      {"Quotes", "say \"hello\" and 'bye'"},
      {"Backslashes", "C:\\path\\to\\file \\\\ \\u0041 \\\""},
      {"ControlCharacters", controls},
      {"Newlines", "line one\nline two\r\nline three\r"},
      {"EmbeddedNul", std::string("before\0after", 12)},
      {"MultiByteUtf8",
       "caf\xC3\xA9 \xE2\x80\x94 \xE4\xB8\xAD\xE6\x96\x87 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"},
      {"FourByteEmoji", "\xF0\x9F\x98\x80\xF0\x9F\x9A\x80 rocket"},
      {"ScriptTag", "</script>"},
      {"JsonLooking", "{\"jsonrpc\":\"2.0\",\"id\":1}\",\"injected\":\"x"},
      {"HeaderLooking", "x\r\nAuthorization: Bearer stolen\r\n\r\n"},
      {"Empty", ""},
      {"Large100KiB", large},
  };
}

inline std::string HostileStringName(const ::testing::TestParamInfo<HostileString>& info) {
  return info.param.name;
}

}  // namespace testing_support
}  // namespace taskbounds

#endif  // TESTS_SUPPORT_HOSTILE_STRINGS_H_
