// A caller for the synthetic agent's tests that controls the connection exactly: a raw
// HTTP/1.1 request on a loopback socket, whose response head and body are read separately
// with deadlines, and which can hang up at any moment (what the platform does when it cuts a
// task). Deliberately not //client: the agent is tested on its own terms, and a client library
// would hide when the headers arrived and when the connection closed.
#ifndef TESTS_AGENT_AGENT_CALLER_H_
#define TESTS_AGENT_AGENT_CALLER_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace taskbounds {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  bool chunked = false;                        // Transfer-Encoding: chunked
  std::string body;                            // de-chunked
  std::string Header(const std::string& lower_name) const;
};

class AgentCall {
 public:
  // Connects to 127.0.0.1:`port` and sends one request with `headers` ("Name: value"),
  // Connection: close, and `body` (a Content-Length is added); null, with a failure naming
  // the cause, when it cannot.
  static testing::AssertionResult Send(int port, const std::string& method, const std::string& path,
                                       const std::string& body,
                                       const std::vector<std::string>& headers,
                                       std::unique_ptr<AgentCall>* call);
  ~AgentCall();  // HangUp()
  AgentCall(const AgentCall&) = delete;
  AgentCall& operator=(const AgentCall&) = delete;

  // Reads until the end of the response head (status line and headers).
  testing::AssertionResult ReadHead(std::chrono::milliseconds timeout, RawResponse* response);
  // Reads the whole response, to the server's close (the request said Connection: close).
  testing::AssertionResult ReadToEnd(std::chrono::milliseconds timeout, RawResponse* response);
  // True when not one byte of a response has arrived by now (does not wait).
  bool NothingReceivedYet();
  // Closes the connection, whatever it is doing.
  void HangUp();

 private:
  explicit AgentCall(int fd) : fd_(fd) {}
  // Appends what arrives before `deadline` to received_; false at end of stream or deadline.
  bool ReceiveMore(std::chrono::steady_clock::time_point deadline);
  testing::AssertionResult ParseHead(RawResponse* response) const;

  int fd_;
  std::string received_;
  bool closed_by_server_ = false;
};

// POSTs `body` to `port` (path "/") and reads the whole answer within DefaultWait().
testing::AssertionResult PostAndRead(int port, const std::string& body,
                                     const std::vector<std::string>& headers,
                                     RawResponse* response);

// A JSON-RPC message/send as the platform forwards a kickoff: rpc id `rpc_id` (a string),
// params.message {messageId, contextId "ctx-<messageId>", role user, one text part}, and,
// when `source_type` is not empty, params.message.metadata.source_type.
std::string MessageSendBody(const std::string& message_id, const std::string& text,
                            const std::string& source_type = "",
                            const std::string& rpc_id = "rpc-1");

// The text of a JSON-RPC result Message (result.parts[0].text) in `response`'s body.
testing::AssertionResult ResultText(const RawResponse& response, std::string* text);

}  // namespace taskbounds

#endif  // TESTS_AGENT_AGENT_CALLER_H_
