#include "client/platform_client.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "curl/curl.h"
#include "rapidjson/error/en.h"
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

// Host part of an http(s) URL, lower-cased; "" when it cannot be found.
std::string UrlHost(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return "";
  }
  std::size_t start = scheme_end + 3;
  std::size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
  const auto at = authority.rfind('@');
  if (at != std::string::npos) {
    authority.erase(0, at + 1);
  }
  std::string host;
  if (!authority.empty() && authority[0] == '[') {
    const auto close = authority.find(']');
    host = authority.substr(0, close == std::string::npos ? close : close + 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  for (char& c : host) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return host;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

bool HasLineBreak(const std::string& s) {
  return s.find_first_of("\r\n", 0) != std::string::npos || s.find('\0') != std::string::npos;
}

// Every request's headers: JSON in and out, the configured credentials, then `extra`.
struct curl_slist* RequestHeaderList(const ClientOptions& options, bool has_body,
                                     const std::vector<RequestHeader>& extra_headers) {
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
  for (const RequestHeader& header : extra_headers) {
    headers = curl_slist_append(headers, (header.name + ": " + header.value).c_str());
  }
  return headers;
}

double MicrosToSecs(curl_off_t us) { return static_cast<double>(us) / 1e6; }

bool Is2xx(long status) { return status >= 200 && status < 300; }

// "METHOD /path" prefix for every error line.
std::string CallName(const HttpExchange& ex) { return ex.method + " " + ex.path; }

std::string ExcerptOrEmpty(const HttpExchange& ex) {
  if (ex.body.empty()) {
    return "(empty body)";
  }
  return ex.BodyExcerpt();
}

std::string TransportError(const HttpExchange& ex) { return CallName(ex) + ": " + ex.curl_error; }

std::string HttpStatusError(const HttpExchange& ex) {
  return CallName(ex) + ": HTTP " + std::to_string(ex.http_status) + ": " + ExcerptOrEmpty(ex);
}

// Parses the body as JSON; on failure fills `error` with the "not JSON" line.
bool ParseJsonBody(const HttpExchange& ex, rapidjson::Document* doc, std::string* error) {
  doc->Parse(ex.body.data(), ex.body.size());
  if (!doc->HasParseError()) {
    return true;
  }
  *error = CallName(ex) + ": HTTP " + std::to_string(ex.http_status) + ": response is not JSON (" +
           rapidjson::GetParseError_En(doc->GetParseError()) + " at offset " +
           std::to_string(doc->GetErrorOffset()) + "): " + ExcerptOrEmpty(ex);
  return false;
}

// Common preamble: transport failure or unexpected status become the error line.
bool CheckTransport(const HttpExchange& ex, std::string* error) {
  if (ex.transport_ok()) {
    return true;
  }
  *error = TransportError(ex);
  return false;
}

// Field readers. Each returns false and sets `error` when the member has the wrong type.
// Missing and null are "absent" (the real platform sends null for many optional fields).
bool ReadOptionalString(const HttpExchange& ex, const rapidjson::Value& obj, const char* name,
                        std::string* out, std::string* error, const std::string& where = "") {
  const auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) {
    return true;
  }
  if (!it->value.IsString()) {
    *error = CallName(ex) + ": field '" + where + name + "' is not a string: " + ExcerptOrEmpty(ex);
    return false;
  }
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

bool ReadRequiredString(const HttpExchange& ex, const rapidjson::Value& obj, const char* name,
                        std::string* out, std::string* error) {
  const auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) {
    *error = CallName(ex) + ": field '" + name + "' missing or not a string: " + ExcerptOrEmpty(ex);
    return false;
  }
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

bool ReadOptionalInt(const HttpExchange& ex, const rapidjson::Value& obj, const char* name,
                     std::int64_t* out, std::string* error, const std::string& where = "") {
  const auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) {
    return true;
  }
  if (it->value.IsInt64()) {
    *out = it->value.GetInt64();
    return true;
  }
  if (it->value.IsDouble()) {  // Go encodes some counters as floats
    const double d = it->value.GetDouble();
    if (d >= -9.2e18 && d <= 9.2e18) {
      *out = static_cast<std::int64_t>(d);
      return true;
    }
  }
  *error = CallName(ex) + ": field '" + where + name + "' is not a number: " + ExcerptOrEmpty(ex);
  return false;
}

bool RequireObject(const HttpExchange& ex, const rapidjson::Value& v, std::string* error) {
  if (v.IsObject()) {
    return true;
  }
  *error = CallName(ex) + ": response is not a JSON object: " + ExcerptOrEmpty(ex);
  return false;
}

// Parses a {"status": ...} success body.
bool ParseStatusReply(const HttpExchange& ex, StatusReply* reply, std::string* error) {
  rapidjson::Document doc;
  if (!ParseJsonBody(ex, &doc, error) || !RequireObject(ex, doc, error)) {
    return false;
  }
  return ReadRequiredString(ex, doc, "status", &reply->status, error) &&
         ReadOptionalInt(ex, doc, "cascade_deleted", &reply->cascade_deleted, error);
}

std::string JsonIdToString(const rapidjson::Value& id) {
  if (id.IsString()) {
    return std::string(id.GetString(), id.GetStringLength());
  }
  if (id.IsNull()) {
    return "";
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  id.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize());
}

// A text part: {"kind":"text","text":...}, {"type":"text","text":...} or a bare {"text":...}.
bool TextOfPart(const rapidjson::Value& part, std::string* text) {
  if (!part.IsObject()) {
    return false;
  }
  const auto t = part.FindMember("text");
  if (t == part.MemberEnd() || !t->value.IsString()) {
    return false;
  }
  for (const char* tag : {"kind", "type"}) {
    const auto k = part.FindMember(tag);
    if (k != part.MemberEnd() &&
        !(k->value.IsString() && std::string(k->value.GetString()) == "text")) {
      return false;
    }
  }
  text->assign(t->value.GetString(), t->value.GetStringLength());
  return true;
}

// First text part of a parts array.
bool FirstTextPart(const rapidjson::Value& holder, std::string* text) {
  if (!holder.IsObject()) {
    return false;
  }
  const auto parts = holder.FindMember("parts");
  if (parts == holder.MemberEnd() || !parts->value.IsArray()) {
    return false;
  }
  for (const auto& part : parts->value.GetArray()) {
    if (TextOfPart(part, text)) {
      return true;
    }
  }
  return false;
}

// The agent's answer text: a Message's parts, else a Task's artifacts (all text parts,
// newline-joined), else a Task's status message.
std::string ResultText(const rapidjson::Value& result) {
  std::string text;
  if (FirstTextPart(result, &text)) {
    return text;
  }
  if (!result.IsObject()) {
    return "";
  }
  const auto artifacts = result.FindMember("artifacts");
  if (artifacts != result.MemberEnd() && artifacts->value.IsArray()) {
    std::string joined;
    bool any = false;
    for (const auto& artifact : artifacts->value.GetArray()) {
      if (!artifact.IsObject()) {
        continue;
      }
      const auto parts = artifact.FindMember("parts");
      if (parts == artifact.MemberEnd() || !parts->value.IsArray()) {
        continue;
      }
      for (const auto& part : parts->value.GetArray()) {
        std::string piece;
        if (TextOfPart(part, &piece)) {
          if (any) {
            joined.push_back('\n');
          }
          joined += piece;
          any = true;
        }
      }
    }
    if (any) {
      return joined;
    }
  }
  const auto status = result.FindMember("status");
  if (status != result.MemberEnd() && status->value.IsObject()) {
    const auto message = status->value.FindMember("message");
    if (message != status->value.MemberEnd() && FirstTextPart(message->value, &text)) {
      return text;
    }
  }
  return "";
}

}  // namespace

