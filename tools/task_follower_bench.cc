// Benchmarks of issue 9 (numbers printed, never asserted), against the embedded fake's
// 2026-08 profile:
//   1. task-end timing error: a depth-3 task queued after the sync budget, followed 5 times
//      with the event stream and 5 times by polling alone; the median |task_secs - truth|,
//      truth = PlanTask2026_08's end (the fake's own model);
//   2. requests per run per platform minute of a whole CoordinatorRun (kickoff to end);
//   3. 27 whole runs at once against one fake limited to 600 requests per platform minute
//      (one org's bucket): 429s and failed runs.
//
//   bazel run -c opt //tools:task_follower_bench [-- --time-scale=0.01]
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "client/config.h"
#include "client/event_log.h"
#include "client/platform_client.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/kickoff.h"
#include "fixtures/run/task_follower.h"
#include "fixtures/run/workspace_janitor.h"
#include "mocks/embedded_fake_platform.h"
#include "mocks/platform/coordinator_model.h"

namespace taskbounds {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kToken[] = "bench-admin-token";

std::unique_ptr<EmbeddedFakePlatform> StartFake(double time_scale, int rate_limit) {
  FakePlatformOptions options;
  options.time_scale = time_scale;
  options.platform_version = PlatformVersion::k2026_08;
  options.admin_token = kToken;
  options.rate_limit_per_minute = rate_limit;
  ServerOptions server;
  server.worker_threads = 128;
  std::string error;
  auto fake = EmbeddedFakePlatform::Start(options, &error, server);
  if (!fake) {
    std::cerr << "task_follower_bench: the fake did not start: " << error << "\n";
  }
  return fake;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? NAN : values[values.size() / 2];
}

// One queued depth-3 task followed to its end; |task_secs - truth| in wall milliseconds.
double TimingErrorMs(EmbeddedFakePlatform& fake, double time_scale, bool use_stream) {
  ClientOptions client_options;
  client_options.base_url = fake.url();
  client_options.admin_token = kToken;
  PlatformClient client(client_options);
  const auto pm = client.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  if (!pm.ok()) {
    std::cerr << "create: " << pm.error << "\n";
    return NAN;
  }
  const auto online_by = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < online_by) {
    const auto info = client.GetWorkspace(pm.value->id);
    if (info.ok() && info.value->status == "online") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  TaskFollowerOptions o;
  o.client = client_options;
  o.workspace_id = pm.value->id;
  o.message_id = NewKickoffId();
  o.time_scale = time_scale;
  o.use_stream = use_stream;
  TaskFollower follower(o);
  follower.Prepare(Clock::now() + std::chrono::seconds(5));
  const std::string body = BuildMessageSendBody(BuildKickoffTask(3), o.message_id, NewKickoffId());
  const Clock::time_point sent = Clock::now();
  const auto reply = client.SendMessageBody(pm.value->id, body, 600000);
  const FollowResult r =
      follower.Follow(reply, sent, Clock::now(), sent + std::chrono::minutes(10));
  const double truth =
      PlanTask2026_08(Scenario::kUnbounded, fake.options().durations, 3, 0).end_secs;
  if (!r.end.ended) {
    return NAN;
  }
  const double task_wall = std::chrono::duration<double>(r.end.at - sent).count();
  return std::fabs(task_wall - truth * time_scale) * 1000;
}

void BenchTimingError(double time_scale) {
  auto fake = StartFake(time_scale, 0);
  if (!fake) {
    return;
  }
  for (const bool stream : {true, false}) {
    std::vector<double> errors;
    errors.reserve(5);
    for (int i = 0; i < 5; ++i) {
      errors.push_back(TimingErrorMs(*fake, time_scale, stream));
    }
    std::printf(
        "timing error (%s, TIME_SCALE=%g, 5 runs): median %.2f ms wall = %.3f s platform;"
        " runs:",
        stream ? "stream" : "polling only", time_scale, Median(errors),
        Median(errors) / 1000 / time_scale);
    for (double e : errors) {
      std::printf(" %.2f", e);
    }
    std::printf(" ms\n");
  }
}

// A whole run; false with the first error on stderr.
bool WholeRun(const std::string& url, double time_scale, RunReport* out) {
  RunConfig config;
  config.use_embedded_fake = true;  // the placeholder secret, the url below
  config.platform_is_local = true;
  config.platform_url = url;
  config.admin_token = kToken;
  config.time_scale = time_scale;
  config.synthesis_depth = 3;
  config.synthesis_depths = {3};
  std::ostringstream sink;
  EventLog events(sink);
  WorkspaceJanitor janitor(JanitorOptionsFor(config, url), &events);
  RunOptions options;
  options.synthesis_depth = 3;
  CoordinatorRun run(config, url, events, janitor, options);
  *out = run.Run();
  return out->ok();
}

void BenchRequestsPerMinute(double time_scale) {
  auto fake = StartFake(time_scale, 0);
  RunReport r;
  if (!fake || !WholeRun(fake->url(), time_scale, &r)) {
    std::cerr << "whole run failed: " << r.FirstError() << "\n";
    return;
  }
  const double minutes = r.task_secs / 60;
  const int during = r.follower_requests + r.status_samples + 1;  // + the kickoff
  std::printf(
      "requests during the task (kickoff, follower, status sampler): %d over %.2f "
      "platform minutes = %.2f/min; whole run %zu requests (verdict %s)\n",
      during, minutes, during / minutes, fake->server().requests().size(), r.verdict_name.c_str());
}

void BenchConcurrentSweep(double time_scale) {
  constexpr int kRuns = 27;
  auto fake = StartFake(time_scale, 600);
  if (!fake) {
    return;
  }
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  threads.reserve(kRuns);
  for (int i = 0; i < kRuns; ++i) {
    threads.emplace_back([&] {
      RunReport r;
      if (!WholeRun(fake->url(), time_scale, &r)) {
        ++failed;
        std::cerr << "run failed: " << r.FirstError() << "\n";
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  int limited = 0;
  for (const RecordedRequest& req : fake->server().requests()) {
    limited += req.status == 429 ? 1 : 0;
  }
  std::printf(
      "%d concurrent runs, one fake limited to 600/platform-minute: %zu requests, "
      "%d answered 429, %d runs failed\n",
      kRuns, fake->server().requests().size(), limited, failed.load());
}

}  // namespace
}  // namespace taskbounds

int main(int argc, char** argv) {
  double time_scale = 0.01;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--time-scale=", 0) == 0) {
      time_scale = std::atof(arg.c_str() + 13);
    }
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  taskbounds::BenchTimingError(time_scale);
  taskbounds::BenchRequestsPerMinute(time_scale);
  taskbounds::BenchConcurrentSweep(time_scale);
  curl_global_cleanup();
  return 0;
}
