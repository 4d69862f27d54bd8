#include "client/platform_client.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

#include "client/url.h"
#include "curl/curl.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {
namespace {

// One transfer's sink: the body grows up to `cap` bytes, then the transfer is aborted.
struct BodySink {
  std::string* body;
  std::size_t cap;
  bool too_large = false;
};

size_t WriteBody(char* data, size_t size, size_t nmemb, void* userdata) {
  auto* sink = static_cast<BodySink*>(userdata);
  const size_t n = size * nmemb;
  if (sink->body->size() + n > sink->cap) {
    sink->too_large = true;
    return 0;  // any short count makes libcurl fail with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

// Percent-encodes everything except RFC 3986 unreserved characters, so an id can never
// add a path segment, a query or a fragment.
std::string EscapePathSegment(const std::string& raw) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size());
  for (unsigned char c : raw) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string WorkspacePath(const std::string& id, const std::string& suffix = "") {
  return "/workspaces/" + EscapePathSegment(id) + suffix;
}

bool HasLineBreak(const std::string& s) {
  return s.find_first_of("\r\n", 0) != std::string::npos || s.find('\0') != std::string::npos;
}

double MicrosToSecs(curl_off_t us) { return static_cast<double>(us) / 1e6; }

// What libcurl's debug and header callbacks saw during one transfer.
struct TransferTrace {
  std::chrono::steady_clock::time_point began = std::chrono::steady_clock::now();
  int attempts = 0;                 // times the request head went out
  double sent_at_secs = 0;          // just before the last attempt was sent, since `began`
  std::size_t body_bytes_sent = 0;  // of the last attempt
  std::size_t bytes_received = 0;   // response bytes (head and body) of the last attempt
  curl_infotype last = CURLINFO_END;
  std::string* response_headers = nullptr;
};

int TraceTransfer(CURL* /*handle*/, curl_infotype type, char* /*data*/, size_t size,
                  void* userdata) {
  auto* trace = static_cast<TransferTrace*>(userdata);
  switch (type) {
    case CURLINFO_HEADER_OUT:
      // A request head that does not continue the previous one is a new attempt: libcurl
      // re-sending on another connection after the first one died.
      if (trace->last != CURLINFO_HEADER_OUT) {
        ++trace->attempts;
        trace->body_bytes_sent = 0;
        trace->bytes_received = 0;
      }
      break;
    case CURLINFO_DATA_OUT:
      trace->body_bytes_sent += size;
      break;
    case CURLINFO_HEADER_IN:
    case CURLINFO_DATA_IN:
      trace->bytes_received += size;
      break;
    default:
      return 0;  // TEXT and TLS records do not change what was sent or received
  }
  trace->last = type;
  return 0;
}

// libcurl calls this once per attempt, on a connected socket, just BEFORE the request is
// sent: the stamp precedes anything the platform can see. (The debug callback's HEADER_OUT
// comes after the send, when the platform may already have started its clock.)
int StampRequestStart(void* userdata, char* /*primary_ip*/, char* /*local_ip*/,
                      int /*primary_port*/, int /*local_port*/) {
  auto* trace = static_cast<TransferTrace*>(userdata);
  trace->sent_at_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - trace->began).count();
  return CURL_PREREQFUNC_OK;
}

// Keeps the header block of the final response (a new status line starts a new block).
size_t WriteHeader(char* data, size_t size, size_t nmemb, void* userdata) {
  auto* trace = static_cast<TransferTrace*>(userdata);
  const size_t n = size * nmemb;
  const std::string line(data, n);
  if (line.compare(0, 5, "HTTP/") == 0) {
    trace->response_headers->clear();
  }
  trace->response_headers->append(line);
  return n;
}

void SetTransferOptions(CURL* h, const std::string& url, const ClientOptions& options,
                        long total_ms, char* errbuf, BodySink* sink, TransferTrace* trace) {
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) {
    curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  if (!options.ca_path.empty()) {
    curl_easy_setopt(h, CURLOPT_CAPATH, options.ca_path.c_str());
  }
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, trace);
  // The debug callback sees every byte sent and received: it tells how far a failed
  // transfer got and when the request really went out. VERBOSE only switches it on; with
  // a DEBUGFUNCTION set, libcurl prints nothing.
  curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, &StampRequestStart);
  curl_easy_setopt(h, CURLOPT_PREREQDATA, trace);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, &TraceTransfer);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, trace);
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  if (IsLoopbackHost(UrlHost(options.base_url))) {
    // A proxy from the environment must never see loopback traffic (the fake platform).
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  }
}

