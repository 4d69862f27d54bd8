// What the synthetic coordinator reads from a JSON-RPC call and the bodies it answers with:
// pure functions, no server. The call is read with the fake's bounded parser
// (mocks/platform/json_util.h), never with //client's: the agent, like the fake, exists to
// catch the client's and the platform's mistakes, so it shares no protocol code with them.
#ifndef MOCKS_AGENT_A2A_CALL_H_
#define MOCKS_AGENT_A2A_CALL_H_

#include <cstddef>
#include <string>

namespace taskbounds {

// JSON-RPC 2.0 error codes the agent answers with (HTTP 200, as a2a-sdk does).
inline constexpr int kRpcParseError = -32700;
inline constexpr int kRpcInvalidRequest = -32600;
inline constexpr int kRpcMethodNotFound = -32601;
inline constexpr int kRpcInvalidParams = -32602;

// The platform's stall watchdog probe: a message/send whose first text part starts with this
// and whose params.message.metadata.source_type is kStallProbeSourceType
// (platform-api-2026-08.md section 6 item 4; H/stall_watchdog.go:544).
inline constexpr char kStallProbeTextPrefix[] = "Liveness check";
inline constexpr char kStallProbeSourceType[] = "self-stall";

// One incoming JSON-RPC call, as far as it could be read.
struct A2ACall {
  // The request's "id" as JSON text, echoed in the answer: a string or number, else "null".
  std::string rpc_id_json = "null";
  std::string method;       // "" when absent or not a string
  std::string message_id;   // params.message.messageId ("" when absent)
  std::string context_id;   // params.message.contextId
  std::string text;         // the first text part of params.message.parts
  std::string source_type;  // params.message.metadata.source_type
  // 0 for a well-formed message/send; otherwise the JSON-RPC error code to answer with and
  // why, in `error`.
  int rpc_error = 0;
  std::string error;
};

// Reads `body` (a JSON-RPC request; nesting bounded as the fake bounds it). Never fails:
// what could not be read is said by rpc_error and error.
A2ACall ParseA2ACall(const std::string& body);

// A message/send the platform's stall watchdog sent: text and metadata both say so.
bool IsStallProbe(const A2ACall& call);

// {"jsonrpc":"2.0","id":<rpc_id_json>,"result":{a Message of role agent with one text
// part}}: what a2a-sdk answers a message/send with. `context_id` is echoed when not empty.
std::string RpcResultBody(const std::string& rpc_id_json, const std::string& text,
                          const std::string& context_id);
// {"jsonrpc":"2.0","id":<rpc_id_json>,"error":{"code","message"}}.
std::string RpcErrorBody(const std::string& rpc_id_json, int code, const std::string& message);
// {"error": message}: the flat shape of a non-JSON-RPC refusal (the 401 without the secret).
std::string FlatErrorBody(const std::string& message);

// The A2A v0.3 agent card the agent serves at /.well-known/agent-card.json (and the older
// /.well-known/agent.json). The 2026-08 platform does not fetch it: it takes the card from the
// agent_card member of POST /registry/register (external-workspaces-2026-08.md 1.1), where
// `url` must pass its dial-time URL check, so the card's url is the one the platform is given.
std::string AgentCardBody(const std::string& name, const std::string& url);

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary, with every byte that is
// not part of valid UTF-8 replaced by U+FFFD: remote text made safe for a JSON line.
std::string SafeUtf8Prefix(const std::string& text, std::size_t max_bytes);

}  // namespace taskbounds

#endif  // MOCKS_AGENT_A2A_CALL_H_
