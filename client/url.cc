#include "client/url.h"

#include <algorithm>

#include "client/text.h"

namespace taskbounds {
namespace {

// Digits only, 1..65535.
bool IsPortNumber(const std::string& s) {
  int port = 0;
  return ParseIntInRange(s, 1, 65535, &port);
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

bool IsHexDigitOrColonOrDot(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

bool IsHostNameChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '.' || c == '_';
}

// "http" or "https" from a case-insensitive "http://" / "https://" prefix; "" otherwise.
std::string SchemeOf(const std::string& raw) {
  for (const char* scheme : {"http", "https"}) {
    const std::string prefix = std::string(scheme) + "://";
    if (raw.size() >= prefix.size() && Lower(raw.substr(0, prefix.size())) == prefix) {
      return scheme;
    }
  }
  return "";
}

// Splits "host[:port]" or "[v6]:port" into a validated host and port ("" when absent).
bool SplitAuthority(const std::string& authority, std::string* host, std::string* port) {
  std::string after;
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string::npos || close == 1) {
      return false;
    }
    *host = authority.substr(0, close + 1);
    for (char c : host->substr(1, host->size() - 2)) {
      if (!IsHexDigitOrColonOrDot(c)) {
        return false;
      }
    }
    after = authority.substr(close + 1);
  } else {
    const std::size_t colon = authority.find(':');
    *host = authority.substr(0, colon);
    after = colon == std::string::npos ? "" : authority.substr(colon);
    for (char c : *host) {
      if (!IsHostNameChar(c)) {
        return false;
      }
    }
  }
  if (!after.empty()) {
    if (after[0] != ':' || !IsPortNumber(after.substr(1))) {
      return false;
    }
    *port = after.substr(1);
  }
  return !host->empty();
}

}  // namespace

bool ParsePlatformUrl(const std::string& raw, PlatformUrl* out, bool* has_userinfo) {
  *has_userinfo = false;
  for (unsigned char c : raw) {
    if (c <= 0x20 || c == 0x7f || c == '?' || c == '#' || c == '\\') {
      return false;
    }
  }
  const std::string scheme = SchemeOf(raw);
  if (scheme.empty()) {
    return false;
  }
  const std::string rest = raw.substr(scheme.size() + 3);
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string::npos) {
    *has_userinfo = true;
    return false;
  }
  std::string host;
  std::string port;
  if (!SplitAuthority(authority, &host, &port)) {
    return false;
  }
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }
  out->scheme = scheme;
  out->host = Lower(host);
  out->normalised = scheme + "://" + out->host + (port.empty() ? "" : ":" + port) + path;
  return true;
}

// Host part of an http(s) URL, lower-cased; "" when it cannot be found.
std::string UrlHost(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return "";
  }
  std::size_t start = scheme_end + 3;
  std::size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
  const auto at = authority.rfind('@');
  if (at != std::string::npos) {
    authority.erase(0, at + 1);
  }
  std::string host;
  if (!authority.empty() && authority[0] == '[') {
    const auto close = authority.find(']');
    host = authority.substr(0, close == std::string::npos ? close : close + 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  for (char& c : host) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return host;
}

std::string PublicUrl(const std::string& raw) {
  std::string out = raw.substr(0, raw.find_first_of("?#"));
  const std::size_t scheme_end = out.find("://");
  const std::size_t authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const std::size_t authority_end = std::min(out.find('/', authority_start), out.size());
  // The last '@' inside the authority ends the user-info; an '@' in the path is kept.
  const std::size_t at = out.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
  if (at != std::string::npos && at >= authority_start && at < authority_end) {
    out.erase(authority_start, at + 1 - authority_start);
  }
  return out;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

}  // namespace taskbounds
