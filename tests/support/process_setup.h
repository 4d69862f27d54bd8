// Process-wide set-up every test main does before anything starts a thread (the fake
// platform's server threads, the status sampler, libcurl's resolver).
#ifndef TESTS_SUPPORT_PROCESS_SETUP_H_
#define TESTS_SUPPORT_PROCESS_SETUP_H_

namespace taskbounds {

// Ignores SIGPIPE and initialises libcurl on construction; cleans libcurl up on destruction.
// Construct it first thing in main() and check ok() (false: curl_global_init failed; exit 2).
class ProcessSetup {
 public:
  ProcessSetup();
  ~ProcessSetup();
  ProcessSetup(const ProcessSetup&) = delete;
  ProcessSetup& operator=(const ProcessSetup&) = delete;

  [[nodiscard]] bool ok() const { return curl_ok_; }

 private:
  bool curl_ok_ = false;
};

}  // namespace taskbounds

#endif  // TESTS_SUPPORT_PROCESS_SETUP_H_
