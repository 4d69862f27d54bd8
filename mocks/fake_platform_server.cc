#include "mocks/fake_platform_server.h"

#include <algorithm>
#include <exception>
#include <iostream>
#include <memory>
#include <utility>

#include "httplib.h"

namespace taskbounds {
namespace {

using SteadyClock = std::chrono::steady_clock;

// What a reverse proxy in front of the platform answers when the platform is down.
constexpr char kHtmlErrorPage[] =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n";
// A JSON object cut mid-string, as a connection dropped mid-body would leave it.
constexpr char kTruncatedJson[] =
    R"({"id":"5f0c2a9e-8b1d-4c3e-9a7f-1d2e3f4a5b6c","status":"provis)";

// The platform's security headers (middleware/securityheaders.go), on every response.
void AddSecurityHeaders(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
}

// How long one wait for a stream's next chunk may last: httplib checks between chunks
// whether the server is stopping, so this bounds how long Stop() waits for a stream.
constexpr std::chrono::milliseconds kStreamPollInterval{100};

// Sends the stream's chunks as they come; ends the reply when the stream ends and drops
// the connection when the client has gone (a failed write).
void WriteStream(const std::shared_ptr<ReplyStream>& stream, const std::string& content_type,
                 httplib::Response& res) {
  res.set_chunked_content_provider(content_type, [stream](std::size_t, httplib::DataSink& sink) {
    std::string chunk;
    if (!stream->Next(SteadyClock::now() + kStreamPollInterval, &chunk)) {
      sink.done();
      return true;
    }
    return chunk.empty() || sink.write(chunk.data(), chunk.size());
  });
}

void WriteReply(const BackendReply& reply, httplib::Response& res) {
  res.status = reply.status;
  if (reply.stream) {
    WriteStream(reply.stream, reply.content_type, res);
  } else if (reply.content_type.empty()) {
    res.body = reply.body;
  } else {
    res.set_content(reply.body, reply.content_type.c_str());
  }
  for (const auto& [name, value] : reply.headers) {
    res.set_header(name.c_str(), value.c_str());
  }
  AddSecurityHeaders(res);
}

// The backend's view of a request, from the log's copy.
BackendRequest ToBackendRequest(const RecordedRequest& record, const std::string& remote) {
  BackendRequest out;
  out.method = record.method;
  out.path = record.path;
  out.query = record.query;
  out.headers = record.headers;
  out.body = record.body;
  out.remote = remote;
  return out;
}

void AnswerHandlerException(const httplib::Request&, httplib::Response& res,
                            const std::exception_ptr& ep) {
  std::string what = "unknown exception";
  try {
    if (ep) {
      std::rethrow_exception(ep);
    }
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  WriteReply(BackendReply::Error(500, "fake platform handler failed: " + what), res);
}

}  // namespace

namespace {

Fault WithAction(FaultAction action) {
  Fault fault;
  fault.action = action;
  return fault;
}

}  // namespace

Fault Fault::Status(int status, std::string body) {
  Fault fault = WithAction(FaultAction::kRespond);
  fault.status = status;
  fault.body = std::move(body);
  return fault;
}

Fault Fault::Delay(std::chrono::milliseconds delay) {
  Fault fault = WithAction(FaultAction::kProceed);
  fault.delay = delay;
  return fault;
}

Fault Fault::Pass() { return WithAction(FaultAction::kPass); }

Fault Fault::Hold() {
  Fault fault = Pass();
  fault.hold = true;
  return fault;
}

Fault Fault::Hang() { return WithAction(FaultAction::kHang); }

Fault Fault::HtmlBody(int status) {
  Fault fault = Status(status, kHtmlErrorPage);
  fault.action = FaultAction::kHtmlBody;
  fault.content_type = "text/html";
  return fault;
}

Fault Fault::TruncatedJson(int status) {
  Fault fault = Status(status, kTruncatedJson);
  fault.action = FaultAction::kTruncatedJson;
  return fault;
}

Fault Fault::DropConnection() { return WithAction(FaultAction::kDropConnection); }

namespace {

const char* ActionName(FaultAction action) {
  switch (action) {
    case FaultAction::kProceed:
      return "delay";
    case FaultAction::kPass:
      return "pass";
    case FaultAction::kRespond:
      return "status";
    case FaultAction::kHang:
      return "hang";
    case FaultAction::kHtmlBody:
      return "html_body";
    case FaultAction::kTruncatedJson:
      return "truncated_json";
    case FaultAction::kDropConnection:
      return "drop_connection";
  }
  return "unknown";
}

}  // namespace

std::string Fault::Name() const {
  if (!hold) {
    return ActionName(action);
  }
  return action == FaultAction::kPass ? "hold" : std::string("hold+") + ActionName(action);
}

const std::vector<std::string>& FakePlatformServer::RouteKeys() {
  static const std::vector<std::string> kKeys = [] {
    std::vector<std::string> keys;
    for (const RouteSpec& spec : Routes()) {
      keys.push_back(spec.key);
    }
    keys.emplace_back(kAnyRouteKey);
    return keys;
  }();
  return kKeys;
}

FakePlatformServer::FakePlatformServer(PlatformBackend& backend, ServerOptions options)
    : backend_(backend),
      options_(std::move(options)),
      loopback_(options_),
      log_(options_.max_logged_requests) {
  loopback_.http().set_exception_handler(AnswerHandlerException);
  RegisterRoutes();
}

FakePlatformServer::~FakePlatformServer() { Stop(); }

void FakePlatformServer::RegisterRoutes() {
  for (const RouteSpec& spec : Routes()) {
    const RouteSpec* route = &spec;  // Routes() is a static, never resized
    loopback_.Handle(spec.method, RouteRegex(spec),
                     [this, route](const httplib::Request& req, httplib::Response& res) {
                       Handle(route, req, res, req.matches.size() > 1 ? req.matches[1].str() : "");
                     });
  }
  // httplib matches the whole path against each pattern in registration order, so the
  // catch-alls go last. Gin answers an unknown path or method with a plain-text 404.
  loopback_.HandleEveryMethod(".*", [this](const httplib::Request& req, httplib::Response& res) {
    Handle(nullptr, req, res, "");
  });

  // httplib reads a POST/PUT/PATCH body without Content-Length until EOF (or its 5 s read
  // timeout) and then answers 400; Go treats it as an empty body. Such requests are
  // answered here, before httplib tries to read a body.
  loopback_.http().set_pre_routing_handler([this](const httplib::Request& req,
                                                  httplib::Response& res) {
    const bool body_expected = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
    if (!body_expected || req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    std::string id;
    const RouteSpec* spec = MatchRoute(req.method, req.path, &id);
    Handle(spec, req, res, id);
    return httplib::Server::HandlerResponse::Handled;
  });
}

BackendReply FakePlatformServer::Dispatch(Route route, const BackendRequest& request,
                                          const std::string& id) {
  switch (route) {
    case Route::kHealth:
      return backend_.Health();
    case Route::kCreateWorkspace:
      return backend_.CreateWorkspace(request);
    case Route::kGetWorkspace:
      return backend_.GetWorkspace(id);
    case Route::kPatchWorkspace:
      return backend_.PatchWorkspace(id, request);
    case Route::kDeleteWorkspace:
      return backend_.DeleteWorkspace(id, request.Query("confirm") == "true",
                                      request.Query("purge") == "true");
    case Route::kSetSecret:
      return backend_.SetSecret(id, request);
    case Route::kA2A:
      return backend_.SendA2A(id, request);
    case Route::kHeartbeatHistory:
      return backend_.HeartbeatHistory(id, request);
    case Route::kActivity:
      return backend_.Activity(id, request);
    case Route::kRegistryRegister:
      return backend_.RegistryRegister(request);
    case Route::kRegistryHeartbeat:
      return backend_.RegistryHeartbeat(request);
    case Route::kEventStream:
      return backend_.EventStream(id, request);
    case Route::kA2AQueueItem:
      return backend_.A2AQueueItem(id, request.path.substr(request.path.rfind('/') + 1));
    case Route::kUnmatched:
      break;
  }
  return BackendReply::RouteNotFound();
}

void FakePlatformServer::Handle(const RouteSpec* spec, const httplib::Request& req,
                                httplib::Response& res, const std::string& id) {
  const std::string route_key = spec != nullptr ? spec->key : "";
  const Route route = spec != nullptr ? spec->route : Route::kUnmatched;
  // One conversion from httplib's request serves both the log and the backend.
  RecordedRequest record = RecordOf(req);
  record.route = route_key;
  const BackendRequest request = ToBackendRequest(record, req.remote_addr);
  const std::uint64_t sequence = log_.RecordArrival(std::move(record));
  // A throwing backend still leaves an answered entry (the exception handler writes 500).
  struct AnswerGuard {
    RequestLog* log;
    std::uint64_t sequence;
    bool done = false;
    ~AnswerGuard() {
      if (!done) {
        log->RecordAnswer(sequence, 500, false, "");
      }
    }
  } guard{&log_, sequence};

  std::string fault_name;
  if (std::optional<Fault> fault = TakeFault(route_key)) {
    fault_name = fault->Name();
    if (ApplyFault(*fault, sequence, route_key, req, res) == FaultOutcome::kAnswered) {
      guard.done = true;
      return;
    }
  }

  const Admission admission = backend_.Authorize(route, request);
  BackendReply reply = admission.admitted ? Dispatch(route, request, id) : admission.rejection;
  reply.headers.insert(reply.headers.end(), admission.headers.begin(), admission.headers.end());
  WriteReply(reply, res);
  guard.done = true;
  log_.RecordAnswer(sequence, reply.status, false, fault_name);
}

FakePlatformServer::FaultOutcome FakePlatformServer::ApplyFault(const Fault& fault,
                                                                std::uint64_t sequence,
                                                                const std::string& route_key,
                                                                const httplib::Request& req,
                                                                httplib::Response& res) {
  const std::string name = fault.Name();
  const bool hang = fault.action == FaultAction::kHang;
  const bool waited =
      (fault.delay.count() > 0 || hang) &&
      !SleepUntil(hang ? SteadyClock::time_point::max() : SteadyClock::now() + fault.delay);
  if (waited || (fault.hold && !HoldUntilReleased(sequence, route_key))) {
    // Stop() ended the wait: the client gets a closed connection, never a reply.
    DropConnection(req, res);
    log_.RecordAnswer(sequence, 0, true, name);
    return FaultOutcome::kAnswered;
  }
  switch (fault.action) {
    case FaultAction::kProceed:
    case FaultAction::kPass:
      return FaultOutcome::kContinue;
    case FaultAction::kHang:  // unreachable: SleepUntil only returns false for a hang
    case FaultAction::kDropConnection:
      DropConnection(req, res);
      log_.RecordAnswer(sequence, 0, true, name);
      return FaultOutcome::kAnswered;
    case FaultAction::kRespond:
    case FaultAction::kHtmlBody:
    case FaultAction::kTruncatedJson:
      break;
  }
  BackendReply reply;
  reply.status = fault.status;
  reply.body = fault.body;
  reply.content_type = fault.content_type;
  WriteReply(reply, res);
  log_.RecordAnswer(sequence, fault.status, false, name);
  return FaultOutcome::kAnswered;
}

std::optional<Fault> FakePlatformServer::TakeFault(const std::string& route_key) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& key : {route_key, std::string(kAnyRouteKey)}) {
    if (key.empty()) {
      continue;
    }
    auto it = faults_.find(key);
    if (it == faults_.end() || it->second.empty()) {
      continue;
    }
    QueuedFault& front = it->second.front();
    Fault fault = front.fault;
    if (front.remaining != kEveryCall && --front.remaining == 0) {
      it->second.pop_front();
    }
    return fault;
  }
  return std::nullopt;
}

