#include "tests/support/process_setup.h"

#include <csignal>

#include "curl/curl.h"

namespace taskbounds {

ProcessSetup::ProcessSetup() {
  // libcurl with CURLOPT_NOSIGNAL leaves SIGPIPE to us; a peer closing a socket mid-write
  // must be an error return, not process death.
  std::signal(SIGPIPE, SIG_IGN);
  // Not thread-safe before curl 7.84: call it before anything spawns a thread.
  curl_ok_ = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

ProcessSetup::~ProcessSetup() {
  if (curl_ok_) {
    curl_global_cleanup();
  }
}

}  // namespace taskbounds
