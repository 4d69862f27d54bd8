// Shared main for every test binary: process-wide set-up that must happen before any
// thread starts (the fake platform's server threads, the status sampler).
#include <csignal>

#include "curl/curl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

int main(int argc, char** argv) {
  // libcurl with CURLOPT_NOSIGNAL leaves SIGPIPE to us; a peer closing a socket mid-write
  // must be an error return, not process death.
  std::signal(SIGPIPE, SIG_IGN);
  // Not thread-safe before curl 7.84: call it before anything spawns a thread.
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return 2;
  }
  testing::InitGoogleMock(&argc, argv);
  const int rc = RUN_ALL_TESTS();
  curl_global_cleanup();
  return rc;
}
