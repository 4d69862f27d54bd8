#include "client/text.h"

#include <cstdint>
#include <cstdio>
#include <ctime>

#include "client/secrets.h"

namespace taskbounds {
namespace {

constexpr char kReplacementChar[] = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kEllipsis[] = "...";
constexpr std::size_t kEllipsisBytes = sizeof(kEllipsis) - 1;

// Decodes a valid 2..4 byte sequence (checked by Utf8SequenceLength) to its code point.
std::uint32_t DecodeUtf8(std::string_view s, std::size_t i, std::size_t len) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(s[i + k]) & 0xFFu; };
  if (len == 2) {
    return ((byte(0) & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
  }
  if (len == 3) {
    return ((byte(0) & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
  }
  return ((byte(0) & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) |
         (byte(3) & 0x3Fu);
}

std::string HexEscape(unsigned char c) {
  static const char kHex[] = "0123456789abcdef";
  return std::string("\\x") + kHex[c >> 4] + kHex[c & 0xF];
}

std::string UnicodeEscape(std::uint32_t code_point) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(code_point));
  return buf;
}

// The displayed form of one ASCII byte.
std::string EscapeAscii(unsigned char c) {
  switch (c) {
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      break;
  }
  if (c < 0x20 || c == 0x7f) {
    return HexEscape(c);
  }
  return std::string(1, static_cast<char>(c));
}

// The displayed form of the character at raw[i]; sets *consumed to its byte length.
std::string DisplayPiece(std::string_view raw, std::size_t i, std::size_t* consumed) {
  const unsigned char c = static_cast<unsigned char>(raw[i]);
  if (c < 0x80) {
    *consumed = 1;
    return EscapeAscii(c);
  }
  const std::size_t len = Utf8SequenceLength(raw, i);
  if (len == 0) {
    *consumed = 1;
    return kReplacementChar;
  }
  *consumed = len;
  const std::uint32_t code_point = DecodeUtf8(raw, i, len);
  if ((code_point >= 0x80 && code_point <= 0x9F) || code_point == 0x2028 || code_point == 0x2029) {
    return UnicodeEscape(code_point);
  }
  return std::string(raw.substr(i, len));
}

}  // namespace

std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) {
    return 1;
  }
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
    hi = c == 0xED ? 0x9F : 0xBF;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;  // no overlong forms
    hi = c == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) {
    return 0;
  }
  for (std::size_t k = 2; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
  }
  return len;
}

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      out += kReplacementChar;
      ++i;
    } else {
      out.append(s, i, len);
      i += len;
    }
  }
  return out;
}

std::string SanitizeRemoteText(std::string_view remote, std::size_t max_bytes) {
  // Secrets first, on the whole text: a cut below could otherwise keep a secret's head.
  const std::string masked = MaskKnownSecrets(remote);
  const std::string_view raw = masked;
  // Room for the ellipsis is kept back only once the text turns out too long, so a text
  // that fits exactly is never cut.
  const std::size_t cut_budget = max_bytes > kEllipsisBytes ? max_bytes - kEllipsisBytes : 0;
  std::string out;
  std::size_t fits_with_ellipsis = 0;  // out.size() at the last piece that left room for "..."
  for (std::size_t i = 0; i < raw.size();) {
    std::size_t consumed = 1;
    const std::string piece = DisplayPiece(raw, i, &consumed);
    if (out.size() + piece.size() > max_bytes) {
      out.resize(fits_with_ellipsis);
      out += kEllipsis;
      return out.size() <= max_bytes ? out : out.substr(0, max_bytes);
    }
    out += piece;
    if (out.size() <= cut_budget) {
      fits_with_ellipsis = out.size();
    }
    i += consumed;
  }
  return out;
}

bool ParseIntInRange(std::string_view s, int lo, int hi, int* out) {
  if (s.empty() || s.size() > 9) {
    return false;
  }
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) {
    return false;
  }
  *out = static_cast<int>(v);
  return true;
}

std::string FormatDecimal(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, value);
  return buf;
}

std::string FormatUtcMillis(std::chrono::system_clock::time_point ts) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const auto ms_total = duration_cast<milliseconds>(ts.time_since_epoch()).count();
  std::int64_t secs = ms_total / 1000;
  std::int64_t ms = ms_total % 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace taskbounds