std::string HttpExchange::BodyExcerpt(std::size_t max_chars) const {
  static const char kHex[] = "0123456789abcdef";
  static const char kEllipsis[] = "...";
  const std::size_t budget = max_chars > 3 ? max_chars - 3 : max_chars;
  std::string out;
  std::size_t i = 0;
  for (; i < body.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(body[i]);
    std::string piece;
    if (c == '\n') {
      piece = "\\n";
    } else if (c == '\r') {
      piece = "\\r";
    } else if (c == '\t') {
      piece = "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      piece = std::string("\\x") + kHex[c >> 4] + kHex[c & 0xF];
    } else {
      piece.assign(1, static_cast<char>(c));
    }
    if (out.size() + piece.size() > budget) {
      break;
    }
    out += piece;
  }
  if (i < body.size()) {
    // Do not end on half a UTF-8 sequence: drop trailing lead/continuation bytes.
    std::size_t keep = out.size();
    std::size_t back = 0;
    while (keep > 0 && back < 4 && (static_cast<unsigned char>(out[keep - 1]) & 0xC0) == 0x80) {
      --keep;
      ++back;
    }
    if (keep > 0 && (static_cast<unsigned char>(out[keep - 1]) & 0xC0) == 0xC0) {
      const unsigned char lead = static_cast<unsigned char>(out[keep - 1]);
      const std::size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
      if (back < need) {
        out.resize(keep - 1);
      }
    }
    out += kEllipsis;
  }
  return out;
}

