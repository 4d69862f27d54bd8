#include "tests/support/assertions.h"

#include <sstream>

namespace taskbounds {

testing::AssertionResult ParseJson(const std::string& body, rapidjson::Document* doc) {
  doc->Parse(body.data(), body.size());
  if (doc->HasParseError()) {
    return testing::AssertionFailure() << "not JSON: " << body;
  }
  return testing::AssertionSuccess();
}

testing::AssertionResult IsFlatError(const HttpExchange& exchange, long status,
                                     const std::string& message) {
  if (!exchange.transport_ok()) {
    return testing::AssertionFailure() << "no response: " << exchange.curl_error;
  }
  if (exchange.http_status != status) {
    return testing::AssertionFailure()
           << "HTTP " << exchange.http_status << ", want " << status << ": " << exchange.body;
  }
  rapidjson::Document doc;
  doc.Parse(exchange.body.data(), exchange.body.size());
  if (doc.HasParseError() || !doc.IsObject() || doc.MemberCount() != 1 || !doc.HasMember("error") ||
      !doc["error"].IsString()) {
    return testing::AssertionFailure() << "not a flat {\"error\":...} body: " << exchange.body;
  }
  if (doc["error"].GetString() != message) {
    return testing::AssertionFailure()
           << "error \"" << doc["error"].GetString() << "\", want \"" << message << "\"";
  }
  return testing::AssertionSuccess();
}

bool IsLowerCaseUuid(const std::string& s) {
  if (s.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') {
        return false;
      }
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string ParsedEvent::Str(const char* key) const {
  if (!data || !data->IsObject()) {
    return "";
  }
  const auto it = data->FindMember(key);
  if (it == data->MemberEnd() || !it->value.IsString()) {
    return "";
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

bool ParsedEvent::Has(const char* key) const {
  return data && data->IsObject() && data->HasMember(key);
}

namespace {

// Success when `value` is an object in which every one of `keys` is present (want_present)
// or absent (!want_present); failure lists the keys that are not.
testing::AssertionResult CheckMembers(const rapidjson::Value& value,
                                      std::initializer_list<const char*> keys, bool want_present) {
  if (!value.IsObject()) {
    return testing::AssertionFailure() << "not a JSON object";
  }
  std::string wrong;
  for (const char* key : keys) {
    if (value.HasMember(key) != want_present) {
      wrong += (wrong.empty() ? "" : ", ") + std::string(key);
    }
  }
  if (!wrong.empty()) {
    return testing::AssertionFailure() << (want_present ? "missing: " : "present: ") << wrong;
  }
  return testing::AssertionSuccess();
}

}  // namespace

testing::AssertionResult HasMembers(const rapidjson::Value& value,
                                    std::initializer_list<const char*> keys) {
  return CheckMembers(value, keys, /*want_present=*/true);
}

testing::AssertionResult LacksMembers(const rapidjson::Value& value,
                                      std::initializer_list<const char*> keys) {
  return CheckMembers(value, keys, /*want_present=*/false);
}

namespace {

// `doc` is an object with a string "event" and members "ts" and "data".
bool HasEventShape(const rapidjson::Document& doc) {
  return !doc.HasParseError() && doc.IsObject() && doc.HasMember("event") &&
         doc["event"].IsString() && doc.HasMember("ts") && doc.HasMember("data");
}

// The reference harness's exact line: the three members ts, event, data, in that order.
bool HasExactEventMembers(const rapidjson::Document& doc) {
  if (!HasEventShape(doc) || doc.MemberCount() != 3) {
    return false;
  }
  auto it = doc.MemberBegin();
  return std::string(it->name.GetString()) == "ts" &&
         std::string((it + 1)->name.GetString()) == "event" &&
         std::string((it + 2)->name.GetString()) == "data";
}

ParsedEvent ToEvent(const rapidjson::Document& doc, const std::string& line) {
  ParsedEvent event;
  event.event = doc["event"].GetString();
  event.line = line;
  if (!doc["data"].IsNull()) {
    event.data = std::make_shared<rapidjson::Document>();
    event.data->CopyFrom(doc["data"], event.data->GetAllocator());
  }
  return event;
}

}  // namespace

std::vector<ParsedEvent> ParseEvents(const std::string& text) {
  std::vector<ParsedEvent> events;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    if (HasEventShape(doc)) {
      events.push_back(ToEvent(doc, line));
    }
  }
  return events;
}

testing::AssertionResult ParseEventLines(const std::string& text,
                                         std::vector<ParsedEvent>* events) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      return testing::AssertionFailure() << "line is not a JSON object: " << line;
    }
    if (!HasExactEventMembers(doc)) {
      return testing::AssertionFailure() << "not {\"ts\",\"event\",\"data\"}: " << line;
    }
    events->push_back(ToEvent(doc, line));
  }
  return testing::AssertionSuccess();
}

std::vector<std::string> EventNames(const std::vector<ParsedEvent>& events) {
  std::vector<std::string> names;
  names.reserve(events.size());
  for (const ParsedEvent& e : events) {
    names.push_back(e.event);
  }
  return names;
}

std::vector<ParsedEvent> EventsNamed(const std::vector<ParsedEvent>& events,
                                     const std::string& name) {
  std::vector<ParsedEvent> out;
  for (const ParsedEvent& e : events) {
    if (e.event == name) {
      out.push_back(e);
    }
  }
  return out;
}

std::size_t IndexOf(const std::vector<ParsedEvent>& events, const std::string& name) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].event == name) {
      return i;
    }
  }
  return events.size();
}

}  // namespace taskbounds
