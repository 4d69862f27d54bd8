#include "client/wire.h"

#include <utility>

#include "client/text.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {
namespace {

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

// The error line of a refusal: configuration errors say what to change, a 422 leads with
// its code (platform-api-2026-08.md sections 1, 7); anything else shows the body.
std::string RefusalError(const HttpExchange& ex, const PlatformError& e) {
  const std::string head = CallName(ex) + ": HTTP " + std::to_string(ex.http_status);
  if (e.kind == PlatformErrorKind::kTenantHeaderRequired) {
    return head +
           " TENANT_ORG_HEADER_REQUIRED: the platform requires the X-Molecule-Org-Id header: "
           "set TENANT_ID (or ORG_ID with MODE=saas)";
  }
  if (e.kind == PlatformErrorKind::kUnprocessable && !e.code.empty()) {
    return head + " " + e.code + ": " + e.message;
  }
  return HttpStatusError(ex);
}

// Parses the body with the bounded parser; on failure fills `error` with the call, the
// status and why the body is not usable JSON.
bool ParseJsonBody(const HttpExchange& ex, rapidjson::Document* doc, std::string* error) {
  std::string why;
  if (ParseBoundedJson(ex.body, doc, &why)) {
    return true;
  }
  *error = CallName(ex) + ": HTTP " + std::to_string(ex.http_status) + ": " + why + ": " +
           ExcerptOrEmpty(ex);
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

// Longest status word kept from GET /workspaces/{id} (the platform's are under 20 bytes).
constexpr std::size_t kStatusBytes = 64;

// Takes `exchange` into `r`; false, with r->error set, when the transfer failed or the
// status is not one `status_ok` accepts. The common start of every interpreter.
template <typename T, typename StatusOk>
bool TakeExchange(HttpExchange exchange, StatusOk status_ok, ApiResult<T>* r) {
  r->exchange = std::move(exchange);
  if (!CheckTransport(r->exchange, &r->error)) {
    return false;
  }
  if (!status_ok(r->exchange.http_status)) {
    r->platform_error = ReadPlatformError(r->exchange);
    r->error = RefusalError(r->exchange, *r->platform_error);
    return false;
  }
  return true;
}

bool AnyStatus(long /*status*/) { return true; }
bool Is200(long status) { return status == 200; }

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

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    x = (x >= 'A' && x <= 'Z') ? static_cast<char>(x - 'A' + 'a') : x;
    y = (y >= 'A' && y <= 'Z') ? static_cast<char>(y - 'A' + 'a') : y;
    if (x != y) {
      return false;
    }
  }
  return true;
}

// Deepest nesting of arrays and objects in `text`, counting only brackets outside strings;
// stops counting once past `cap` (the answer is then cap + 1), so it is linear and cheap.
std::size_t NestingDepthUpTo(std::string_view text, std::size_t cap) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > cap) {
        return depth;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return depth;
}

}  // namespace

bool ParseBoundedJson(std::string_view text, rapidjson::Document* doc, std::string* error) {
  if (text.size() > kMaxJsonBytes) {
    *error = "JSON body of " + std::to_string(text.size()) + " bytes exceeds the " +
             std::to_string(kMaxJsonBytes) + "-byte limit";
    return false;
  }
  // Checked before parsing: RapidJSON's recursive parser overflows the stack on deep input
  // (~100 KB of '[' is enough), and even a parsed deep value is copied and written
  // recursively later (events, copies).
  if (NestingDepthUpTo(text, kMaxJsonDepth) > kMaxJsonDepth) {
    *error = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  doc->Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc->HasParseError()) {
    *error = std::string("response is not JSON (") +
             rapidjson::GetParseError_En(doc->GetParseError()) + " at offset " +
             std::to_string(doc->GetErrorOffset()) + ")";
    return false;
  }
  return true;
}

std::string HttpExchange::BodyExcerpt(std::size_t max_chars) const {
  return SanitizeRemoteText(body, max_chars);
}