const char* A2AOutcomeName(A2AOutcome outcome) {
  switch (outcome) {
    case A2AOutcome::kResult:
      return "result";
    case A2AOutcome::kAgentError:
      return "agent_error";
    case A2AOutcome::kQueued:
      return "queued";
    case A2AOutcome::kJsonRpcError:
      return "jsonrpc_error";
    case A2AOutcome::kPlatformError:
      return "platform_error";
    case A2AOutcome::kNoResponse:
      return "no_response";
  }
  return "unknown";
}

std::optional<std::string> CreatedWorkspaceId(const HttpExchange& exchange) {
  if (!exchange.transport_ok() || exchange.http_status < 200 || exchange.http_status >= 300) {
    return std::nullopt;
  }
  rapidjson::Document doc;
  doc.Parse(exchange.body.data(), exchange.body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return std::nullopt;
  }
  const auto id = doc.FindMember("id");
  if (id == doc.MemberEnd() || !id->value.IsString() || id->value.GetStringLength() == 0) {
    return std::nullopt;
  }
  return std::string(id->value.GetString(), id->value.GetStringLength());
}

std::string BuildMessageSendBody(const std::string& task_text) {
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
                                  const std::string& body, long timeout_ms) {
  return SendWithHeaders(method, path_and_query, body, {}, timeout_ms);
}

