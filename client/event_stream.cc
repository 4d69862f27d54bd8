#include "client/event_stream.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "client/text.h"
#include "client/url.h"
#include "client/wire.h"
#include "rapidjson/document.h"

namespace taskbounds {
namespace {

using Clock = std::chrono::steady_clock;

// Budgets for the event's words and texts (bytes).
constexpr std::size_t kWordBytes = 128;
constexpr std::size_t kTextBytes = 2000;
// How long one wait for the transfer's socket lasts before the stop flag is looked at
// again; Stop() also wakes it at once (curl_multi_wakeup).
constexpr int kPollMs = 200;

std::string StringMember(const rapidjson::Value& obj, const char* name, std::size_t budget) {
  const auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) {
    return "";
  }
  return SanitizeRemoteText(std::string(it->value.GetString(), it->value.GetStringLength()),
                            budget);
}

std::optional<std::int64_t> IntMember(const rapidjson::Value& obj, const char* name) {
  const auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsNumber()) {
    return std::nullopt;
  }
  return it->value.IsInt64() ? it->value.GetInt64()
                             : static_cast<std::int64_t>(it->value.GetDouble());
}

StreamEventKind KindOf(const std::string& type) {
  if (type == "ACTIVITY_LOGGED") {
    return StreamEventKind::kActivityLogged;
  }
  if (type == "A2A_RESPONSE") {
    return StreamEventKind::kA2AResponse;
  }
  if (type == "WORKSPACE_HEARTBEAT") {
    return StreamEventKind::kHeartbeat;
  }
  for (const char* status : {"WORKSPACE_ONLINE", "WORKSPACE_OFFLINE", "WORKSPACE_DEGRADED",
                             "WORKSPACE_PROVISION_FAILED", "WORKSPACE_WEDGED"}) {
    if (type == status) {
      return StreamEventKind::kStatus;
    }
  }
  return StreamEventKind::kOther;
}

struct slist_deleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::unique_ptr<curl_slist, slist_deleter> StreamHeaders(const ClientOptions& options) {
  curl_slist* headers = curl_slist_append(nullptr, "Accept: text/event-stream");
  if (!options.admin_token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + options.admin_token).c_str());
  }
  if (!options.tenant_id.empty()) {
    headers = curl_slist_append(headers, ("X-Molecule-Org-Id: " + options.tenant_id).c_str());
    headers = curl_slist_append(headers, ("X-Tenant-Id: " + options.tenant_id).c_str());
  }
  return std::unique_ptr<curl_slist, slist_deleter>(headers);
}

std::string StreamUrl(const EventStreamOptions& options) {
  std::string base = options.client.base_url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  return base + "/workspaces/" + options.workspace_id + "/events/stream";
}

}  // namespace

std::optional<StreamEvent> ParseStreamEvent(std::string_view data, std::string* error) {
  rapidjson::Document doc;
  if (!ParseBoundedJson(data, &doc, error)) {
    *error = "frame " + *error;
    return std::nullopt;
  }
  // MemberEnd() of a non-object is undefined (a RapidJSON assertion): check the kind first.
  if (!doc.IsObject()) {
    *error = "frame is not a JSON object";
    return std::nullopt;
  }
  const auto type = doc.FindMember("type");
  if (type == doc.MemberEnd() || !type->value.IsString()) {
    *error = "frame has no string 'type'";
    return std::nullopt;
  }
  StreamEvent event;
  event.type = StringMember(doc, "type", kWordBytes);
  event.kind = KindOf(event.type);
  event.timestamp = StringMember(doc, "timestamp", kWordBytes);
  const auto payload = doc.FindMember("data");
  if (payload != doc.MemberEnd() && payload->value.IsObject()) {
    const rapidjson::Value& d = payload->value;
    event.message_id = StringMember(d, "message_id", kWordBytes);
    event.activity_type = StringMember(d, "activity_type", kWordBytes);
    event.method = StringMember(d, "method", kWordBytes);
    event.summary = StringMember(d, "summary", kTextBytes);
    event.status = StringMember(d, "status", kWordBytes);
    event.error_detail = StringMember(d, "error_detail", kTextBytes);
    bool present = false;
    event.response_body = JsonMemberText(d, "response_body", &present);
    event.duration_ms = IntMember(d, "duration_ms");
    event.active_tasks = IntMember(d, "active_tasks");
  }
  return event;
}