bool FakePlatformServer::SleepUntil(SteadyClock::time_point until) {
  std::unique_lock<std::mutex> lock(mu_);
  if (until == SteadyClock::time_point::max()) {
    cv_.wait(lock, [this] { return stopping_; });
    return false;
  }
  return !cv_.wait_until(lock, until, [this] { return stopping_; });
}

bool FakePlatformServer::HoldUntilReleased(std::uint64_t sequence, const std::string& route_key) {
  std::unique_lock<std::mutex> lock(mu_);
  HeldRequest& held = held_[sequence];
  held.route_key = route_key;
  cv_.notify_all();  // WaitUntilHeld
  cv_.wait(lock, [&] { return held.released || stopping_; });
  const bool released = held.released;
  held_.erase(sequence);
  return released;
}

void FakePlatformServer::DropConnection(const httplib::Request& req, httplib::Response& res) {
  if (!loopback_.DropConnection(req)) {
    // Fallback: headers go out, then the body provider fails and httplib closes the
    // connection, so the client still sees a broken transfer.
    res.set_content_provider(1024, "application/json",
                             [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
  }
}

StartResult FakePlatformServer::Start() {
  std::lock_guard<std::mutex> life(lifecycle_mu_);
  if (stopped_) {
    StartResult result;
    result.error = "the server was stopped; create a new one";
    return result;
  }
  return loopback_.Start();
}

void FakePlatformServer::Stop() {
  std::lock_guard<std::mutex> life(lifecycle_mu_);
  if (stopped_) {
    return;
  }
  stopped_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();     // hung, delayed and held requests
  log_.Close();         // WaitForRequest
  backend_.Shutdown();  // blocked A2A calls answer now
  const std::string error = loopback_.Stop();
  if (!error.empty()) {
    std::cerr << "FakePlatformServer: " << error << std::endl;
  }
}

int FakePlatformServer::port() const { return loopback_.port(); }

std::string FakePlatformServer::url(std::string_view path) const { return loopback_.url(path); }

bool FakePlatformServer::InjectFault(const std::string& route, Fault fault, int count) {
  const auto& keys = RouteKeys();
  if (count == 0 || count < kEveryCall ||
      std::find(keys.begin(), keys.end(), route) == keys.end()) {
    return false;
  }
  std::lock_guard<std::mutex> lock(mu_);
  faults_[route].push_back({std::move(fault), count});
  return true;
}

void FakePlatformServer::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.clear();
}

bool FakePlatformServer::HoldNext(const std::string& route, int count) {
  return InjectFault(route, Fault::Hold(), count);
}

std::optional<RecordedRequest> FakePlatformServer::WaitUntilHeld(
    const std::string& route, std::chrono::milliseconds timeout) const {
  const auto matches = [&route](const HeldRequest& held) {
    return !held.released && (route == kAnyRouteKey || held.route_key == route);
  };
  std::uint64_t sequence = 0;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] {
      for (const auto& [seq, held] : held_) {
        if (matches(held)) {
          sequence = seq;
          return true;
        }
      }
      return stopping_;
    });
  }
  if (sequence == 0) {
    return std::nullopt;
  }
  return log_.WaitFor([sequence](const RecordedRequest& r) { return r.sequence == sequence; },
                      SteadyClock::now());
}