HttpExchange PlatformClient::SendWithHeaders(const std::string& method,
                                             const std::string& path_and_query,
                                             const std::string& body,
                                             const std::vector<RequestHeader>& extra_headers,
                                             long timeout_ms) {
  HttpExchange ex;
  ex.method = method;
  ex.path = path_and_query;
  const long total_ms = timeout_ms > 0 ? timeout_ms : options_.request_timeout_ms;
  CURL* h = curl_->easy;
  if (h == nullptr) {
    ex.curl_code = CURLE_FAILED_INIT;
    ex.curl_error = "curl_easy_init failed";
    return ex;
  }
  // A CR/LF in a header value would let a config value inject headers: refuse to send.
  if (HasLineBreak(options_.admin_token) || HasLineBreak(options_.tenant_id) ||
      std::any_of(extra_headers.begin(), extra_headers.end(), [](const RequestHeader& header) {
        return HasLineBreak(header.name + header.value) ||
               header.name.find(':') != std::string::npos;
      })) {
    ex.curl_code = CURLE_BAD_FUNCTION_ARGUMENT;
    ex.curl_error =
        "admin token, tenant id or a header contains a line break or NUL; refusing to send";
    return ex;
  }

  // Reset drops every option of the previous request (CUSTOMREQUEST, POSTFIELDS, headers)
  // but keeps the connection cache, so the kept-alive connection is reused.
  curl_easy_reset(h);
  curl_->errbuf[0] = '\0';
  const std::string url = options_.base_url + path_and_query;
  BodySink sink{&ex.body, options_.max_body_bytes};

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_->errbuf);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  if (IsLoopbackHost(UrlHost(options_.base_url))) {
    // A proxy from the environment must never see loopback traffic (the fake platform).
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  }

  if (method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (method == "POST" && !body.empty()) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (!body.empty()) {
    // `body` outlives curl_easy_perform below, so no copy is needed; the size is explicit
    // so embedded NUL bytes are sent too.
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  } else if (method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(0));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
  }

  struct curl_slist* headers = RequestHeaderList(options_, !body.empty(), extra_headers);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

  const CURLcode code = curl_easy_perform(h);
  curl_slist_free_all(headers);

  ex.curl_code = static_cast<int>(code);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &ex.http_status);
  const char* content_type = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK &&
      content_type != nullptr) {
    ex.content_type = content_type;
  }
  curl_off_t t = 0;
  if (curl_easy_getinfo(h, CURLINFO_NAMELOOKUP_TIME_T, &t) == CURLE_OK) {
    ex.timings.namelookup_secs = MicrosToSecs(t);
  }
  if (curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &t) == CURLE_OK) {
    ex.timings.connect_secs = MicrosToSecs(t);
  }
  if (curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &t) == CURLE_OK) {
    ex.timings.appconnect_secs = MicrosToSecs(t);
  }
  if (curl_easy_getinfo(h, CURLINFO_STARTTRANSFER_TIME_T, &t) == CURLE_OK) {
    ex.timings.starttransfer_secs = MicrosToSecs(t);
  }
  if (curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &t) == CURLE_OK) {
    ex.timings.total_secs = MicrosToSecs(t);
  }

  if (code != CURLE_OK) {
    ex.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    if (sink.too_large) {
      ex.body_too_large = true;
      ex.curl_error = "response body exceeds " + std::to_string(options_.max_body_bytes) +
                      " bytes; transfer aborted";
    } else {
      std::string detail = curl_->errbuf[0] != '\0' ? curl_->errbuf : curl_easy_strerror(code);
      while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) {
        detail.pop_back();
      }
      ex.curl_error = detail + " (curl code " + std::to_string(static_cast<int>(code)) +
                      ", total timeout " + std::to_string(total_ms) + " ms, connect timeout " +
                      std::to_string(options_.connect_timeout_ms) + " ms)";
      if (ex.timed_out) {
        ex.curl_error = "timed out: " + ex.curl_error;
      }
    }
  }
  return ex;
}

ApiResult<CreatedWorkspace> PlatformClient::CreateWorkspace(const WorkspaceSpec& spec) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("name");
  w.String(spec.name);
  w.Key("role");
  w.String(spec.role);
  w.Key("tier");
  w.Int(spec.tier);
  w.Key("template");
  w.String(spec.template_name);
  w.EndObject();

  ApiResult<CreatedWorkspace> r;
  r.exchange = Send("POST", "/workspaces", std::string(buf.GetString(), buf.GetSize()));
  const HttpExchange& ex = r.exchange;
  if (!CheckTransport(ex, &r.error)) {
    return r;
  }
  if (ex.http_status != 201 && ex.http_status != 200) {
    r.error = HttpStatusError(ex);
    return r;
  }
  rapidjson::Document doc;
  CreatedWorkspace created;
  if (!ParseJsonBody(ex, &doc, &r.error) || !RequireObject(ex, doc, &r.error) ||
      !ReadRequiredString(ex, doc, "id", &created.id, &r.error) ||
      !ReadOptionalString(ex, doc, "status", &created.status, &r.error)) {
    return r;
  }
  if (created.id.empty()) {
    r.error = CallName(ex) + ": field 'id' is empty: " + ExcerptOrEmpty(ex);
    return r;
  }
  r.value = std::move(created);
  return r;
}

