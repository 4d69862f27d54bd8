#include "client/secrets.h"

namespace taskbounds {

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

}  // namespace taskbounds
