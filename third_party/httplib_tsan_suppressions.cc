// ThreadSanitizer's suppressions for Debian's libcpp-httplib, compiled into every binary that
// links @system_libs//:httplib (TSan asks the executable for __tsan_default_suppressions at
// start-up), so they hold whatever the process's working directory: the tests' subprocesses
// (//mocks:fake_platform, //tools:measure) and `bazel run --config=tsan` included. Empty in
// every other build.
//
// Each entry names the defect it works around. No entry may name project code: a race there
// is fixed, never suppressed.

#if defined(__SANITIZE_THREAD__)  // GCC
#define TASKBOUNDS_TSAN 1
#elif defined(__has_feature)  // clang
#if __has_feature(thread_sanitizer)
#define TASKBOUNDS_TSAN 1
#endif
#endif

#ifdef TASKBOUNDS_TSAN
extern "C" const char* __tsan_default_suppressions() {
  return
      // Debian builds libcpp-httplib.so.0.11 (cpp-httplib 0.11.4) without -fsanitize=thread,
      // and TSan needs every module instrumented (ThreadSanitizerCppManual, "Non-instrumented
      // code"). httplib::Server::parse_request_line keeps a function-local
      // `static const std::set<std::string> methods`: the first request constructs it under
      // __cxa_guard_acquire on one worker thread; a worker's later first request takes the
      // guard's inline fast path, an uninstrumented load TSan never sees, then reads the set
      // with memcmp, which TSan does see: "data race ... memcmp <- libcpp-httplib.so.0.11"
      // against the set's allocation on the other worker (fake_platform_binary_test's
      // standalone fake, fake_platform_robustness_test's 64 concurrent runs). A frame of that
      // library appears in a TSan stack only as the caller of an intercepted libc function
      // (its own code records no frames and no accesses), so this entry covers only such
      // calls, never a race in the fake's handlers that httplib calls.
      "race:libcpp-httplib.so\n";
}
#endif
