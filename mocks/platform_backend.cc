#include "mocks/platform_backend.h"

#include <algorithm>
#include <cctype>

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {

std::string BackendRequest::Header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

bool BackendRequest::HasHeader(std::string_view name) const {
  return headers.find(name) != headers.end();
}

std::optional<std::string> BackendRequest::Query(const std::string& key) const {
  auto it = query.find(key);
  if (it == query.end()) {
    return std::nullopt;
  }
  return it->second;
}

BackendReply BackendReply::Json(int status, std::string body) {
  BackendReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

BackendReply BackendReply::Error(int status, std::string_view message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndObject();
  return Json(status, buffer.GetString());
}

BackendReply BackendReply::RouteNotFound() {
  BackendReply reply;
  reply.status = 404;
  reply.content_type = "text/plain";
  reply.body = "404 page not found";
  return reply;
}

namespace {
// Bodies can be 1 MiB; failure messages only need their start.
std::string Head(const std::string& text) {
  constexpr std::size_t kMax = 200;
  return text.size() <= kMax ? text : text.substr(0, kMax) + "...";
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const BackendRequest& request) {
  os << request.method << " " << request.path;
  char separator = '?';
  for (const auto& [key, value] : request.query) {
    os << separator << key << "=" << value;
    separator = '&';
  }
  const bool secrets_route =
      request.path.size() >= 8 && request.path.compare(request.path.size() - 8, 8, "/secrets") == 0;
  if (secrets_route || request.body.find("secret") != std::string::npos) {
    return os << " body=<" << request.body.size() << " bytes withheld: may hold a secret>";
  }
  return os << " body=" << Head(request.body);
}

std::ostream& operator<<(std::ostream& os, const BackendReply& reply) {
  return os << reply.status << " " << reply.content_type << " " << Head(reply.body);
}

std::ostream& operator<<(std::ostream& os, const Admission& admission) {
  if (admission.admitted) {
    return os << "admitted";
  }
  return os << "rejected: " << admission.rejection;
}

std::ostream& operator<<(std::ostream& os, Route route) { return os << RouteName(route); }

}  // namespace taskbounds
