#include "client/secrets.h"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <utility>

namespace taskbounds {
namespace {

bool IsTokenByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '-' || c >= 0x80;
}

// Decodes the UTF-8 character at s[*i] (advancing *i); U+FFFD for a bad sequence, which
// then cannot match a JSON escape of valid text, so nothing is lost by it.
unsigned DecodeUtf8(std::string_view s, std::size_t* i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(*i);
  const std::size_t len = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (lead < 0x80 || *i + len > s.size()) {
    ++*i;
    return lead < 0x80 ? lead : 0xFFFD;
  }
  unsigned cp = lead & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    cp = (cp << 6) | (byte(*i + k) & 0x3F);
  }
  *i += len;
  return cp;
}

std::string Hex4(unsigned unit, bool upper) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), upper ? "\\u%04X" : "\\u%04x", unit & 0xFFFF);
  return buf;
}

// One JSON-escaped spelling of `secret`.
struct EscapeStyle {
  bool solidus = false;    // '/' as "\/"
  bool ascii = false;      // non-ASCII as \uXXXX (surrogate pairs above U+FFFF)
  bool upper_hex = false;  // \u001F rather than \u001f
};

std::string JsonEscaped(std::string_view secret, EscapeStyle style) {
  std::string out;
  for (std::size_t i = 0; i < secret.size();) {
    const unsigned char c = static_cast<unsigned char>(secret[i]);
    if (c >= 0x80 && style.ascii) {
      const unsigned cp = DecodeUtf8(secret, &i);
      if (cp >= 0x10000) {
        out += Hex4(0xD800 + ((cp - 0x10000) >> 10), style.upper_hex);
        out += Hex4(0xDC00 + ((cp - 0x10000) & 0x3FF), style.upper_hex);
      } else {
        out += Hex4(cp, style.upper_hex);
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '/':
        out += style.solidus ? "\\/" : "/";
        break;
      default:
        out += c < 0x20 ? Hex4(c, style.upper_hex) : std::string(1, static_cast<char>(c));
    }
  }
  return out;
}

// Every spelling of `secret` to look for: as given, then each distinct JSON-escaped form.
std::vector<std::string> Spellings(const std::string& secret) {
  std::vector<std::string> forms = {secret};
  for (int bits = 0; bits < 8; ++bits) {
    const EscapeStyle style{(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0};
    std::string form = JsonEscaped(secret, style);
    if (std::find(forms.begin(), forms.end(), form) == forms.end()) {
      forms.push_back(std::move(form));
    }
  }
  return forms;
}

// A secret with its spellings worked out once (the registry keeps these).
struct KnownSecret {
  std::string value;
  std::vector<std::string> spellings;
};

std::vector<KnownSecret> Known(const std::vector<std::string>& secrets) {
  std::vector<KnownSecret> known;
  for (const std::string& secret : secrets) {
    if (secret.size() >= kMinSecretBytes) {
      known.push_back({secret, Spellings(secret)});
    }
  }
  return known;
}

struct Span {
  std::size_t begin;
  std::size_t end;
  const std::string* secret;  // whose mask stands for the span
};

bool IsWholeToken(std::string_view text, std::size_t begin, std::size_t end) {
  return (begin == 0 || !IsTokenByte(static_cast<unsigned char>(text[begin - 1]))) &&
         (end == text.size() || !IsTokenByte(static_cast<unsigned char>(text[end])));
}

// Every occurrence of every spelling of every secret, as spans of `text`.
std::vector<Span> FindOccurrences(std::string_view text, const std::vector<KnownSecret>& secrets) {
  std::vector<Span> spans;
  for (const KnownSecret& secret : secrets) {
    const bool whole_token_only = secret.value.size() < kMinSubstringSecretBytes;
    for (const std::string& form : secret.spellings) {
      for (std::size_t at = text.find(form); at != std::string_view::npos;
           at = text.find(form, at + 1)) {
        if (!whole_token_only || IsWholeToken(text, at, at + form.size())) {
          spans.push_back({at, at + form.size(), &secret.value});
        }
      }
    }
  }
  return spans;
}

std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}

std::vector<KnownSecret>& Registry() {
  static std::vector<KnownSecret> secrets;
  return secrets;
}

}  // namespace

std::string MaskSecret(std::string_view secret) {
  if (secret.size() < 12) {
    return "***";
  }
  std::string_view tail = secret.substr(secret.size() - 4);
  // Never start the tail inside a UTF-8 sequence: drop leading continuation bytes.
  while (!tail.empty() && (static_cast<unsigned char>(tail[0]) & 0xC0) == 0x80) {
    tail.remove_prefix(1);
  }
  return "***" + std::string(tail);
}

namespace {

// MaskSecretsIn with the spellings already worked out.
std::string MaskKnown(std::string_view text, const std::vector<KnownSecret>& secrets) {
  std::vector<Span> spans = FindOccurrences(text, secrets);
  if (spans.empty()) {
    return std::string(text);
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t copied = 0;
  for (std::size_t k = 0; k < spans.size();) {
    Span merged = spans[k];
    // Overlapping or touching occurrences become one span; the one ending last names it.
    for (++k; k < spans.size() && spans[k].begin <= merged.end; ++k) {
      if (spans[k].end >= merged.end) {
        merged.end = spans[k].end;
        merged.secret = spans[k].secret;
      }
    }
    out.append(text.substr(copied, merged.begin - copied));
    out += MaskSecret(*merged.secret);
    copied = merged.end;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace

std::string MaskSecretsIn(std::string_view text, const std::vector<std::string>& secrets) {
  return MaskKnown(text, Known(secrets));
}

void RegisterSecret(std::string_view secret) {
  if (secret.size() < kMinSecretBytes) {
    return;
  }
  std::lock_guard<std::mutex> lock(RegistryMutex());
  std::vector<KnownSecret>& secrets = Registry();
  const bool known = std::any_of(secrets.begin(), secrets.end(),
                                 [&](const KnownSecret& k) { return k.value == secret; });
  if (!known) {
    secrets.push_back({std::string(secret), Spellings(std::string(secret))});
  }
}

std::string MaskKnownSecrets(std::string_view text) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  return Registry().empty() ? std::string(text) : MaskKnown(text, Registry());
}

}  // namespace taskbounds
