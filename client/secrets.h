// Secrets and their masked form: the one place a secret is turned into something printable,
// and the run's set of known secrets that every piece of remote text is masked against.
// No curl, no JSON: //client:text depends on it (SanitizeRemoteText masks known secrets).
//
// Which occurrences are masked (MaskSecretsIn):
//   - a secret of kMinSubstringSecretBytes (8) bytes or more: every occurrence, anywhere,
//     also inside a longer word ("Bearer<secret>x", "key=<secret>");
//   - a secret of kMinSecretBytes..7 bytes (4-7): only as a whole token, i.e. not preceded
//     or followed by an ASCII letter, digit, '_', '-' or a non-ASCII byte, so a short token
//     "abcd" masks "key=abcd;" but leaves "abcdef" and "xabcd" alone;
//   - a secret under 4 bytes: never (it would mangle numbers, ids and words, and is no
//     credential anyway; docs/configuration.md says so).
// Each secret is looked for as given and in its JSON-escaped forms (`"` `\` and control
// characters escaped; '/' as "\/"; non-ASCII as \uXXXX, lower- or upper-case), so a body
// that carries a secret inside a JSON string is masked too. Occurrences of different secrets
// that overlap or touch are masked as one span, shown as MaskSecret of the secret whose
// occurrence ends last (so no byte of any secret survives beyond that mask's tail).
#ifndef CLIENT_SECRETS_H_
#define CLIENT_SECRETS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace taskbounds {

// "***" plus the last four characters for secrets of 12 or more characters, "***" alone
// for shorter ones (so a short secret is never mostly revealed).
std::string MaskSecret(std::string_view secret);

inline constexpr std::size_t kMinSecretBytes = 4;
inline constexpr std::size_t kMinSubstringSecretBytes = 8;

// `text` with every occurrence of each of `secrets` replaced by its mask, by the rules
// above. Text without any secret comes back unchanged, byte for byte.
std::string MaskSecretsIn(std::string_view text, const std::vector<std::string>& secrets);

// The process's known secrets: grow-only and thread-safe, so runs in one process (a sweep,
// a test binary) only ever mask more. Registered once per run: the configuration's secrets
// (RegisterRunSecrets in client/config.h), a resolved SaaS token, a created workspace's
// auth_token. Values under kMinSecretBytes are ignored (see above).
void RegisterSecret(std::string_view secret);

// MaskSecretsIn(text, the registered secrets). Cheap when none are registered.
std::string MaskKnownSecrets(std::string_view text);

}  // namespace taskbounds

#endif  // CLIENT_SECRETS_H_