std::optional<std::string> CreatedWorkspaceId(const HttpExchange& exchange) {
  if (!exchange.transport_ok() || exchange.http_status < 200 || exchange.http_status >= 300) {
    return std::nullopt;
  }
  rapidjson::Document doc;
  std::string ignored;
  if (!ParseBoundedJson(exchange.body, &doc, &ignored) || !doc.IsObject()) {
    return std::nullopt;
  }
  const auto id = doc.FindMember("id");
  if (id == doc.MemberEnd() || !id->value.IsString() || id->value.GetStringLength() == 0) {
    return std::nullopt;
  }
  return std::string(id->value.GetString(), id->value.GetStringLength());
}

namespace {

ApiResult<CreatedWorkspace> InterpretCreatedWorkspaceKeepingBody(HttpExchange exchange);

// Replaces every occurrence of `secret` in `text` with "***".
void Redact(const std::string& secret, std::string* text) {
  if (secret.empty()) {
    return;
  }
  for (std::size_t at = text->find(secret); at != std::string::npos;
       at = text->find(secret, at + 3)) {
    text->replace(at, secret.size(), "***");
  }
}

// The 201's auth_token (platform-api-2026-08.md section 1) is a secret: it is taken out of
// the kept body and every error line, so no event, log or excerpt can carry it.
void RedactAuthToken(ApiResult<CreatedWorkspace>* r) {
  rapidjson::Document doc;
  std::string ignored;
  std::string token;
  if (!ParseBoundedJson(r->exchange.body, &doc, &ignored) || !doc.IsObject() ||
      !ReadOptionalString(r->exchange, doc, "auth_token", &token, &ignored)) {
    return;
  }
  Redact(token, &r->exchange.body);
  Redact(token, &r->error);
}

}  // namespace

ApiResult<CreatedWorkspace> InterpretCreatedWorkspace(HttpExchange exchange) {
  ApiResult<CreatedWorkspace> r = InterpretCreatedWorkspaceKeepingBody(std::move(exchange));
  RedactAuthToken(&r);
  return r;
}

namespace {

ApiResult<CreatedWorkspace> InterpretCreatedWorkspaceKeepingBody(HttpExchange exchange) {
  ApiResult<CreatedWorkspace> r;
  const auto created_status = [](long status) { return status == 200 || status == 201; };
  if (!TakeExchange(std::move(exchange), created_status, &r)) {
    return r;
  }
  const HttpExchange& ex = r.exchange;
  rapidjson::Document doc;
  CreatedWorkspace created;
  if (!ParseJsonBody(ex, &doc, &r.error) || !RequireObject(ex, doc, &r.error) ||
      !ReadRequiredString(ex, doc, "id", &created.id, &r.error) ||
      !ReadOptionalString(ex, doc, "status", &created.status, &r.error) ||
      !ReadOptionalString(ex, doc, "auth_token", &created.auth_token, &r.error)) {
    return r;
  }
  if (created.id.empty()) {
    r.error = CallName(ex) + ": field 'id' is empty: " + ExcerptOrEmpty(ex);
    return r;
  }
  r.value = std::move(created);
  return r;
}

}  // namespace

// 200 + {"status": string} routes.
ApiResult<StatusReply> InterpretStatusReply(HttpExchange ex) {
  ApiResult<StatusReply> r;
  if (!TakeExchange(std::move(ex), Is2xx, &r)) {
    return r;
  }
  StatusReply reply;
  if (ParseStatusReply(r.exchange, &reply, &r.error)) {
    r.value = std::move(reply);
  }
  return r;
}