void SetMethodAndBody(CURL* h, const std::string& method, const std::string& body) {
  if (method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    // A mutating request never rides a kept-alive connection: if the server closed it just
    // as the request went out, libcurl would silently send the request again on a new one
    // (a second kickoff, a second workspace). On a fresh connection it never retries, and
    // the connection is not kept for the next request either.
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    if (method == "POST") {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
  }
  if (!body.empty()) {
    // `body` outlives curl_easy_perform, so no copy is needed; the size is explicit so
    // embedded NUL bytes are sent too.
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  } else if (method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(0));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
  }
}

struct curl_slist* RequestHeaders(const ClientOptions& options, bool has_body,
                                  const std::vector<std::string>& extra_headers) {
  struct curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  // libcurl would otherwise send "Expect: 100-continue" for large bodies and wait for it.
  headers = curl_slist_append(headers, "Expect:");
  if (has_body) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
  }
  if (!options.admin_token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + options.admin_token).c_str());
  }
  if (!options.tenant_id.empty()) {
    headers = curl_slist_append(headers, ("X-Molecule-Org-Id: " + options.tenant_id).c_str());
    headers = curl_slist_append(headers, ("X-Tenant-Id: " + options.tenant_id).c_str());
  }
  for (const std::string& header : extra_headers) {
    headers = curl_slist_append(headers, header.c_str());
  }
  return headers;
}

double TimeInfo(CURL* h, CURLINFO info) {
  curl_off_t t = 0;
  return curl_easy_getinfo(h, info, &t) == CURLE_OK ? MicrosToSecs(t) : 0;
}

void ReadTransferInfo(CURL* h, HttpExchange* ex) {
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &ex->http_status);
  const char* content_type = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK &&
      content_type != nullptr) {
    ex->content_type = content_type;
  }
  ex->timings.namelookup_secs = TimeInfo(h, CURLINFO_NAMELOOKUP_TIME_T);
  ex->timings.connect_secs = TimeInfo(h, CURLINFO_CONNECT_TIME_T);
  ex->timings.appconnect_secs = TimeInfo(h, CURLINFO_APPCONNECT_TIME_T);
  ex->timings.starttransfer_secs = TimeInfo(h, CURLINFO_STARTTRANSFER_TIME_T);
  ex->timings.total_secs = TimeInfo(h, CURLINFO_TOTAL_TIME_T);
}

// How far a failed transfer got, from what the debug callback saw.
TransportPhase FailurePhase(const HttpExchange& ex, const TransferTrace& trace,
                            std::size_t body_size) {
  if (trace.bytes_received > 0 || ex.http_status != 0) {
    return TransportPhase::kPartialAnswer;
  }
  if (trace.attempts == 0) {
    // Nothing went out: either no connection at all, or one that died before the head.
    return ex.timings.connect_secs > 0 ? TransportPhase::kNotFullySent
                                       : TransportPhase::kNeverConnected;
  }
  return trace.body_bytes_sent < body_size ? TransportPhase::kNotFullySent
                                           : TransportPhase::kSentNoAnswer;
}

std::string DescribeFailure(CURLcode code, const char* errbuf, bool too_large,
                            const ClientOptions& options, long total_ms) {
  if (too_large) {
    return "response body exceeds " + std::to_string(options.max_body_bytes) +
           " bytes; transfer aborted";
  }
  std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) {
    detail.pop_back();
  }
  std::string error = detail + " (curl code " + std::to_string(static_cast<int>(code)) +
                      ", total timeout " + std::to_string(total_ms) + " ms, connect timeout " +
                      std::to_string(options.connect_timeout_ms) + " ms)";
  return code == CURLE_OPERATION_TIMEDOUT ? "timed out: " + error : error;
}