void SseFramer::Feed(std::string_view bytes, std::vector<std::string>* frames) {
  for (const char c : bytes) {
    if (c == '\n' && after_cr_) {
      after_cr_ = false;  // the \n of a \r\n: the line already ended
      continue;
    }
    after_cr_ = c == '\r';
    if (c == '\n' || c == '\r') {
      EndLine(frames);
      continue;
    }
    if (dropping_) {
      continue;
    }
    line_.push_back(c);
    if (line_.size() + data_.size() > max_frame_bytes_) {
      // Too big to keep: drop the whole frame, and remember until its blank line.
      dropping_ = true;
      in_dropped_line_ = true;
      ++oversized_;
      line_.clear();
      data_.clear();
      has_data_ = false;
    }
  }
}

void SseFramer::EndLine(std::vector<std::string>* frames) {
  if (in_dropped_line_) {
    // The end of the line that passed the cap: not a blank line, however empty line_ is.
    in_dropped_line_ = false;
    return;
  }
  if (line_.empty()) {
    if (has_data_ && !dropping_) {
      frames->push_back(std::move(data_));
    }
    data_.clear();
    has_data_ = false;
    dropping_ = false;
    return;
  }
  if (dropping_) {
    line_.clear();  // the rest of a frame over the cap
    return;
  }
  static constexpr std::string_view kData = "data";
  const std::string_view line(line_);
  if (line.substr(0, kData.size()) == kData &&
      (line.size() == kData.size() || line[kData.size()] == ':')) {
    std::string_view value = line.substr(std::min(line.size(), kData.size() + 1));
    if (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    if (has_data_) {
      data_.push_back('\n');
    }
    data_.append(value);
    has_data_ = true;
  }
  line_.clear();
}

void SseFramer::Reset() {
  line_.clear();
  data_.clear();
  has_data_ = false;
  dropping_ = false;
  in_dropped_line_ = false;
  after_cr_ = false;
}

// One connection's state, shared with libcurl's callbacks.
struct EventStream::Transfer {
  EventStream* stream = nullptr;
  long status = 0;  // of the header block being read
  std::vector<std::string> frames;
};

std::size_t EventStream::OnHeaderLine(char* data, std::size_t size, std::size_t nmemb,
                                      void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  const std::string_view line(data, size * nmemb);
  if (line.substr(0, 5) == "HTTP/") {
    const std::size_t space = line.find(' ');
    t->status = space == std::string_view::npos
                    ? 0
                    : std::strtol(std::string(line.substr(space + 1, 3)).c_str(), nullptr, 10);
  } else if ((line == "\r\n" || line == "\n") && t->status == 200) {
    // The header block of a 200 ended: the stream is open.
    std::lock_guard<std::mutex> lock(t->stream->mu_);
    ++t->stream->stats_.connects;
    t->stream->cv_.notify_all();
  }
  return size * nmemb;
}

std::size_t EventStream::OnBody(char* data, std::size_t size, std::size_t nmemb, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  const std::size_t n = size * nmemb;
  if (t->stream->stop_requested()) {
    return 0;  // ends the transfer at once
  }
  if (t->status != 200) {
    return n;  // an error page: its status says enough
  }
  t->frames.clear();
  t->stream->framer_.Feed(std::string_view(data, n), &t->frames);
  for (const std::string& frame : t->frames) {
    t->stream->OnFrame(frame);
  }
  return n;
}

namespace {

void SetStreamOptions(CURL* h, const std::string& url, const ClientOptions& options,
                      curl_slist* headers, char* errbuf) {
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 0L);  // a stream has no total: Stop() ends it
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  if (IsLoopbackHost(UrlHost(options.base_url))) {
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  }
}

// A 4xx other than 408 and 429 will not change by asking again: the route is not there.
bool MeansNoStream(long status) {
  return status >= 400 && status < 500 && status != 408 && status != 429;
}

}  // namespace