namespace {

// 2026-08 liveness fields of GET /workspaces/{id} (platform-api-2026-08.md section 3).
bool ReadLivenessFields(const HttpExchange& ex, const rapidjson::Value& doc, WorkspaceInfo* info,
                        std::string* error) {
  std::string heartbeat;
  if (!ReadOptionalString(ex, doc, "last_heartbeat_at", &heartbeat, error) ||
      !ReadOptionalString(ex, doc, "last_sample_error", &info->last_sample_error, error)) {
    return false;
  }
  const auto hb = doc.FindMember("last_heartbeat_at");
  if (hb != doc.MemberEnd() && hb->value.IsString()) {
    info->last_heartbeat_at = SanitizeRemoteText(heartbeat, kStatusBytes);
  }
  info->last_sample_error = SanitizeRemoteText(info->last_sample_error);
  const auto wedged = doc.FindMember("wedged");
  if (wedged != doc.MemberEnd() && !wedged->value.IsNull()) {
    if (!wedged->value.IsBool()) {
      *error = CallName(ex) + ": field 'wedged' is not a boolean: " + ExcerptOrEmpty(ex);
      return false;
    }
    info->wedged = wedged->value.GetBool();
  }
  return true;
}

// A 410 tombstone (2026-08 section 3): the workspace is removed; its id is the body's
// when readable (the path's otherwise is left to the caller, who asked for it).
WorkspaceInfo RemovedWorkspace(const HttpExchange& ex) {
  WorkspaceInfo info;
  info.status = "removed";
  info.removed = true;
  rapidjson::Document doc;
  std::string ignored;
  if (ParseBoundedJson(ex.body, &doc, &ignored) && doc.IsObject()) {
    ReadOptionalString(ex, doc, "id", &info.id, &ignored);
  }
  return info;
}

}  // namespace

ApiResult<WorkspaceInfo> InterpretWorkspaceInfo(HttpExchange exchange) {
  ApiResult<WorkspaceInfo> r;
  const auto answered = [](long status) { return status == 200 || status == 410; };
  if (!TakeExchange(std::move(exchange), answered, &r)) {
    return r;
  }
  const HttpExchange& ex = r.exchange;
  if (ex.http_status == 410) {
    r.value = RemovedWorkspace(ex);
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
      !ReadOptionalInt(ex, doc, "uptime_seconds", &info.uptime_seconds, &r.error) ||
      !ReadLivenessFields(ex, doc, &info, &r.error)) {
    return r;
  }
  const auto p = doc.FindMember("parent_id");
  if (p != doc.MemberEnd() && p->value.IsString()) {
    info.parent_id = parent;
  }
  // The status is only ever compared and shown (sampler events, transitions on stderr and
  // in test.xml): made safe once here. A real status is a short ASCII word and unchanged.
  info.status = SanitizeRemoteText(info.status, kStatusBytes);
  info.removed = info.status == "removed";
  r.value = std::move(info);
  return r;
}

