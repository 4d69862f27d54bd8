#include "mocks/agent/a2a_call.h"

#include <optional>
#include <string>
#include <utility>

#include "mocks/platform/json_util.h"
#include "mocks/platform/workspace_record.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {
namespace {

// obj[key] when it is an object; null otherwise.
const rapidjson::Value* ObjectMember(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) {
    return nullptr;
  }
  const auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsObject() ? &it->value : nullptr;
}

std::string FirstTextPart(const rapidjson::Value& message) {
  const auto parts = message.FindMember("parts");
  if (parts == message.MemberEnd() || !parts->value.IsArray()) {
    return "";
  }
  for (const auto& part : parts->value.GetArray()) {
    if (part.IsObject()) {
      if (auto text = StringMember(part, "text")) {
        return *text;
      }
    }
  }
  return "";
}

// The id as JSON text when JSON-RPC allows it (string, number or null); nullopt otherwise.
std::optional<std::string> RpcIdJson(const rapidjson::Document& doc) {
  const auto it = doc.FindMember("id");
  if (it == doc.MemberEnd() || it->value.IsNull()) {
    return "null";
  }
  if (!it->value.IsString() && !it->value.IsNumber()) {
    return std::nullopt;
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  it->value.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void ReadMessage(const rapidjson::Value& message, A2ACall* call) {
  call->message_id = StringMember(message, "messageId").value_or("");
  call->context_id = StringMember(message, "contextId").value_or("");
  call->text = FirstTextPart(message);
  if (const rapidjson::Value* metadata = ObjectMember(message, "metadata")) {
    call->source_type = StringMember(*metadata, "source_type").value_or("");
  }
}

A2ACall Invalid(A2ACall call, int code, std::string why) {
  call.rpc_error = code;
  call.error = std::move(why);
  return call;
}

// The number of bytes of the UTF-8 sequence starting at s[i], 0 when none is valid there.
std::size_t Utf8SequenceLength(const std::string& s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    return 1;
  }
  // By the lead byte: the sequence's length, the bits it carries, the smallest code point
  // that needs that length (anything smaller is an overlong form).
  struct Form {
    unsigned char mask;
    unsigned char value;
    std::size_t length;
    unsigned min_code;
  };
  static constexpr Form kForms[] = {
      {0xE0, 0xC0, 2, 0x80}, {0xF0, 0xE0, 3, 0x800}, {0xF8, 0xF0, 4, 0x10000}};
  for (const Form& form : kForms) {
    if ((lead & form.mask) != form.value) {
      continue;
    }
    if (i + form.length > s.size()) {
      return 0;
    }
    unsigned code = lead & static_cast<unsigned char>(~form.mask);
    for (std::size_t k = 1; k < form.length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) {
        return 0;
      }
      code = (code << 6) | (byte(i + k) & 0x3F);
    }
    // UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    const bool valid =
        code >= form.min_code && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
    return valid ? form.length : 0;
  }
  return 0;
}

}  // namespace

A2ACall ParseA2ACall(const std::string& body) {
  A2ACall call;
  rapidjson::Document doc;
  if (!ParseBoundedJson(body.data(), body.size(), /*first_value_only=*/false, &doc)) {
    return Invalid(
        call, kRpcParseError,
        "the body is not JSON (or nests deeper than " + std::to_string(kMaxBodyNesting) + ")");
  }
  if (!doc.IsObject()) {
    return Invalid(call, kRpcInvalidRequest, "the body is not a JSON-RPC request object");
  }
  std::optional<std::string> id = RpcIdJson(doc);
  if (!id) {
    return Invalid(call, kRpcInvalidRequest, "\"id\" is neither a string, a number nor null");
  }
  call.rpc_id_json = *id;
  call.method = StringMember(doc, "method").value_or("");
  if (StringMember(doc, "jsonrpc").value_or("") != "2.0" || call.method.empty()) {
    return Invalid(call, kRpcInvalidRequest,
                   "\"jsonrpc\":\"2.0\" and a string \"method\" are required");
  }
  if (call.method != "message/send") {
    // The platform's own turns all use the v0.3 literal (external-workspaces-2026-08.md 0.a).
    return Invalid(call, kRpcMethodNotFound, "method \"" + call.method + "\" is not served");
  }
  const rapidjson::Value* params = ObjectMember(doc, "params");
  const rapidjson::Value* message = params ? ObjectMember(*params, "message") : nullptr;
  if (message == nullptr) {
    return Invalid(call, kRpcInvalidParams, "message/send needs params.message");
  }
  ReadMessage(*message, &call);
  return call;
}

bool IsStallProbe(const A2ACall& call) {
  return call.rpc_error == 0 && call.source_type == kStallProbeSourceType &&
         call.text.rfind(kStallProbeTextPrefix, 0) == 0;
}

std::string RpcResultBody(const std::string& rpc_id_json, const std::string& text,
                          const std::string& context_id) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("jsonrpc");
  w.String("2.0");
  w.Key("id");
  w.RawValue(rpc_id_json.data(), rpc_id_json.size(), rapidjson::kObjectType);
  w.Key("result");
  WriteAgentTextMessage(w, NewUuid(), text, context_id);
  w.EndObject();
  return buffer.GetString();
}

std::string RpcErrorBody(const std::string& rpc_id_json, int code, const std::string& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("jsonrpc");
  w.String("2.0");
  w.Key("id");
  w.RawValue(rpc_id_json.data(), rpc_id_json.size(), rapidjson::kObjectType);
  w.Key("error");
  w.StartObject();
  w.Key("code");
  w.Int(code);
  w.Key("message");
  WriteString(w, message);
  w.EndObject();
  w.EndObject();
  return buffer.GetString();
}

std::string FlatErrorBody(const std::string& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  WriteString(w, message);
  w.EndObject();
  return buffer.GetString();
}

std::string AgentCardBody(const std::string& name, const std::string& url) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("name");
  WriteString(w, name);
  w.Key("description");
  w.String(
      "Synthetic coordinator of the task-bounds suite: holds each task as its experiment says");
  w.Key("url");
  WriteString(w, url);
  w.Key("version");
  w.String("1.0.0");
  w.Key("protocolVersion");
  w.String("0.3.0");
  w.Key("preferredTransport");
  w.String("JSONRPC");
  w.Key("capabilities");
  w.StartObject();
  w.Key("streaming");
  w.Bool(false);
  w.Key("pushNotifications");
  w.Bool(false);
  w.EndObject();
  for (const char* modes : {"defaultInputModes", "defaultOutputModes"}) {
    w.Key(modes);
    w.StartArray();
    w.String("text/plain");
    w.EndArray();
  }
  w.Key("skills");
  w.StartArray();
  w.StartObject();
  w.Key("id");
  w.String("synthetic-task");
  w.Key("name");
  w.String("Synthetic task");
  w.Key("description");
  w.String("Holds a message/send for a set time or until the caller hangs up, then answers");
  w.Key("tags");
  w.StartArray();
  w.String("task-bounds");
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

std::string SafeUtf8Prefix(const std::string& text, std::size_t max_bytes) {
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = Utf8SequenceLength(text, i);
    const std::size_t out_length = length == 0 ? 3 : length;
    if (out.size() + out_length > max_bytes) {
      break;
    }
    if (length == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text, i, length);
      i += length;
    }
  }
  return out;
}

}  // namespace taskbounds
