// 2026-08's platform root: the org's platform agent ("concierge"), the one kind='platform'
// workspace at the top of an org that the platform installs itself (EnterOS-AI/enteros-core
// aeec8e47, H/platform_agent.go:1-22 and :1933-2078; H/ = workspace-server/internal/
// handlers/). Its record and the answers that differ for it. Pure: no clock, no lock.
#ifndef MOCKS_PLATFORM_PLATFORM_ROOT_H_
#define MOCKS_PLATFORM_PLATFORM_ROOT_H_

#include <string>

#include "mocks/platform/workspace_record.h"
#include "mocks/platform_backend.h"

namespace taskbounds {

// Self-host's name without MOLECULE_ORG_NAME (H/platform_agent.go:135-140; SaaS passes
// "<org> Agent" or another name in the control plane's install payload).
inline constexpr char kPlatformRootName[] = "Org Concierge";

// The row installPlatformAgent upserts (H/platform_agent.go:2070-2071: kind 'platform',
// tier 0, parent NULL, template 'platform-agent', the default runtime hermes, :930),
// already online at `now`: the fake models an org whose concierge is up, the state the
// control plane's ensure call keeps it in (H/platform_agent_ensure.go:104-110). A fresh id
// (SaaS derives one per org, H/platform_agent_ensure.go:82). No auth_token: no client of
// the fake holds the concierge's own token.
Workspace PlatformRootRecord(TimePoint now);

bool IsPlatformRoot(const Workspace& ws);

// POST /workspaces/{id}/secrets by the admin token on the platform root: 403
// {"error","workspace_id","key","code":"CONCIERGE_SELF_WRITE_BLOCKED"}, before the
// approval gate, after the vendor-key guard (H/secrets.go:144-190, :459-485).
BackendReply ConciergeSelfWriteBlockedReply(const Workspace& root, const std::string& key);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_PLATFORM_ROOT_H_