// {"k1":"v1",...} from string pairs, every value byte-exact.
std::string JsonObjectBody(const std::vector<std::pair<const char*, std::string>>& fields) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  for (const auto& [key, value] : fields) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()), true);
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

void OptionalString(rapidjson::Writer<rapidjson::StringBuffer>* w, const char* key,
                    const std::string& value) {
  if (!value.empty()) {
    w->Key(key);
    w->String(value.data(), static_cast<rapidjson::SizeType>(value.size()), true);
  }
}

// POST /workspaces body: name, role, tier, template always (as 2026-04 expects), the
// 2026-08 fields only when set (platform-api-2026-08.md section 1).
std::string BuildCreateBody(const WorkspaceSpec& spec) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("name");
  w.String(spec.name.data(), static_cast<rapidjson::SizeType>(spec.name.size()), true);
  w.Key("role");
  w.String(spec.role.data(), static_cast<rapidjson::SizeType>(spec.role.size()), true);
  w.Key("tier");
  w.Int(spec.tier);
  w.Key("template");
  w.String(spec.template_name.data(), static_cast<rapidjson::SizeType>(spec.template_name.size()),
           true);
  OptionalString(&w, "runtime", spec.runtime);
  OptionalString(&w, "model", spec.model);
  OptionalString(&w, "parent_id", spec.parent_id);
  if (spec.external) {
    w.Key("external");
    w.Bool(true);
  }
  if (!spec.secrets.empty()) {
    w.Key("secrets");
    w.StartObject();
    for (const auto& [name, value] : spec.secrets) {
      w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()), true);
      w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()), true);
    }
    w.EndObject();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

bool IsConfirmationRequired(const ApiResult<StatusReply>& reply) {
  return reply.platform_error &&
         reply.platform_error->kind == PlatformErrorKind::kConfirmationRequired;
}

long ElapsedMs(std::chrono::steady_clock::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - since)
                               .count());
}

}  // namespace

std::string BuildMessageSendBody(const std::string& task_text) {
  return BuildMessageSendBody(task_text, "", "");
}

std::string BuildMessageSendBody(const std::string& task_text, const std::string& message_id,
                                 const std::string& context_id) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("method");
  w.String("message/send");
  w.Key("params");
  w.StartObject();
  w.Key("message");
  w.StartObject();
  w.Key("role");
  w.String("user");
  if (!message_id.empty()) {
    w.Key("messageId");
    w.String(message_id.data(), static_cast<rapidjson::SizeType>(message_id.size()), true);
  }
  if (!context_id.empty()) {
    w.Key("contextId");
    w.String(context_id.data(), static_cast<rapidjson::SizeType>(context_id.size()), true);
  }
  w.Key("parts");
  w.StartArray();
  w.StartObject();
  w.Key("type");
  w.String("text");
  w.Key("text");
  w.String(task_text.data(), static_cast<rapidjson::SizeType>(task_text.size()), true);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

struct PlatformClient::CurlHandle {
  CURL* easy = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {};
  ~CurlHandle() {
    if (easy != nullptr) {
      curl_easy_cleanup(easy);
    }
  }
};

PlatformClient::PlatformClient(ClientOptions options)
    : options_(std::move(options)), curl_(std::make_unique<CurlHandle>()) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') {
    options_.base_url.pop_back();
  }
  curl_->easy = curl_easy_init();
}

PlatformClient::~PlatformClient() = default;

