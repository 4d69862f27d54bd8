// HeaderMap: HTTP header fields keyed by name, compared case-insensitively (RFC 9110
// section 5.1), shared by the fake's backend requests and every server's request log.
#ifndef MOCKS_HTTP_HEADER_MAP_H_
#define MOCKS_HTTP_HEADER_MAP_H_

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taskbounds {

// Orders header names case-insensitively.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) <
             std::tolower(static_cast<unsigned char>(y));
    });
  }
  using is_transparent = void;
};

using HeaderMap = std::multimap<std::string, std::string, CaseInsensitiveLess>;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

}  // namespace taskbounds

#endif  // MOCKS_HTTP_HEADER_MAP_H_
