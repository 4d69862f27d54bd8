// PLATFORM URLs: parsing, the host part, and the one loopback rule that both the config's
// credential guard and the client's proxy bypass use.
#ifndef CLIENT_URL_H_
#define CLIENT_URL_H_

#include <string>

namespace taskbounds {

struct PlatformUrl {
  std::string normalised;  // scheme://authority/path without trailing slashes
  std::string scheme;
  std::string host;
};

// Parses http(s)://host[:port][/path]: no user-info, query, fragment, spaces or control
// characters; host names are letters, digits, '-', '.', '_' or a bracketed IPv6 literal.
// Sets *has_userinfo when the authority holds user:password@ (refused).
bool ParsePlatformUrl(const std::string& raw, PlatformUrl* out, bool* has_userinfo);

// Host part of an http(s) URL, lower-cased, IPv6 literals with brackets; "" when none.
std::string UrlHost(const std::string& url);

// `raw` without user-info, query or fragment: safe to print and to put in events
// ("https://u:p@host/x?token=1#f" -> "https://host/x"). Works on malformed input too, so
// an error quoting a bad PLATFORM never echoes a credential.
std::string PublicUrl(const std::string& raw);

// The loopback rule: "localhost", 127.0.0.1, "[::1]".
bool IsLoopbackHost(const std::string& host);

}  // namespace taskbounds

#endif  // CLIENT_URL_H_