bool EventStream::RunOneConnection() {
  CURL* h = curl_easy_init();
  CURLM* multi = curl_multi_init();
  if (h == nullptr || multi == nullptr) {
    curl_easy_cleanup(h);
    curl_multi_cleanup(multi);
    std::lock_guard<std::mutex> lock(mu_);
    stats_.last_error = "event stream: libcurl could not create a handle (out of memory?)";
    return false;
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  Transfer transfer;
  transfer.stream = this;
  const auto headers = StreamHeaders(options_.client);
  SetStreamOptions(h, StreamUrl(options_), options_.client, headers.get(), errbuf);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &EventStream::OnHeaderLine);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &EventStream::OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  framer_.Reset();
  curl_multi_add_handle(multi, h);
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.attempts;
    multi_ = multi;
  }
  int running = 1;
  while (running > 0 && !stop_requested()) {
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      break;
    }
    if (running > 0) {
      curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr);
    }
  }
  CURLcode code = CURLE_OK;
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg == CURLMSG_DONE) {
      code = msg->data.result;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    multi_ = nullptr;
    stats_.last_http_status = transfer.status;
    stats_.oversized_frames = framer_.oversized_frames();
    if (MeansNoStream(transfer.status)) {
      stats_.unavailable = true;
      stats_.last_error = "event stream: HTTP " + std::to_string(transfer.status) +
                          ": the platform has no event stream for this workspace";
    } else if (!stop_ && (code != CURLE_OK || transfer.status != 200)) {
      stats_.last_error =
          "event stream: " + std::string(errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code)) +
          " (HTTP " + std::to_string(transfer.status) + ")";
    } else if (!stop_) {
      stats_.last_error = "event stream: the platform closed the stream";
    }
  }
  curl_multi_remove_handle(multi, h);
  curl_easy_cleanup(h);
  curl_multi_cleanup(multi);
  return transfer.status == 200;
}

void EventStream::Run() {
  Clock::time_point last_working = Clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    const bool worked = RunOneConnection();
    lock.lock();
    const Clock::time_point now = Clock::now();
    if (worked) {
      last_working = now;
    }
    if (stop_ || stats_.unavailable) {
      break;
    }
    if (now - last_working > options_.reconnect_window) {
      stats_.gave_up = true;
      break;
    }
    cv_.wait_for(lock, options_.reconnect_backoff, [this] { return stop_; });
  }
  ended_ = true;
  cv_.notify_all();
}

StreamState EventStream::WaitConnected(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return stats_.connects > 0 || ended_; });
  if (stats_.connects > 0) {
    return StreamState::kConnected;
  }
  return ended_ ? StreamState::kUnavailable : StreamState::kNotYet;
}

std::vector<StreamEvent> EventStream::WaitAndDrain(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return !pending_.empty() || ended_; });
  std::vector<StreamEvent> out;
  out.swap(pending_);
  return out;
}

void EventStream::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    if (multi_ != nullptr) {
      curl_multi_wakeup(static_cast<CURLM*>(multi_));
    }
    cv_.notify_all();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool EventStream::alive() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !ended_;
}

EventStreamStats EventStream::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

EventStream::EventStream(EventStreamOptions options)
    : options_(std::move(options)), framer_(options_.max_frame_bytes) {}

EventStream::~EventStream() { Stop(); }

void EventStream::Start() {
  thread_ = std::thread([this] { Run(); });
}

bool EventStream::stop_requested() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stop_;
}

void EventStream::OnFrame(const std::string& data) {
  std::string error;
  std::optional<StreamEvent> event = ParseStreamEvent(data, &error);
  std::lock_guard<std::mutex> lock(mu_);
  if (!event) {
    ++stats_.parse_errors;
    stats_.last_error = error;
    return;
  }
  event->received_at = Clock::now();
  ++stats_.events;
  pending_.push_back(std::move(*event));
  cv_.notify_all();
}

}  // namespace taskbounds