namespace {

// 200 + {"status": string} routes.
ApiResult<StatusReply> InterpretStatusRoute(HttpExchange ex) {
  ApiResult<StatusReply> r;
  r.exchange = std::move(ex);
  if (!CheckTransport(r.exchange, &r.error)) {
    return r;
  }
  if (!Is2xx(r.exchange.http_status)) {
    r.error = HttpStatusError(r.exchange);
    return r;
  }
  StatusReply reply;
  if (ParseStatusReply(r.exchange, &reply, &r.error)) {
    r.value = std::move(reply);
  }
  return r;
}

}  // namespace

ApiResult<StatusReply> PlatformClient::PatchParent(const std::string& child_id,
                                                   const std::string& parent_id) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("parent_id");
  w.String(parent_id);
  w.EndObject();
  return InterpretStatusRoute(
      Send("PATCH", WorkspacePath(child_id), std::string(buf.GetString(), buf.GetSize())));
}

ApiResult<StatusReply> PlatformClient::SetSecret(const std::string& workspace_id,
                                                 const std::string& key, const std::string& value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("key");
  w.String(key);
  w.Key("value");
  w.String(value);
  w.EndObject();
  return InterpretStatusRoute(Send("POST", WorkspacePath(workspace_id, "/secrets"),
                                   std::string(buf.GetString(), buf.GetSize())));
}

ApiResult<WorkspaceInfo> PlatformClient::GetWorkspace(const std::string& workspace_id) {
  ApiResult<WorkspaceInfo> r;
  r.exchange = Send("GET", WorkspacePath(workspace_id), "");
  const HttpExchange& ex = r.exchange;
  if (!CheckTransport(ex, &r.error)) {
    return r;
  }
  if (ex.http_status != 200) {
    r.error = HttpStatusError(ex);
    return r;
  }
  rapidjson::Document doc;
  WorkspaceInfo info;
  std::string parent;
  if (!ParseJsonBody(ex, &doc, &r.error) || !RequireObject(ex, doc, &r.error) ||
      !ReadRequiredString(ex, doc, "id", &info.id, &r.error) ||
      !ReadRequiredString(ex, doc, "status", &info.status, &r.error) ||
      !ReadOptionalString(ex, doc, "name", &info.name, &r.error) ||
      !ReadOptionalString(ex, doc, "parent_id", &parent, &r.error) ||
      !ReadOptionalInt(ex, doc, "active_tasks", &info.active_tasks, &r.error) ||
      !ReadOptionalInt(ex, doc, "uptime_seconds", &info.uptime_seconds, &r.error)) {
    return r;
  }
  const auto p = doc.FindMember("parent_id");
  if (p != doc.MemberEnd() && p->value.IsString()) {
    info.parent_id = parent;
  }
  r.value = std::move(info);
  return r;
}

ApiResult<A2AReply> PlatformClient::SendMessage(const std::string& workspace_id,
                                                const std::string& task_text, long timeout_ms) {
  return SendMessageBody(workspace_id, BuildMessageSendBody(task_text), timeout_ms);
}

