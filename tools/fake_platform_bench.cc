// fake_platform_bench: how fast the fake platform answers, measured through the project's
// PlatformClient over loopback. Reports numbers; asserts nothing (timing goals are
// measured, never asserted). Run optimised:
//   bazel run -c opt //tools:fake_platform_bench
//
// 1. GET /workspaces/{id} requests per second from 1 and 8 client threads (one
//    PlatformClient each, kept-alive connections).
// 2. The latency the fake adds to an A2A call over its configured duration
//    (fixed_a2a_latency_ms), with 64 runs in flight at once: added = observed - configured
//    (including the loopback connect: every POST goes on a fresh connection).
// The fake runs its default profile, which (from 2026-08) fails closed without an admin
// token, so the bench starts it with one and every client sends it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/platform_client.h"
#include "curl/curl.h"
#include "mocks/embedded_fake_platform.h"

namespace taskbounds {
namespace {

using Clock = std::chrono::steady_clock;

// A fixed, bench-only token: the fake is on loopback for the bench's lifetime only.
constexpr char kBenchAdminToken[] = "fake-platform-bench-admin-token";

struct BenchFlags {
  double duration_secs = 3;
  double a2a_latency_ms = 200;
  int concurrent_runs = 64;
  int calls_per_run = 5;
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) {
    return 0;
  }
  std::sort(values.begin(), values.end());
  const std::size_t index = std::min(
      values.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size())));
  return values[index];
}

ClientOptions ClientFor(const EmbeddedFakePlatform& fake) {
  ClientOptions options;
  options.base_url = fake.url();
  options.admin_token = fake.options().admin_token;
  options.request_timeout_ms = 30000;
  return options;
}

