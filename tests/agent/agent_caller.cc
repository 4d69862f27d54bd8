#include "tests/agent/agent_caller.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using Clock = std::chrono::steady_clock;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Decodes a chunked body; false when it is cut short or malformed.
bool Dechunk(const std::string& raw, std::string* body) {
  std::size_t at = 0;
  body->clear();
  while (true) {
    const std::size_t line_end = raw.find("\r\n", at);
    if (line_end == std::string::npos) {
      return false;
    }
    char* end = nullptr;
    const std::string size_text = raw.substr(at, line_end - at);
    const unsigned long size = std::strtoul(size_text.c_str(), &end, 16);
    if (end == size_text.c_str()) {
      return false;
    }
    at = line_end + 2;
    if (size == 0) {
      return true;
    }
    if (at + size + 2 > raw.size()) {
      return false;
    }
    body->append(raw, at, size);
    at += size + 2;
  }
}

}  // namespace

std::string RawResponse::Header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

testing::AssertionResult AgentCall::Send(int port, const std::string& method,
                                         const std::string& path, const std::string& body,
                                         const std::vector<std::string>& headers,
                                         std::unique_ptr<AgentCall>* call) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return testing::AssertionFailure() << "socket: " << std::strerror(errno);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    const int error = errno;
    ::close(fd);
    return testing::AssertionFailure()
           << "cannot connect to 127.0.0.1:" << port << ": " << std::strerror(error);
  }
  call->reset(new AgentCall(fd));
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const std::string& header : headers) {
    request += header + "\r\n";
  }
  request += "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body;
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return testing::AssertionFailure() << "send: " << std::strerror(errno);
    }
    sent += static_cast<std::size_t>(n);
  }
  return testing::AssertionSuccess();
}

AgentCall::~AgentCall() { HangUp(); }

void AgentCall::HangUp() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool AgentCall::ReceiveMore(Clock::time_point deadline) {
  if (fd_ < 0 || closed_by_server_) {
    return false;
  }
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() < 0) {
      return false;
    }
    pollfd watch{fd_, POLLIN, 0};
    const int ready = ::poll(&watch, 1, static_cast<int>(left.count()) + 1);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      return false;
    }
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      closed_by_server_ = true;  // EOF or reset
      return false;
    }
    received_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
}

testing::AssertionResult AgentCall::ParseHead(RawResponse* response) const {
  const std::size_t head_end = received_.find("\r\n\r\n");
  const std::string head = received_.substr(0, head_end);
  if (head.rfind("HTTP/1.1 ", 0) != 0 || head.size() < 12) {
    return testing::AssertionFailure() << "not an HTTP/1.1 status line: " << head;
  }
  response->status = std::atoi(head.c_str() + 9);
  response->headers.clear();
  std::size_t at = head.find("\r\n");
  while (at != std::string::npos && at < head.size()) {
    const std::size_t next = head.find("\r\n", at + 2);
    const std::string line =
        head.substr(at + 2, next == std::string::npos ? std::string::npos : next - at - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response->headers[Lower(line.substr(0, colon))] = value;
    }
    at = next;
  }
  response->chunked = Lower(response->Header("transfer-encoding")) == "chunked";
  return testing::AssertionSuccess();
}

testing::AssertionResult AgentCall::ReadHead(std::chrono::milliseconds timeout,
                                             RawResponse* response) {
  const auto deadline = Clock::now() + timeout;
  while (received_.find("\r\n\r\n") == std::string::npos) {
    if (!ReceiveMore(deadline)) {
      return testing::AssertionFailure()
             << (closed_by_server_ ? "the server closed the connection" : "timed out")
             << " before the end of the response head; received: \"" << received_ << "\"";
    }
  }
  return ParseHead(response);
}

testing::AssertionResult AgentCall::ReadToEnd(std::chrono::milliseconds timeout,
                                              RawResponse* response) {
  const auto deadline = Clock::now() + timeout;
  while (ReceiveMore(deadline)) {
  }
  if (!closed_by_server_) {
    return testing::AssertionFailure() << "the response did not end within " << timeout.count()
                                       << " ms; received: \"" << received_ << "\"";
  }
  const std::size_t head_end = received_.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return testing::AssertionFailure()
           << "the connection closed before a whole response head: \"" << received_ << "\"";
  }
  if (testing::AssertionResult head = ParseHead(response); !head) {
    return head;
  }
  const std::string raw_body = received_.substr(head_end + 4);
  if (!response->chunked) {
    response->body = raw_body;
  } else if (!Dechunk(raw_body, &response->body)) {
    return testing::AssertionFailure()
           << "chunked body cut short or malformed: \"" << raw_body << "\"";
  }
  return testing::AssertionSuccess();
}

bool AgentCall::NothingReceivedYet() {
  if (!received_.empty()) {
    return false;
  }
  char byte = 0;
  const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

testing::AssertionResult PostAndRead(int port, const std::string& body,
                                     const std::vector<std::string>& headers,
                                     RawResponse* response) {
  std::unique_ptr<AgentCall> call;
  if (testing::AssertionResult sent = AgentCall::Send(port, "POST", "/", body, headers, &call);
      !sent) {
    return sent;
  }
  return call->ReadToEnd(DefaultWait(), response);
}

std::string MessageSendBody(const std::string& message_id, const std::string& text,
                            const std::string& source_type, const std::string& rpc_id) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("jsonrpc");
  w.String("2.0");
  w.Key("id");
  w.String(rpc_id.c_str());
  w.Key("method");
  w.String("message/send");
  w.Key("params");
  w.StartObject();
  w.Key("message");
  w.StartObject();
  w.Key("messageId");
  w.String(message_id.c_str());
  w.Key("contextId");
  w.String(("ctx-" + message_id).c_str());
  w.Key("role");
  w.String("user");
  w.Key("parts");
  w.StartArray();
  w.StartObject();
  w.Key("kind");
  w.String("text");
  w.Key("text");
  w.String(text.c_str());
  w.EndObject();
  w.EndArray();
  if (!source_type.empty()) {
    w.Key("metadata");
    w.StartObject();
    w.Key("source_type");
    w.String(source_type.c_str());
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return buffer.GetString();
}

testing::AssertionResult ResultText(const RawResponse& response, std::string* text) {
  rapidjson::Document doc;
  doc.Parse(response.body.c_str());
  if (doc.HasParseError() || !doc.IsObject()) {
    return testing::AssertionFailure() << "the body is not a JSON object: " << response.body;
  }
  const auto result = doc.FindMember("result");
  if (result == doc.MemberEnd() || !result->value.IsObject() || !result->value.HasMember("parts") ||
      !result->value["parts"].IsArray() || result->value["parts"].Empty() ||
      !result->value["parts"][0].IsObject() || !result->value["parts"][0].HasMember("text") ||
      !result->value["parts"][0]["text"].IsString()) {
    return testing::AssertionFailure() << "no result.parts[0].text in: " << response.body;
  }
  *text = result->value["parts"][0]["text"].GetString();
  return testing::AssertionSuccess();
}

}  // namespace taskbounds