ApiResult<A2AReply> PlatformClient::SendMessageBody(const std::string& workspace_id,
                                                    const std::string& body, long timeout_ms) {
  ApiResult<A2AReply> r;
  r.exchange = Send("POST", WorkspacePath(workspace_id, "/a2a"), body, timeout_ms);
  const HttpExchange& ex = r.exchange;
  A2AReply reply;
  if (!ex.transport_ok()) {
    // No answer is itself evidence (harness timeout, dropped connection): the caller
    // classifies it, so the value is set and the error says what happened.
    reply.outcome = A2AOutcome::kNoResponse;
    r.error = TransportError(ex);
    r.value = std::move(reply);
    return r;
  }

  rapidjson::Document doc;
  doc.Parse(ex.body.data(), ex.body.size());
  const bool is_object = !doc.HasParseError() && doc.IsObject();

  if (is_object) {
    const auto id = doc.FindMember("id");
    if (id != doc.MemberEnd()) {
      reply.jsonrpc_id = JsonIdToString(id->value);
    }
    const auto err = doc.FindMember("error");
    if (err != doc.MemberEnd() && err->value.IsObject()) {
      reply.outcome = A2AOutcome::kJsonRpcError;
      std::int64_t code = 0;
      std::string message;
      if (!ReadOptionalInt(ex, err->value, "code", &code, &r.error, "error.") ||
          !ReadOptionalString(ex, err->value, "message", &message, &r.error, "error.")) {
        return r;
      }
      reply.jsonrpc_error_code = code;
      reply.error_message = std::move(message);
      r.value = std::move(reply);
      return r;
    }
  }

  std::string flat_error;  // the platform's flat {"error": "..."} text, if any
  if (is_object) {
    const auto err = doc.FindMember("error");
    if (err != doc.MemberEnd() && err->value.IsString()) {
      flat_error.assign(err->value.GetString(), err->value.GetStringLength());
    }
  }
  const rapidjson::Value* result = nullptr;
  if (is_object) {
    const auto it = doc.FindMember("result");
    if (it != doc.MemberEnd()) {
      result = &it->value;
    }
  }
  const bool has_result = result != nullptr;

  if (Is2xx(ex.http_status) && ex.http_status != 202 && !has_result && flat_error.empty()) {
    if (doc.HasParseError()) {
      ParseJsonBody(ex, &doc, &r.error);
    } else {
      r.error = CallName(ex) + ": HTTP " + std::to_string(ex.http_status) +
                ": neither 'result' nor 'error' in the reply: " + ExcerptOrEmpty(ex);
    }
    return r;
  }

  if (Is2xx(ex.http_status) && has_result) {
    reply.text = ResultText(*result);
    static const std::string kAgentErrorPrefix = "Agent error:";
    reply.outcome = reply.text.compare(0, kAgentErrorPrefix.size(), kAgentErrorPrefix) == 0
                        ? A2AOutcome::kAgentError
                        : A2AOutcome::kResult;
    r.value = std::move(reply);
    return r;
  }

  if (ex.http_status == 202 && is_object) {
    const auto queued = doc.FindMember("queued");
    if (queued != doc.MemberEnd() && queued->value.IsBool() && queued->value.GetBool()) {
      reply.outcome = A2AOutcome::kQueued;
      if (!ReadOptionalString(ex, doc, "queue_id", &reply.queue_id, &r.error) ||
          !ReadOptionalString(ex, doc, "message", &reply.error_message, &r.error)) {
        return r;
      }
      r.value = std::move(reply);
      return r;
    }
  }

  // Every other answer is the platform (or something in front of it) refusing the call;
  // the status is in exchange.http_status.
  reply.outcome = A2AOutcome::kPlatformError;
  reply.error_message = flat_error.empty() ? ExcerptOrEmpty(ex) : flat_error;
  r.value = std::move(reply);
  return r;
}

ApiResult<HeartbeatHistory> PlatformClient::GetHeartbeatHistory(const std::string& workspace_id,
                                                                std::int64_t since_secs) {
  ApiResult<HeartbeatHistory> r;
  r.exchange = Send(
      "GET",
      WorkspacePath(workspace_id, "/heartbeat-history?since_secs=" + std::to_string(since_secs)),
      "");
  const HttpExchange& ex = r.exchange;
  if (!CheckTransport(ex, &r.error)) {
    return r;
  }
  HeartbeatHistory history;
  if (ex.http_status == 404) {  // the real platform has no such route
    history.available = false;
    r.value = std::move(history);
    return r;
  }
  if (ex.http_status != 200) {
    r.error = HttpStatusError(ex);
    return r;
  }
  rapidjson::Document doc;
  if (!ParseJsonBody(ex, &doc, &r.error)) {
    return r;
  }
  const rapidjson::Value* entries = nullptr;
  if (doc.IsArray()) {
    entries = &doc;
  } else if (doc.IsObject()) {
    const auto it = doc.FindMember("entries");
    if (it != doc.MemberEnd() && it->value.IsArray()) {
      entries = &it->value;
    }
  }
  if (entries == nullptr) {
    r.error = CallName(ex) + ": expected an 'entries' array or a bare array: " + ExcerptOrEmpty(ex);
    return r;
  }
  history.available = true;
  rapidjson::SizeType index = 0;
  for (const auto& item : entries->GetArray()) {
    const std::string where = "entries[" + std::to_string(index++) + "].";
    if (!item.IsObject()) {
      r.error = CallName(ex) + ": " + where.substr(0, where.size() - 1) +
                " is not an object: " + ExcerptOrEmpty(ex);
      return r;
    }
    HeartbeatEntry entry;
    if (!ReadOptionalString(ex, item, "ts", &entry.ts, &r.error, where) ||
        !ReadOptionalString(ex, item, "status", &entry.status, &r.error, where) ||
        !ReadOptionalString(ex, item, "event", &entry.event, &r.error, where)) {
      return r;
    }
    history.entries.push_back(std::move(entry));
  }
  r.value = std::move(history);
  return r;
}

