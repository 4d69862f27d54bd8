// The 2026-08 platform's create-time resolution (platform-api-2026-08.md section 1,
// H/workspace.go:428-688, :1137-1161, :1405-1429): which template names a runtime, which
// runtimes are maintained, which models are registered for which runtime, which models need
// a BYOK credential, and which vendor keys platform-billed workspaces may not hold. Pure
// functions over a fixed catalogue; the 422 bodies carry the platform's `code`.
//
// The catalogue: the manifest's templates (claude-code-default, platform-agent, hermes,
// openclaw, codex, seo-agent) and the runtime allowlist come from section 1. What the
// document does not give (the default model of every template but claude-code-default, the
// model registry beyond one platform-billed id, which template declares a non-exempt
// required_env) is the fake's own choice, picked so every 422 path is reachable:
//   - model "minimax/MiniMax-M2.7": provider "platform" (billed by the platform), every runtime;
//   - "anthropic/...", "claude-...": BYOK ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN,
//   claude-code;
//   - "openrouter/...": BYOK OPENROUTER_API_KEY, hermes and openclaw;
//   - "openai/...", "gpt-...": BYOK OPENAI_API_KEY, codex, hermes and openclaw;
//   - templates hermes, openclaw and codex have no default model (create needs `model`);
//   - codex declares required_env CODEX_AUTH_JSON (not exempt): MISSING_REQUIRED_ENV;
//   - seo-agent is private: TEMPLATE_UNAVAILABLE.
#ifndef MOCKS_PLATFORM_TEMPLATE_CATALOG_H_
#define MOCKS_PLATFORM_TEMPLATE_CATALOG_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mocks/platform_backend.h"

namespace taskbounds {

// The platform-billed model claude-code-default's config.yaml names (section 1).
inline constexpr char kPlatformBilledModel[] = "minimax/MiniMax-M2.7";

// What a create body asks for, as read from it ("" = absent).
struct CreateAsk {
  std::string template_name;
  std::string runtime;
  std::string model;
  std::map<std::string, std::string> secrets;  // the payload's `secrets`
  bool external = false;                       // "external": true
};

// What resolution decided.
struct CreateResolution {
  // A 422 (or the vendor-key 400) answered before any row exists.
  std::optional<BackendReply> rejection;
  // The row is committed as `failed` and this 422 (without the id) is answered.
  std::optional<BackendReply> failed_row;
  std::string sample_error;  // failed_row's reason, GET's last_sample_error
  std::string runtime;
  std::string model;
};

CreateResolution ResolveCreate(const CreateAsk& ask);

// {"error":error, <each field>:<its value>, "code":code}: the shape of 2026-08's coded errors.
BackendReply CodedError(int status, const std::string& error, const std::string& code,
                        const std::vector<std::pair<const char*, std::string>>& fields = {});

// 422 UNREGISTERED_MODEL_FOR_RUNTIME when `model` is not registered for `runtime`
// (PUT /workspaces/{id}/model, section 2); nullopt when it is.
std::optional<BackendReply> UnregisteredModelReply(const std::string& runtime,
                                                   const std::string& model);

// The secrets route's vendor-key guard (section 2, H/secrets.go:21-109): `key` is a direct
// vendor LLM key and the workspace's (runtime, model) derives to the platform provider or
// cannot be derived. Then the 400 for `workspace_id`; else nullopt.
std::optional<BackendReply> VendorKeyGuard(const std::string& runtime, const std::string& model,
                                           const std::string& key, const std::string& workspace_id);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_TEMPLATE_CATALOG_H_
