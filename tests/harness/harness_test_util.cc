#include "tests/harness/harness_test_util.h"

#include <sstream>
#include <thread>

namespace taskbounds {

std::unique_ptr<EmbeddedFakePlatform> StartHarnessFake(const FakePlatformOptions& options) {
  ServerOptions server_options;
  server_options.worker_threads = 16;
  return StartFake(options, server_options);
}

std::unique_ptr<EmbeddedFakePlatform> StartHarnessFake(Scenario scenario, double time_scale) {
  FakePlatformOptions options;
  options.scenario = scenario;
  options.time_scale = time_scale;
  return StartHarnessFake(options);
}

RunConfig FakeRunConfig(double time_scale, int depth) {
  RunConfig config;
  config.use_embedded_fake = true;
  config.platform_is_local = true;
  config.time_scale = time_scale;
  config.synthesis_depth = depth;
  config.synthesis_depths = {depth};
  return config;
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

std::vector<ParsedEvent> ParseEvents(const std::string& text) {
  std::vector<ParsedEvent> events;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("event") ||
        !doc["event"].IsString() || !doc.HasMember("ts") || !doc.HasMember("data")) {
      continue;
    }
    ParsedEvent event;
    event.event = doc["event"].GetString();
    event.line = line;
    if (!doc["data"].IsNull()) {
      event.data = std::make_shared<rapidjson::Document>();
      event.data->CopyFrom(doc["data"], event.data->GetAllocator());
    }
    events.push_back(std::move(event));
  }
  return events;
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

testing::AssertionResult CreateLinkedPair(PlatformClient& client, std::string* pm,
                                          std::string* child) {
  const auto p = client.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  if (!p.ok()) {
    return testing::AssertionFailure() << p.error;
  }
  *pm = p.value->id;
  const auto c = client.CreateWorkspace({"Researcher", "Research", 2, "langgraph"});
  if (!c.ok()) {
    return testing::AssertionFailure() << c.error;
  }
  *child = c.value->id;
  const auto link = client.PatchParent(*child, *pm);
  if (!link.ok()) {
    return testing::AssertionFailure() << link.error;
  }
  return testing::AssertionSuccess();
}

testing::AssertionResult Eventually(const std::function<bool()>& condition,
                                    std::chrono::milliseconds timeout, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return testing::AssertionFailure()
             << "timed out after " << timeout.count() << " ms waiting for " << what;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return testing::AssertionSuccess();
}

std::string Describe(const std::vector<std::string>& ids) {
  std::string out = std::to_string(ids.size()) + " [";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += (i ? ", " : "") + ids[i];
  }
  return out + "]";
}

void ExpectNoWorkspacesLeft(EmbeddedFakePlatform& fake) {
  fake.server().ClearFaults();
  const std::vector<std::string> left = fake.backend().LiveWorkspaceIds();
  testing::Test::RecordProperty("workspaces_left", static_cast<int>(left.size()));
  EXPECT_TRUE(left.empty()) << "left behind: " << Describe(left);
  PlatformClient client(ClientFor(fake));
  for (const std::string& id : left) {
    (void)client.DeleteWorkspace(id, /*confirm=*/true);
  }
}

}  // namespace taskbounds