ApiResult<std::vector<ActivityRow>> PlatformClient::GetActivity(const std::string& workspace_id,
                                                                int limit) {
  ApiResult<std::vector<ActivityRow>> r;
  r.exchange =
      Send("GET", WorkspacePath(workspace_id, "/activity?limit=" + std::to_string(limit)), "");
  const HttpExchange& ex = r.exchange;
  if (!CheckTransport(ex, &r.error)) {
    return r;
  }
  if (ex.http_status != 200) {
    r.error = HttpStatusError(ex);
    return r;
  }
  rapidjson::Document doc;
  if (!ParseJsonBody(ex, &doc, &r.error)) {
    return r;
  }
  if (!doc.IsArray()) {
    r.error = CallName(ex) + ": response is not a JSON array: " + ExcerptOrEmpty(ex);
    return r;
  }
  std::vector<ActivityRow> rows;
  rapidjson::SizeType index = 0;
  for (const auto& item : doc.GetArray()) {
    const std::string where = "[" + std::to_string(index++) + "].";
    if (!item.IsObject()) {
      r.error = CallName(ex) + ": row " + where.substr(0, where.size() - 1) +
                " is not an object: " + ExcerptOrEmpty(ex);
      return r;
    }
    ActivityRow row;
    if (!ReadOptionalString(ex, item, "id", &row.id, &r.error, where) ||
        !ReadOptionalString(ex, item, "activity_type", &row.activity_type, &r.error, where) ||
        !ReadOptionalString(ex, item, "method", &row.method, &r.error, where) ||
        !ReadOptionalString(ex, item, "status", &row.status, &r.error, where) ||
        !ReadOptionalString(ex, item, "summary", &row.summary, &r.error, where) ||
        !ReadOptionalInt(ex, item, "duration_ms", &row.duration_ms, &r.error, where) ||
        !ReadOptionalString(ex, item, "created_at", &row.created_at, &r.error, where)) {
      return r;
    }
    rows.push_back(std::move(row));
  }
  r.value = std::move(rows);
  return r;
}

ApiResult<StatusReply> PlatformClient::DeleteWorkspace(const std::string& workspace_id,
                                                       bool confirm, long timeout_ms) {
  ApiResult<StatusReply> r;
  r.exchange =
      Send("DELETE", WorkspacePath(workspace_id, confirm ? "?confirm=true" : ""), "", timeout_ms);
  const HttpExchange& ex = r.exchange;
  if (!CheckTransport(ex, &r.error)) {
    return r;
  }
  StatusReply reply;
  if (ex.http_status == 404 && ex.body.empty()) {
    r.error = CallName(ex) +
              ": HTTP 404 with an empty body: the platform's tenant guard refused the request "
              "(check TENANT_ID); the workspace may still exist";
    return r;
  }
  if (ex.http_status == 404) {  // already absent: the post-condition holds
    reply.status = "not_found";
    r.value = std::move(reply);
    return r;
  }
  if (ex.http_status == 204 || (ex.http_status == 200 && ex.body.empty())) {
    reply.status = "removed";
    r.value = std::move(reply);
    return r;
  }
  if (ex.http_status != 200) {
    r.error = HttpStatusError(ex);
    return r;
  }
  if (ParseStatusReply(ex, &reply, &r.error)) {
    r.value = std::move(reply);
  }
  return r;
}

}  // namespace taskbounds
