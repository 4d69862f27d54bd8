#include "client/url.h"

namespace taskbounds {
namespace {

// Digits only, 1..65535.
bool IsPortNumber(const std::string& s) {
  if (s.empty() || s.size() > 5) {
    return false;
  }
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  return v >= 1 && v <= 65535;
}

}  // namespace

// http(s)://host[:port][/path]; no user-info, query, fragment, spaces or control characters.
bool ParsePlatformUrl(const std::string& raw, PlatformUrl* out, bool* has_userinfo) {
  *has_userinfo = false;
  for (unsigned char c : raw) {
    if (c <= 0x20 || c == 0x7f || c == '?' || c == '#' || c == '\\') {
      return false;
    }
  }
  std::string scheme;
  std::size_t rest_at = 0;
  for (const char* candidate : {"http://", "https://"}) {
    const std::string prefix = candidate;
    if (raw.size() >= prefix.size()) {
      std::string head = raw.substr(0, prefix.size());
      for (char& c : head) {
        if (c >= 'A' && c <= 'Z') {
          c = static_cast<char>(c - 'A' + 'a');
        }
      }
      if (head == prefix) {
        scheme = prefix.substr(0, prefix.size() - 3);
        rest_at = prefix.size();
      }
    }
  }
  if (scheme.empty()) {
    return false;
  }
  const std::string rest = raw.substr(rest_at);
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string::npos) {
    *has_userinfo = true;
    return false;
  }
  std::string host;
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string::npos || close == 1) {
      return false;
    }
    host = authority.substr(0, close + 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') {
        return false;
      }
      port = after.substr(1);
      if (port.empty()) {
        return false;
      }
    }
    for (char c : host.substr(1, host.size() - 2)) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                      c == ':' || c == '.';
      if (!ok) {
        return false;
      }
    }
  } else {
    const std::size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) {
        return false;
      }
    }
    for (char c : host) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      c == '-' || c == '.' || c == '_';
      if (!ok) {
        return false;
      }
    }
  }
  if (host.empty()) {
    return false;
  }
  if (!port.empty()) {
    if (!IsPortNumber(port)) {
      return false;
    }
  }
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }
  for (char& c : host) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  out->scheme = scheme;
  out->host = host;
  out->normalised = scheme + "://" + host + (port.empty() ? "" : ":" + port) + path;
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

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

}  // namespace taskbounds