HttpExchange PlatformClient::Send(const std::string& method, const std::string& path_and_query,
                                  const std::string& body, long timeout_ms,
                                  const std::vector<std::string>& extra_headers) {
  HttpExchange ex;
  ex.method = method;
  ex.path = path_and_query;
  const long total_ms = timeout_ms > 0 ? timeout_ms : options_.request_timeout_ms;
  CURL* h = curl_->easy;
  if (h == nullptr) {
    ex.curl_code = CURLE_FAILED_INIT;
    ex.curl_error = "curl_easy_init failed";
    ex.phase = TransportPhase::kNeverConnected;
    return ex;
  }
  // A CR/LF in a header value would let a config value inject headers: refuse to send.
  const bool bad_extra = std::any_of(extra_headers.begin(), extra_headers.end(), &HasLineBreak);
  if (HasLineBreak(options_.admin_token) || HasLineBreak(options_.tenant_id) || bad_extra) {
    ex.curl_code = CURLE_BAD_FUNCTION_ARGUMENT;
    ex.curl_error = bad_extra ? "a request header (e.g. X-Confirm-Name from the platform's "
                                "workspace name) contains a line break or NUL; refusing to send"
                              : "admin token or tenant id contains a line break or NUL; "
                                "refusing to send";
    ex.phase = TransportPhase::kNeverConnected;
    return ex;
  }

  // Reset drops every option of the previous request (CUSTOMREQUEST, POSTFIELDS, headers)
  // but keeps the connection cache, so a kept-alive connection is reused by GETs.
  curl_easy_reset(h);
  curl_->errbuf[0] = '\0';
  const std::string url = options_.base_url + path_and_query;
  BodySink sink{&ex.body, options_.max_body_bytes};
  TransferTrace trace;
  trace.response_headers = &ex.response_headers;
  SetTransferOptions(h, url, options_, total_ms, curl_->errbuf, &sink, &trace);
  SetMethodAndBody(h, method, body);
  struct curl_slist* headers = RequestHeaders(options_, !body.empty(), extra_headers);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

  const CURLcode code = curl_easy_perform(h);
  curl_slist_free_all(headers);

  ex.curl_code = static_cast<int>(code);
  ReadTransferInfo(h, &ex);
  ex.send_attempts = trace.attempts;
  ex.timings.request_sent_secs = trace.attempts > 0 ? trace.sent_at_secs : 0;
  if (code != CURLE_OK) {
    ex.phase = FailurePhase(ex, trace, body.size());
    ex.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    ex.curl_error = DescribeFailure(code, curl_->errbuf, sink.too_large, options_, total_ms);
    ex.body_too_large = sink.too_large;
  }
  return ex;
}

ApiResult<CreatedWorkspace> PlatformClient::CreateWorkspace(const WorkspaceSpec& spec) {
  return InterpretCreatedWorkspace(Send("POST", "/workspaces", BuildCreateBody(spec)));
}

ApiResult<StatusReply> PlatformClient::PatchParent(const std::string& child_id,
                                                   const std::string& parent_id) {
  return InterpretStatusReply(
      Send("PATCH", WorkspacePath(child_id), JsonObjectBody({{"parent_id", parent_id}})));
}

ApiResult<StatusReply> PlatformClient::SetSecret(const std::string& workspace_id,
                                                 const std::string& key, const std::string& value) {
  return InterpretSecretWrite(Send("POST", WorkspacePath(workspace_id, "/secrets"),
                                   JsonObjectBody({{"key", key}, {"value", value}})));
}

ApiResult<StatusReply> PlatformClient::SetModel(const std::string& workspace_id,
                                                const std::string& model) {
  return InterpretStatusReply(
      Send("PUT", WorkspacePath(workspace_id, "/model"), JsonObjectBody({{"model", model}})));
}

ApiResult<StatusReply> PlatformClient::DecideApproval(const std::string& workspace_id,
                                                      const std::string& approval_id,
                                                      const std::string& decision,
                                                      const std::string& decided_by) {
  const std::string path =
      WorkspacePath(workspace_id, "/approvals/" + EscapePathSegment(approval_id) + "/decide");
  return InterpretStatusReply(
      Send("POST", path, JsonObjectBody({{"decision", decision}, {"decided_by", decided_by}})));
}

ApiResult<std::vector<WorkspaceSummary>> PlatformClient::ListWorkspaces() {
  return InterpretWorkspaceList(Send("GET", "/workspaces", ""));
}

ApiResult<BuildInfo> PlatformClient::GetBuildInfo() {
  return InterpretBuildInfo(Send("GET", "/buildinfo", ""));
}

ApiResult<WorkspaceInfo> PlatformClient::GetWorkspace(const std::string& workspace_id) {
  return InterpretWorkspaceInfo(Send("GET", WorkspacePath(workspace_id), ""));
}