bool FakePlatformServer::Release(std::uint64_t sequence) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = held_.find(sequence);
    if (it == held_.end() || it->second.released) {
      return false;
    }
    it->second.released = true;
  }
  cv_.notify_all();
  return true;
}

std::size_t FakePlatformServer::ReleaseAll(const std::string& route) {
  std::size_t released = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [sequence, held] : held_) {
      if (!held.released && (route == kAnyRouteKey || held.route_key == route)) {
        held.released = true;
        ++released;
      }
    }
  }
  cv_.notify_all();
  return released;
}

std::vector<RecordedRequest> FakePlatformServer::HeldRequests() const {
  std::vector<std::uint64_t> sequences;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [sequence, held] : held_) {
      if (!held.released) {
        sequences.push_back(sequence);
      }
    }
  }
  std::vector<RecordedRequest> held;
  for (const RecordedRequest& record : log_.Snapshot()) {
    if (std::find(sequences.begin(), sequences.end(), record.sequence) != sequences.end()) {
      held.push_back(record);
    }
  }
  return held;
}

std::vector<RecordedRequest> FakePlatformServer::requests() const { return log_.Snapshot(); }

std::optional<RecordedRequest> FakePlatformServer::WaitForRequest(
    const RequestPredicate& predicate, SteadyClock::time_point deadline) const {
  return log_.WaitFor(predicate, deadline);
}

std::optional<RecordedRequest> FakePlatformServer::WaitForRequest(
    const RequestPredicate& predicate, std::chrono::milliseconds timeout) const {
  return WaitForRequest(predicate, SteadyClock::now() + timeout);
}

std::vector<std::string> FakePlatformServer::LiveWorkspaceIds() const {
  return backend_.LiveWorkspaceIds();
}

}  // namespace taskbounds
