// The platform's request-body rules (platform-api.md sections 2.1, 2.3, 3.4, 4): which
// bodies of create, PATCH, secrets and the registry routes are rejected, with which 400
// message, and what an accepted body writes into a workspace record. Pure: no clock, no
// table; the facade looks up parents and applies the results under its lock.
#ifndef MOCKS_PLATFORM_VALIDATION_H_
#define MOCKS_PLATFORM_VALIDATION_H_

#include <functional>
#include <optional>
#include <string>

#include "mocks/platform/template_catalog.h"
#include "mocks/platform/workspace_record.h"
#include "rapidjson/document.h"

namespace taskbounds {

// POST /workspaces. Parses `body` into `*doc`; the 400 message when the body breaks a rule
// (create's messages are generic: "invalid workspace payload", "invalid workspace fields",
// "invalid template", "invalid workspace directory", "invalid workspace access"), nullopt
// when it is accepted.
std::optional<std::string> CreateBodyError(const std::string& body, rapidjson::Document* doc);

// The record an accepted create body describes, without id, times or windows.
// `runtime_for_template` resolves the runtime when the body names none.
Workspace WorkspaceFromCreateBody(
    const rapidjson::Document& doc,
    const std::function<std::string(const std::string&)>& runtime_for_template);

// What an accepted create body asks the release's resolution for (template, runtime, model,
// the payload's secrets).
CreateAsk CreateAskOf(const rapidjson::Document& doc);

// PATCH /workspaces/{id}. Unlike create, the message names the field and the rule
// (workspace_crud.go:530-564), e.g. "name must be at most 255 characters".
std::optional<std::string> PatchBodyError(const std::string& body, rapidjson::Document* doc);
// A present workspace_dir asks for a restart (the reply says so; none happens).
bool PatchNeedsRestart(const rapidjson::Document& doc);
// Each present key is its own UPDATE; a value the database rejects (wrong type, a parent
// that does not exist per `parent_exists`) is silently skipped.
void ApplyPatchBody(const rapidjson::Document& doc,
                    const std::function<bool(const std::string&)>& parent_exists, Workspace* ws);

struct SecretFields {
  std::string key;
  std::string value;
};
// POST /workspaces/{id}/secrets: both non-empty strings; nullopt = 400 invalid request body.
std::optional<SecretFields> ParseSecretBody(const std::string& body);

struct RegistrationFields {
  std::string id;
  std::string url;                        // "" when absent
  std::optional<std::string> agent_card;  // serialised object, when one was sent
};
// POST /registry/register; nullopt = 400 invalid request body.
std::optional<RegistrationFields> ParseRegistrationBody(const std::string& body);

struct HeartbeatFields {
  std::string workspace_id;
  double error_rate = 0;
  std::string runtime_state;
};
// POST /registry/heartbeat, with Go's binding (each field must fit its type, null is the
// zero value, workspace_id required); nullopt = 400 invalid request body.
std::optional<HeartbeatFields> ParseHeartbeatBody(const std::string& body);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_VALIDATION_H_
