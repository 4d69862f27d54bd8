#include "mocks/platform/platform_root.h"

#include "mocks/platform/json_util.h"

namespace taskbounds {

Workspace PlatformRootRecord(TimePoint now) {
  Workspace root;
  root.id = NewUuid();
  root.name = kPlatformRootName;
  root.kind = kKindPlatform;
  root.tier = 0;
  root.runtime = "hermes";
  root.template_name = "platform-agent";
  // platformDefaultModelFallback (H/platform_agent.go), the model a fresh concierge seeds.
  root.model = "minimax/MiniMax-M2.7";
  root.created = now;
  // An empty provisioning window: registered at `now`, online and heartbeating from there.
  root.provisioning.push_back({now, now});
  return root;
}

bool IsPlatformRoot(const Workspace& ws) { return ws.kind == kKindPlatform; }

BackendReply ConciergeSelfWriteBlockedReply(const Workspace& root, const std::string& key) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  w.String(
      "concierge cannot set_workspace_secret on its own platform-root workspace (self-DoS "
      "guard, core#2566); apply this secret through the canvas Secrets tab as a human "
      "operator");
  w.Key("workspace_id");
  WriteString(w, root.id);
  w.Key("key");
  WriteString(w, key);
  w.Key("code");
  w.String("CONCIERGE_SELF_WRITE_BLOCKED");
  w.EndObject();
  return BackendReply::Json(403, buffer.GetString());
}

}  // namespace taskbounds