// Requests per second of GET /workspaces/{id} from `threads` clients for `duration_secs`.
bool MeasureGetRate(EmbeddedFakePlatform& fake, const std::string& id, int threads,
                    double duration_secs) {
  std::atomic<long> ok{0}, failed{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  const auto start = Clock::now();
  workers.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      PlatformClient client(ClientFor(fake));
      while (!stop) {
        auto got = client.GetWorkspace(id);
        (got.ok() ? ok : failed)++;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(duration_secs));
  stop = true;
  for (std::thread& w : workers) {
    w.join();
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "GET /workspaces/{id}, %d client thread(s): %.0f requests/s (%ld ok, %ld failed, "
      "%.1f s)\n",
      threads, static_cast<double>(ok.load()) / elapsed, ok.load(), failed.load(), elapsed);
  return failed == 0;
}

// Added latency of A2A calls with `runs` concurrent callers, `calls` each. In lockstep every
// caller starts at the same instant, so all replies are due at once (a burst of `runs`
// replies on 2 cores); staggered, caller i starts i/runs of a period later, so the same
// number are in flight but their replies are spread out, as independent runs would be.
bool MeasureA2AOverhead(EmbeddedFakePlatform& fake, const BenchFlags& flags, int runs,
                        bool lockstep) {
  std::vector<std::string> pms;
  {
    PlatformClient setup(ClientFor(fake));
    for (int i = 0; i < runs; ++i) {
      auto created = setup.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
      if (!created.ok()) {
        std::fprintf(stderr, "bench: create failed: %s\n", created.error.c_str());
        return false;
      }
      pms.push_back(created.value->id);
    }
  }
  std::mutex mu;
  std::vector<double> added_ms;
  std::atomic<long> failed{0};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> workers;
  workers.reserve(runs);
  for (int i = 0; i < runs; ++i) {
    workers.emplace_back([&, i] {
      PlatformClient client(ClientFor(fake));
      // No warm-up GET: the client sends every POST on a fresh connection (never a kept-alive
      // one), so a warmed connection would only sit idle in the fake's keep-alive wait,
      // holding one of its worker threads; 64 of those plus 64 calls outnumber the workers
      // and calls queue for a whole A2A period. Loopback connect time is counted instead.
      ++ready;
      while (!go) {
        std::this_thread::yield();
      }
      if (!lockstep) {
        std::this_thread::sleep_for(
            std::chrono::duration<double, std::milli>(flags.a2a_latency_ms * i / runs));
      }
      for (int c = 0; c < flags.calls_per_run; ++c) {
        auto reply = client.SendMessage(pms[i], "Delegate 3 separate sub-questions", 30000);
        if (!reply.ok() || reply.value->outcome != A2AOutcome::kResult) {
          ++failed;
          continue;
        }
        const double observed_ms = reply.exchange.timings.total_secs * 1000.0;
        std::lock_guard<std::mutex> lock(mu);
        added_ms.push_back(observed_ms - flags.a2a_latency_ms);
      }
    });
  }
  while (ready < runs) {
    std::this_thread::yield();
  }
  go = true;
  for (std::thread& w : workers) {
    w.join();
  }
  std::printf(
      "A2A added latency over %.0f ms, %d concurrent run(s)%s x %d call(s): p50 %.2f ms, "
      "p99 %.2f ms, max %.2f ms (%zu samples, %ld failed)\n",
      flags.a2a_latency_ms, runs, runs == 1 ? "" : (lockstep ? " in lockstep" : " staggered"),
      flags.calls_per_run, Percentile(added_ms, 50), Percentile(added_ms, 99),
      Percentile(added_ms, 100), added_ms.size(), failed.load());
  return failed == 0;
}

int Run(int argc, char** argv) {
  BenchFlags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      const std::string prefix = std::string(name) + "=";
      return arg.rfind(prefix, 0) == 0 ? argv[i] + prefix.size() : nullptr;
    };
    if (const char* v = value("--duration-secs")) {
      flags.duration_secs = std::atof(v);
    } else if (const char* v = value("--a2a-latency-ms")) {
      flags.a2a_latency_ms = std::atof(v);
    } else if (const char* v = value("--concurrent-runs")) {
      flags.concurrent_runs = std::atoi(v);
    } else if (const char* v = value("--calls-per-run")) {
      flags.calls_per_run = std::atoi(v);
    } else {
      std::fprintf(stderr,
                   "usage: fake_platform_bench [--duration-secs=3] [--a2a-latency-ms=200] "
                   "[--concurrent-runs=64] [--calls-per-run=5]\n");
      return 2;
    }
  }
  if (flags.duration_secs <= 0 || flags.a2a_latency_ms < 0 || flags.concurrent_runs < 1 ||
      flags.calls_per_run < 1) {
    std::fprintf(stderr, "fake_platform_bench: flag values must be positive\n");
    return 2;
  }

  FakePlatformOptions options;
  options.durations.registration_secs = 0;  // online at once
  options.fixed_a2a_latency_ms = flags.a2a_latency_ms;
  options.admin_token = kBenchAdminToken;
  std::string error;
  auto fake = EmbeddedFakePlatform::Start(options, &error);
  if (!fake) {
    std::fprintf(stderr, "fake_platform_bench: %s\n", error.c_str());
    return 1;
  }
  PlatformClient setup(ClientFor(*fake));
  auto created = setup.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  if (!created.ok()) {
    std::fprintf(stderr, "fake_platform_bench: %s\n", created.error.c_str());
    return 1;
  }
  bool ok = true;
  ok &= MeasureGetRate(*fake, created.value->id, 1, flags.duration_secs);
  ok &= MeasureGetRate(*fake, created.value->id, 8, flags.duration_secs);
  ok &= MeasureA2AOverhead(*fake, flags, 1, true);
  ok &= MeasureA2AOverhead(*fake, flags, flags.concurrent_runs, false);
  ok &= MeasureA2AOverhead(*fake, flags, flags.concurrent_runs, true);
  fake->Stop();
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace taskbounds

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return 1;  // before any thread
  }
  const int rc = taskbounds::Run(argc, argv);
  curl_global_cleanup();
  return rc;
}