ApiResult<A2AReply> PlatformClient::SendMessage(const std::string& workspace_id,
                                                const std::string& task_text, long timeout_ms) {
  return SendMessageBody(workspace_id, BuildMessageSendBody(task_text), timeout_ms);
}

ApiResult<A2AReply> PlatformClient::SendMessageBody(const std::string& workspace_id,
                                                    const std::string& body, long timeout_ms) {
  return InterpretA2AReply(Send("POST", WorkspacePath(workspace_id, "/a2a"), body, timeout_ms));
}

ApiResult<HeartbeatHistory> PlatformClient::GetHeartbeatHistory(const std::string& workspace_id,
                                                                std::int64_t since_secs) {
  return InterpretHeartbeatHistory(Send(
      "GET",
      WorkspacePath(workspace_id, "/heartbeat-history?since_secs=" + std::to_string(since_secs)),
      ""));
}

ApiResult<std::vector<ActivityRow>> PlatformClient::GetActivity(const std::string& workspace_id,
                                                                int limit) {
  return InterpretActivity(
      Send("GET", WorkspacePath(workspace_id, "/activity?limit=" + std::to_string(limit)), ""));
}

ApiResult<std::vector<ActivityRow>> PlatformClient::GetActivityPage(const std::string& workspace_id,
                                                                    const std::string& query) {
  return InterpretActivity(Send("GET", WorkspacePath(workspace_id, "/activity?" + query), ""));
}

ApiResult<A2AQueueItem> PlatformClient::GetQueueItem(const std::string& workspace_id,
                                                     const std::string& queue_id) {
  return InterpretQueueItem(Send("GET", WorkspacePath(workspace_id, "/a2a/queue/" + queue_id), ""));
}

ApiResult<StatusReply> PlatformClient::DeleteWorkspace(const std::string& workspace_id,
                                                       bool confirm, long timeout_ms,
                                                       const std::string& confirm_name) {
  const long budget_ms = timeout_ms > 0 ? timeout_ms : options_.request_timeout_ms;
  const auto began = std::chrono::steady_clock::now();
  const std::string path = WorkspacePath(workspace_id, confirm ? "?confirm=true" : "");
  const auto send = [&](const std::string& name, long ms) {
    std::vector<std::string> headers;
    if (!name.empty()) {
      headers.push_back("X-Confirm-Name: " + name);
    }
    return InterpretDeleteReply(Send("DELETE", path, "", ms, headers));
  };
  ApiResult<StatusReply> reply = send(confirm_name, budget_ms);
  // The platform names the persisted name it wants (a suffixed "PM (2)", a name changed
  // since): answered once; a second refusal would repeat forever.
  const long left_ms = budget_ms - ElapsedMs(began);
  if (IsConfirmationRequired(reply) && !reply.platform_error->workspace_name.empty() &&
      reply.platform_error->workspace_name != confirm_name && left_ms > 0) {
    return send(reply.platform_error->workspace_name, left_ms);
  }
  return reply;
}

ApiResult<StatusReply> PlatformClient::DeleteWorkspaceByReadName(const std::string& workspace_id,
                                                                 bool confirm, long timeout_ms) {
  const long budget_ms = timeout_ms > 0 ? timeout_ms : options_.request_timeout_ms;
  const auto began = std::chrono::steady_clock::now();
  ApiResult<WorkspaceInfo> info =
      InterpretWorkspaceInfo(Send("GET", WorkspacePath(workspace_id), "", budget_ms));
  const bool json_404 =
      info.platform_error && info.platform_error->kind == PlatformErrorKind::kNotFound;
  if ((info.ok() && info.exchange.http_status == 410) || json_404) {
    ApiResult<StatusReply> gone;
    gone.exchange = std::move(info.exchange);
    gone.value = StatusReply{json_404 ? "not_found" : "gone", 0, "", true};
    return gone;
  }
  const long left_ms = budget_ms - ElapsedMs(began);
  // Without a readable name the DELETE still goes out: the platform's 400 names it.
  const std::string name = info.ok() ? info.value->name : "";
  return DeleteWorkspace(workspace_id, confirm, left_ms > 0 ? left_ms : 1, name);
}

}  // namespace taskbounds
