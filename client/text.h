// The one place remote text is made safe to show: every string that came from a platform
// (an error body, a status, an id, a reason built from them) passes through here before it
// reaches a terminal, an event, an XML property or a report. Also the fixed-point and UTC
// formatting every output shares. No curl, no JSON: //mocks may depend on it.
#ifndef CLIENT_TEXT_H_
#define CLIENT_TEXT_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace taskbounds {

// Byte length of the valid UTF-8 sequence that starts at s[i] (1..4), or 0 when the bytes
// there are not one: overlong forms, surrogates, code points past U+10FFFF and truncated
// sequences are all invalid (RFC 3629 section 4). Requires i < s.size().
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

// `s` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD. Valid
// input comes back unchanged, byte for byte.
std::string ValidUtf8(std::string_view s);

// Default output budget of SanitizeRemoteText, in bytes: one readable line.
constexpr std::size_t kDefaultSanitizedBytes = 200;

// The sanitiser. Returns one line of valid UTF-8 of at most `max_bytes` bytes:
//   - every secret the run registered (client/secrets.h) is masked, before anything else;
//   - invalid UTF-8 bytes become U+FFFD;
//   - LF, CR, TAB become "\n", "\r", "\t"; other C0 controls (ESC, BEL, NUL...) and DEL
//     become "\xNN"; C1 controls (U+0080..U+009F, which some terminals obey as escapes) and
//     the line/paragraph separators U+2028/U+2029 become "\uNNNN";
//   - when the escaped text is longer than `max_bytes`, it is cut at a character boundary
//     (never inside a multi-byte character or an escape) and ends in "...".
// Printable text, including any valid non-ASCII character, is kept as it is.
std::string SanitizeRemoteText(std::string_view remote,
                               std::size_t max_bytes = kDefaultSanitizedBytes);

// Strict decimal integer: digits only (no sign, no spaces, at most 9 digits), value in
// [lo, hi]; false otherwise (and *out untouched).
bool ParseIntInRange(std::string_view s, int lo, int hi, int* out);

// `value` with exactly `decimals` digits after the point ("%.*f"), e.g. (2.5, 3) -> "2.500".
std::string FormatDecimal(double value, int decimals);

// "2026-11-24T10:00:00.123Z": UTC, millisecond precision, floor-rounded (instants before
// the epoch still get a 000..999 millisecond part).
std::string FormatUtcMillis(std::chrono::system_clock::time_point ts);

}  // namespace taskbounds

#endif  // CLIENT_TEXT_H_