namespace {

// A JSON-RPC {"error":{code,message}} reply; false (with r->error set) on wrong types.
bool ReadJsonRpcError(const HttpExchange& ex, const rapidjson::Value& err, A2AReply* reply,
                      std::string* error) {
  reply->outcome = A2AOutcome::kJsonRpcError;
  std::int64_t code = 0;
  std::string message;
  if (!ReadOptionalInt(ex, err, "code", &code, error, "error.") ||
      !ReadOptionalString(ex, err, "message", &message, error, "error.")) {
    return false;
  }
  reply->jsonrpc_error_code = code;
  reply->error_message = std::move(message);
  return true;
}

bool TrueMember(const rapidjson::Value& obj, const char* name) {
  const auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

// What in a 503 says the platform did not take the task at all (platform-api-2026-08.md
// section 5: busy enqueue failure, waking from hibernation, concierge warming), or "".
std::string RefusalSignal(const HttpExchange& ex, const rapidjson::Value* obj,
                          const std::string& flat_error) {
  if (ex.http_status != 503) {
    return "";
  }
  if (obj != nullptr && TrueMember(*obj, "busy")) {
    return "busy";
  }
  if (obj != nullptr && TrueMember(*obj, "warming")) {
    return "warming";
  }
  for (const char* word : {"waking", "warming"}) {
    if (flat_error.find(word) != std::string::npos) {
      return word;
    }
  }
  return HeaderValue(ex.response_headers, "Retry-After").has_value() ? "Retry-After" : "";
}

// A 200 {"status":"queued",...} acknowledgement (platform-api-2026-08.md section 4): the
// kickoff was accepted and the task goes on. Returns false when the body is something
// else, or (with `error` set) when a field has the wrong type.
bool ReadDeferral(const HttpExchange& ex, const rapidjson::Value& obj, A2AReply* reply,
                  std::string* error) {
  const auto status = obj.FindMember("status");
  if (status == obj.MemberEnd() || !status->value.IsString() ||
      std::string_view(status->value.GetString(), status->value.GetStringLength()) != "queued") {
    return false;
  }
  if (!ReadOptionalString(ex, obj, "queue_id", &reply->queue_id, error) ||
      !ReadOptionalString(ex, obj, "delivery_mode", &reply->delivery_mode, error)) {
    return false;
  }
  reply->outcome = A2AOutcome::kDeferred;
  return true;
}

// result.status.state of an A2A Task result; "" for a message or a malformed state.
std::string TaskState(const rapidjson::Value& result) {
  if (!result.IsObject()) {
    return "";
  }
  const auto status = result.FindMember("status");
  if (status == result.MemberEnd() || !status->value.IsObject()) {
    return "";
  }
  const auto state = status->value.FindMember("state");
  if (state == status->value.MemberEnd() || !state->value.IsString()) {
    return "";
  }
  return SanitizeRemoteText(std::string(state->value.GetString(), state->value.GetStringLength()),
                            32);
}

// A non-2xx (or 2xx without result) answer: refused, queued or a platform error.
void ReadPlatformAnswer(const HttpExchange& ex, const rapidjson::Value* obj,
                        const std::string& flat_error, A2AReply* reply, std::string* error) {
  if (ex.http_status == 202 && obj != nullptr && TrueMember(*obj, "queued")) {
    reply->outcome = A2AOutcome::kQueued;
    if (ReadOptionalString(ex, *obj, "queue_id", &reply->queue_id, error) &&
        ReadOptionalString(ex, *obj, "message", &reply->error_message, error)) {
      return;
    }
    reply->outcome = A2AOutcome::kNoResponse;
    return;
  }
  reply->error_message = flat_error.empty() ? ExcerptOrEmpty(ex) : flat_error;
  reply->refusal_signal = RefusalSignal(ex, obj, flat_error);
  reply->retry_after = HeaderValue(ex.response_headers, "Retry-After").value_or("");
  // Every other answer is the platform (or something in front of it) refusing the call;
  // the status is in exchange.http_status.
  reply->outcome =
      reply->refusal_signal.empty() ? A2AOutcome::kPlatformError : A2AOutcome::kRefused;
}

}  // namespace

ApiResult<A2AReply> InterpretA2AReply(HttpExchange exchange) {
  ApiResult<A2AReply> r;
  r.exchange = std::move(exchange);
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
  std::string parse_error;
  const bool parsed = ParseBoundedJson(ex.body, &doc, &parse_error);
  const rapidjson::Value* obj = parsed && doc.IsObject() ? &doc : nullptr;
  std::string flat_error;  // the platform's flat {"error": "..."} text, if any
  const rapidjson::Value* result = nullptr;
  if (obj != nullptr) {
    const auto id = doc.FindMember("id");
    if (id != doc.MemberEnd()) {
      reply.jsonrpc_id = JsonIdToString(id->value);
    }
    const auto err = doc.FindMember("error");
    if (err != doc.MemberEnd() && err->value.IsObject()) {
      if (ReadJsonRpcError(ex, err->value, &reply, &r.error)) {
        r.value = std::move(reply);
      }
      return r;
    }
    if (err != doc.MemberEnd() && err->value.IsString()) {
      flat_error.assign(err->value.GetString(), err->value.GetStringLength());
    }
    const auto it = doc.FindMember("result");
    result = it != doc.MemberEnd() ? &it->value : nullptr;
  }

  if (ex.http_status == 200 && result == nullptr && flat_error.empty() && obj != nullptr &&
      ReadDeferral(ex, *obj, &reply, &r.error)) {
    r.value = std::move(reply);
    return r;
  }
  if (!r.error.empty()) {
    return r;
  }
  if (Is2xx(ex.http_status) && ex.http_status != 202 && result == nullptr && flat_error.empty()) {
    r.error = CallName(ex) + ": HTTP " + std::to_string(ex.http_status) + ": " +
              (parsed ? "neither 'result' nor 'error' in the reply" : parse_error) + ": " +
              ExcerptOrEmpty(ex);
    return r;
  }
  if (Is2xx(ex.http_status) && result != nullptr) {
    reply.text = ResultText(*result);
    reply.task_state = TaskState(*result);
    // 2026-04's "Agent error: ..." and 2026-08's "Agent error (<Tag>)..." (no colon;
    // platform-api-2026-08.md section 6): the classifier tells them apart.
    static const std::string kAgentErrorPrefix = "Agent error";
    reply.outcome = reply.text.compare(0, kAgentErrorPrefix.size(), kAgentErrorPrefix) == 0
                        ? A2AOutcome::kAgentError
                        : A2AOutcome::kResult;
    r.value = std::move(reply);
    return r;
  }
  ReadPlatformAnswer(ex, obj, flat_error, &reply, &r.error);
  if (r.error.empty()) {
    r.value = std::move(reply);
  }
  return r;
}

std::optional<std::string> HeaderValue(std::string_view header_block, std::string_view name) {
  std::size_t at = 0;
  while (at < header_block.size()) {
    std::size_t end = header_block.find('\n', at);
    if (end == std::string_view::npos) {
      end = header_block.size();
    }
    std::string_view line = header_block.substr(at, end - at);
    at = end + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon != name.size() ||
        !EqualsIgnoringAsciiCase(line.substr(0, colon), name)) {
      continue;
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
      value.remove_suffix(1);
    }
    return std::string(value);
  }
  return std::nullopt;
}

