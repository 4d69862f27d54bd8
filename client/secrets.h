// Secrets and their masked form: the one place a secret is turned into something printable.
// No curl, no JSON: //client:text depends on it.
#ifndef CLIENT_SECRETS_H_
#define CLIENT_SECRETS_H_

#include <string>
#include <string_view>

namespace taskbounds {

// "***" plus the last four characters for secrets of 12 or more characters, "***" alone
// for shorter ones (so a short secret is never mostly revealed).
std::string MaskSecret(std::string_view secret);

}  // namespace taskbounds

#endif  // CLIENT_SECRETS_H_