ApiResult<HeartbeatHistory> InterpretHeartbeatHistory(HttpExchange exchange) {
  ApiResult<HeartbeatHistory> r;
  if (!TakeExchange(std::move(exchange), AnyStatus, &r)) {
    return r;
  }
  const HttpExchange& ex = r.exchange;
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

// A JSON member as text: a string as it is, any other value serialised; "" when absent.
std::string JsonMemberText(const rapidjson::Value& obj, const char* name, bool* present) {
  const auto it = obj.FindMember(name);
  *present = it != obj.MemberEnd() && !it->value.IsNull();
  if (!*present) {
    return "";
  }
  if (it->value.IsString()) {
    return std::string(it->value.GetString(), it->value.GetStringLength());
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  it->value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

// request_body.params.message.messageId, whether request_body is an object or JSON text.
std::string RequestMessageId(const rapidjson::Value& row) {
  bool present = false;
  const std::string request = JsonMemberText(row, "request_body", &present);
  rapidjson::Document doc;
  std::string ignored;
  if (!present || !ParseBoundedJson(request, &doc, &ignored) || !doc.IsObject()) {
    return "";
  }
  const rapidjson::Value* at = &doc;
  for (const char* key : {"params", "message", "messageId"}) {
    const auto it = at->IsObject() ? at->FindMember(key) : at->MemberEnd();
    if (!at->IsObject() || it == at->MemberEnd()) {
      return "";
    }
    at = &it->value;
  }
  return at->IsString()
             ? SanitizeRemoteText(std::string(at->GetString(), at->GetStringLength()), 128)
             : "";
}

// The fields of a message-keyed row that tell whether and how its turn ended.
void ReadTurnFields(const rapidjson::Value& item, ActivityRow* row) {
  row->message_id = RequestMessageId(item);
  row->response_body = JsonMemberText(item, "response_body", &row->has_response);
  const auto duration = item.FindMember("duration_ms");
  row->has_duration = duration != item.MemberEnd() && duration->value.IsNumber();
}

// A 200 whose body is a bare JSON array of objects, each read by `read_item(ex, value,
// where, &item, &error)`; `what` names an item in errors ("row [3] is not an object").
template <typename Item, typename ReadItem>
ApiResult<std::vector<Item>> InterpretObjectArray(HttpExchange exchange, const char* what,
                                                  ReadItem read_item) {
  ApiResult<std::vector<Item>> r;
  if (!TakeExchange(std::move(exchange), Is200, &r)) {
    return r;
  }
  const HttpExchange& ex = r.exchange;
  rapidjson::Document doc;
  if (!ParseJsonBody(ex, &doc, &r.error)) {
    return r;
  }
  if (!doc.IsArray()) {
    r.error = CallName(ex) + ": response is not a JSON array: " + ExcerptOrEmpty(ex);
    return r;
  }
  std::vector<Item> items;
  rapidjson::SizeType index = 0;
  for (const auto& value : doc.GetArray()) {
    const std::string where = "[" + std::to_string(index++) + "].";
    if (!value.IsObject()) {
      r.error = CallName(ex) + ": " + what + " " + where.substr(0, where.size() - 1) +
                " is not an object: " + ExcerptOrEmpty(ex);
      return r;
    }
    Item item;
    if (!read_item(ex, value, where, &item, &r.error)) {
      return r;
    }
    items.push_back(std::move(item));
  }
  r.value = std::move(items);
  return r;
}

bool ReadActivityRow(const HttpExchange& ex, const rapidjson::Value& item, const std::string& where,
                     ActivityRow* row, std::string* error) {
  if (!ReadOptionalString(ex, item, "id", &row->id, error, where) ||
      !ReadOptionalString(ex, item, "activity_type", &row->activity_type, error, where) ||
      !ReadOptionalString(ex, item, "method", &row->method, error, where) ||
      !ReadOptionalString(ex, item, "status", &row->status, error, where) ||
      !ReadOptionalString(ex, item, "summary", &row->summary, error, where) ||
      !ReadOptionalInt(ex, item, "duration_ms", &row->duration_ms, error, where) ||
      !ReadOptionalString(ex, item, "created_at", &row->created_at, error, where) ||
      !ReadOptionalString(ex, item, "error_detail", &row->error_detail, error, where) ||
      !ReadOptionalInt(ex, item, "seq", &row->seq, error, where)) {
    return false;
  }
  ReadTurnFields(item, row);
  return true;
}

// One GET /workspaces item: string id and name required (a workspace cannot be matched or
// deleted without them).
bool ReadWorkspaceSummary(const HttpExchange& ex, const rapidjson::Value& item,
                          const std::string& where, WorkspaceSummary* ws, std::string* error) {
  std::int64_t uptime = 0;
  if (!ReadRequiredString(ex, item, "id", &ws->id, error) ||
      !ReadRequiredString(ex, item, "name", &ws->name, error) ||
      !ReadOptionalString(ex, item, "status", &ws->status, error, where) ||
      !ReadOptionalString(ex, item, "parent_id", &ws->parent_id, error, where) ||
      !ReadOptionalString(ex, item, "kind", &ws->kind, error, where) ||
      !ReadOptionalInt(ex, item, "uptime_seconds", &uptime, error, where)) {
    return false;
  }
  ws->status = SanitizeRemoteText(ws->status, kStatusBytes);
  ws->uptime_seconds = static_cast<double>(uptime);
  return true;
}

}  // namespace

ApiResult<std::vector<ActivityRow>> InterpretActivity(HttpExchange exchange) {
  return InterpretObjectArray<ActivityRow>(std::move(exchange), "row", &ReadActivityRow);
}

ApiResult<A2AQueueItem> InterpretQueueItem(HttpExchange exchange) {
  ApiResult<A2AQueueItem> r;
  if (!TakeExchange(std::move(exchange), Is200, &r)) {
    return r;
  }
  const HttpExchange& ex = r.exchange;
  rapidjson::Document doc;
  if (!ParseJsonBody(ex, &doc, &r.error) || !RequireObject(ex, doc, &r.error)) {
    return r;
  }
  A2AQueueItem item;
  if (!ReadOptionalString(ex, doc, "queue_id", &item.queue_id, &r.error) ||
      !ReadOptionalString(ex, doc, "status", &item.status, &r.error) ||
      !ReadOptionalInt(ex, doc, "attempts", &item.attempts, &r.error) ||
      !ReadOptionalString(ex, doc, "last_error", &item.last_error, &r.error)) {
    return r;
  }
  if (item.status.empty()) {
    r.error = CallName(ex) + ": missing string field 'status': " + ExcerptOrEmpty(ex);
    return r;
  }
  item.status = SanitizeRemoteText(item.status, 64);
  item.last_error = SanitizeRemoteText(item.last_error, 500);
  item.response_body = JsonMemberText(doc, "response_body", &item.has_response);
  r.value = std::move(item);
  return r;
}

ApiResult<StatusReply> InterpretDeleteReply(HttpExchange exchange) {
  ApiResult<StatusReply> r;
  if (!TakeExchange(std::move(exchange), AnyStatus, &r)) {
    return r;
  }
  const HttpExchange& ex = r.exchange;
  StatusReply reply;
  if (ex.http_status == 404 && ex.body.empty()) {
    r.error = CallName(ex) +
              ": HTTP 404 with an empty body: the platform's tenant guard refused the request "
              "(check TENANT_ID); the workspace may still exist";
    r.platform_error = ReadPlatformError(ex);
    return r;
  }
  // Already absent (a JSON 404: never existed or purged; 410: removed before): the
  // post-condition holds (platform-api-2026-08.md section 7).
  if (ex.http_status == 404 || ex.http_status == 410) {
    reply.status = ex.http_status == 404 ? "not_found" : "gone";
    reply.already_gone = true;
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
    r.platform_error = ReadPlatformError(ex);
    return r;
  }
  if (ParseStatusReply(ex, &reply, &r.error)) {
    r.value = std::move(reply);
  }
  return r;
}

ApiResult<StatusReply> InterpretSecretWrite(HttpExchange exchange) {
  ApiResult<StatusReply> r = InterpretStatusReply(std::move(exchange));
  if (!r.ok() || r.exchange.http_status != 202) {
    return r;
  }
  // 202 is only the approval gate (2026-08 section 2); anything else accepted-but-not-done
  // would be a write the caller wrongly believes stored.
  rapidjson::Document doc;
  std::string approval_id;
  if (r.value->status != "pending_approval" || !ParseJsonBody(r.exchange, &doc, &r.error) ||
      !ReadRequiredString(r.exchange, doc, "approval_id", &approval_id, &r.error) ||
      approval_id.empty()) {
    if (r.error.empty()) {
      r.error = CallName(r.exchange) +
                ": HTTP 202 without status pending_approval and an approval_id: " +
                ExcerptOrEmpty(r.exchange);
    }
    r.value.reset();
    return r;
  }
  r.value->approval_id = std::move(approval_id);
  return r;
}

ApiResult<std::vector<WorkspaceSummary>> InterpretWorkspaceList(HttpExchange exchange) {
  return InterpretObjectArray<WorkspaceSummary>(std::move(exchange), "item", &ReadWorkspaceSummary);
}

ApiResult<BuildInfo> InterpretBuildInfo(HttpExchange exchange) {
  ApiResult<BuildInfo> r;
  const auto answered = [](long status) { return status == 200 || status == 404; };
  if (!TakeExchange(std::move(exchange), answered, &r)) {
    return r;
  }
  BuildInfo info;
  if (r.exchange.http_status == 404) {  // 2026-04 has no such route
    r.value = info;
    return r;
  }
  rapidjson::Document doc;
  std::string sha;
  if (!ParseJsonBody(r.exchange, &doc, &r.error) || !RequireObject(r.exchange, doc, &r.error) ||
      !ReadOptionalString(r.exchange, doc, "git_sha", &sha, &r.error)) {
    return r;
  }
  if (!sha.empty()) {
    info.git_sha = SanitizeRemoteText(sha, kStatusBytes);
  }
  r.value = std::move(info);
  return r;
}

namespace {

// Retry-After as delta seconds (the only form the platform sends); -1 otherwise.
double RetryAfterHeaderSecs(const HttpExchange& ex) {
  const auto value = HeaderValue(ex.response_headers, "Retry-After");
  int secs = 0;
  return value && ParseIntInRange(*value, 0, 86400, &secs) ? secs : -1;
}

PlatformErrorKind KindOf(long status, const PlatformError& e, bool empty_body, bool json) {
  switch (status) {
    case 400:
      if (e.code == "TENANT_ORG_HEADER_REQUIRED") {
        return PlatformErrorKind::kTenantHeaderRequired;
      }
      if (e.message == "destructive_action_requires_confirmation") {
        return PlatformErrorKind::kConfirmationRequired;
      }
      return !e.key.empty() && e.message.find("vendor key") != std::string::npos
                 ? PlatformErrorKind::kVendorKeyBlocked
                 : PlatformErrorKind::kOther;
    case 401:
    case 403:
      return PlatformErrorKind::kAuth;
    case 404:
      return empty_body ? PlatformErrorKind::kTenantGuard
                        : (json ? PlatformErrorKind::kNotFound : PlatformErrorKind::kOther);
    case 410:
      return PlatformErrorKind::kGone;
    case 422:
      return PlatformErrorKind::kUnprocessable;
    case 408:
    case 425:
    case 429:
      return PlatformErrorKind::kRetryLater;
    default:
      return status >= 500 && status <= 599 ? PlatformErrorKind::kRetryLater
                                            : PlatformErrorKind::kOther;
  }
}

}  // namespace

PlatformError ReadPlatformError(const HttpExchange& ex) {
  PlatformError e;
  e.http_status = ex.http_status;
  e.retry_after_secs = RetryAfterHeaderSecs(ex);
  rapidjson::Document doc;
  std::string ignored;
  const bool json = ParseBoundedJson(ex.body, &doc, &ignored) && doc.IsObject();
  if (json) {
    // Wrong types read as absent: a refusal is typed from whatever it does carry.
    ReadOptionalString(ex, doc, "error", &e.message, &ignored);
    ReadOptionalString(ex, doc, "code", &e.code, &ignored);
    ReadOptionalString(ex, doc, "hint", &e.hint, &ignored);
    ReadOptionalString(ex, doc, "workspace_name", &e.workspace_name, &ignored);
    ReadOptionalString(ex, doc, "key", &e.key, &ignored);
    const auto retry = doc.FindMember("retry_after");
    if (retry != doc.MemberEnd() && retry->value.IsNumber() && retry->value.GetDouble() >= 0 &&
        retry->value.GetDouble() <= 86400) {
      e.retry_after_secs = retry->value.GetDouble();
    }
  } else if (!ex.body.empty()) {
    e.message = ex.body;
  }
  e.kind = KindOf(ex.http_status, e, ex.body.empty(), json);
  e.message = SanitizeRemoteText(e.message);
  e.code = SanitizeRemoteText(e.code, kStatusBytes);
  e.hint = SanitizeRemoteText(e.hint);
  e.key = SanitizeRemoteText(e.key, kStatusBytes);
  return e;
}

const char* PlatformErrorKindName(PlatformErrorKind kind) {
  switch (kind) {
    case PlatformErrorKind::kOther:
      return "other";
    case PlatformErrorKind::kAuth:
      return "auth";
    case PlatformErrorKind::kTenantHeaderRequired:
      return "tenant_header_required";
    case PlatformErrorKind::kTenantGuard:
      return "tenant_guard";
    case PlatformErrorKind::kNotFound:
      return "not_found";
    case PlatformErrorKind::kGone:
      return "gone";
    case PlatformErrorKind::kConfirmationRequired:
      return "confirmation_required";
    case PlatformErrorKind::kVendorKeyBlocked:
      return "vendor_key_blocked";
    case PlatformErrorKind::kUnprocessable:
      return "unprocessable";
    case PlatformErrorKind::kRetryLater:
      return "retry_later";
  }
  return "unknown";
}

}  // namespace taskbounds
