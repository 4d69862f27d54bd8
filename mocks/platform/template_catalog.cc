#include "mocks/platform/template_catalog.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "mocks/platform/json_util.h"

namespace taskbounds {
namespace {

struct TemplateEntry {
  const char* name;
  const char* runtime;
  const char* default_model;  // "" = none: create must name a model
  const char* required_env;   // "" = none the create preflight checks
  bool available;             // false: TEMPLATE_UNAVAILABLE after the row is committed
};

// manifest.json:30-37 (section 1); see the header for what is the fake's choice.
constexpr TemplateEntry kTemplates[] = {
    {"claude-code-default", "claude-code", kPlatformBilledModel, "", true},
    {"platform-agent", "claude-code", kPlatformBilledModel, "", true},
    {"hermes", "hermes", "", "", true},
    {"openclaw", "openclaw", "", "", true},
    {"codex", "codex", "", "CODEX_AUTH_JSON", true},
    {"seo-agent", "claude-code", kPlatformBilledModel, "", false},
};

// Template names with -default stripped, plus the four extras (H/runtime_registry.go:127).
constexpr std::string_view kAllowedRuntimes[] = {
    "claude-code", "platform-agent", "hermes", "openclaw", "codex",
    "seo-agent",   "external",       "kimi",   "kimi-cli", "mock"};
// Runtimes that need no model (section 1, "External workspaces").
constexpr std::string_view kExternalRuntimes[] = {"external", "kimi", "kimi-cli"};
// Bare create's runtime (H/runtime_registry.go:287, MOLECULE_DEFAULT_RUNTIME).
constexpr char kDefaultRuntime[] = "hermes";

// platformManagedDirectLLMBypassKeys (H/secrets.go:21-45), the ones section 2 names.
constexpr std::string_view kVendorKeys[] = {"OPENROUTER_API_KEY", "OPENAI_API_KEY",
                                            "ANTHROPIC_API_KEY", "MINIMAX_API_KEY",
                                            "CLAUDE_CODE_OAUTH_TOKEN"};

struct Provider {
  std::string name;                        // "platform" = billed by the platform
  std::vector<std::string_view> keys;      // BYOK credentials it accepts
  std::vector<std::string_view> runtimes;  // runtimes it is registered for
};

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

template <typename Range>
bool Contains(const Range& range, std::string_view value) {
  return std::find(std::begin(range), std::end(range), value) != std::end(range);
}

// The model registry's derivation model -> provider; nullopt = not registered at all.
std::optional<Provider> ProviderOf(const std::string& model) {
  if (model == kPlatformBilledModel) {
    return Provider{"platform", {}, {std::begin(kAllowedRuntimes), std::end(kAllowedRuntimes)}};
  }
  if (StartsWith(model, "anthropic/") || StartsWith(model, "claude-")) {
    return Provider{"anthropic", {"ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"}, {"claude-code"}};
  }
  if (StartsWith(model, "openrouter/")) {
    return Provider{"openrouter", {"OPENROUTER_API_KEY"}, {"hermes", "openclaw"}};
  }
  if (StartsWith(model, "openai/") || StartsWith(model, "gpt-")) {
    return Provider{"openai", {"OPENAI_API_KEY"}, {"codex", "hermes", "openclaw"}};
  }
  return std::nullopt;
}

const TemplateEntry* FindTemplate(const std::string& name) {
  for (const TemplateEntry& entry : kTemplates) {
    if (name == entry.name) {
      return &entry;
    }
  }
  return nullptr;
}

// The runtime the ask resolves to, or the 422 that says why none.
std::optional<BackendReply> ResolveRuntime(const CreateAsk& ask, const TemplateEntry** entry,
                                           std::string* runtime) {
  if (!ask.template_name.empty()) {
    *entry = FindTemplate(ask.template_name);
    if (*entry == nullptr) {
      return CodedError(422, "could not resolve a runtime for template", "RUNTIME_UNRESOLVED",
                        {{"template", ask.template_name}});
    }
    *runtime = (*entry)->runtime;
  }
  if (!ask.runtime.empty()) {
    *runtime = ask.runtime;
  }
  if (runtime->empty()) {
    // external:true without a runtime is an external workspace (H/workspace.go:495-497).
    *runtime = ask.external ? "external" : kDefaultRuntime;
  }
  if (ask.external && !Contains(kExternalRuntimes, *runtime)) {
    return CodedError(422, "external workspaces must use runtime external, kimi or kimi-cli",
                      "RUNTIME_UNSUPPORTED", {{"runtime", *runtime}});
  }
  if (!Contains(kAllowedRuntimes, *runtime)) {
    return CodedError(422, "unsupported workspace runtime", "RUNTIME_UNSUPPORTED",
                      {{"runtime", *runtime}});
  }
  return std::nullopt;
}

// MODEL_REQUIRED, UNREGISTERED_MODEL_FOR_RUNTIME, MISSING_BYOK_CREDENTIAL and the payload's
// vendor-key guard, in the platform's order (H/workspace.go:585-688, :894-908).
std::optional<BackendReply> CheckModel(const CreateAsk& ask, const std::string& runtime,
                                       const std::string& model) {
  if (model.empty()) {
    if (Contains(kExternalRuntimes, runtime)) {
      return std::nullopt;
    }
    return CodedError(422, "model is required for this runtime", "MODEL_REQUIRED",
                      {{"runtime", runtime}});
  }
  if (auto unregistered = UnregisteredModelReply(runtime, model)) {
    return unregistered;
  }
  const Provider provider = *ProviderOf(model);
  if (provider.name != "platform") {
    for (std::string_view key : provider.keys) {
      auto it = ask.secrets.find(std::string(key));
      if (it != ask.secrets.end() && !it->second.empty()) {
        return std::nullopt;
      }
    }
    return CodedError(422, "model needs a provider credential in the create payload's secrets",
                      "MISSING_BYOK_CREDENTIAL",
                      {{"model", model},
                       {"provider", provider.name},
                       {"required_key", std::string(provider.keys.front())}});
  }
  for (const auto& [key, value] : ask.secrets) {
    if (auto blocked = VendorKeyGuard(runtime, model, key, "")) {
      return blocked;
    }
  }
  return std::nullopt;
}

}  // namespace

BackendReply CodedError(int status, const std::string& error, const std::string& code,
                        const std::vector<std::pair<const char*, std::string>>& fields) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  WriteString(w, error);
  for (const auto& [key, value] : fields) {
    w.Key(key);
    WriteString(w, value);
  }
  w.Key("code");
  WriteString(w, code);
  w.EndObject();
  return BackendReply::Json(status, buffer.GetString());
}

CreateResolution ResolveCreate(const CreateAsk& ask) {
  CreateResolution out;
  const TemplateEntry* entry = nullptr;
  if ((out.rejection = ResolveRuntime(ask, &entry, &out.runtime))) {
    return out;
  }
  out.model = !ask.model.empty() ? ask.model : entry != nullptr ? entry->default_model : "";
  if ((out.rejection = CheckModel(ask, out.runtime, out.model))) {
    return out;
  }
  if (entry != nullptr && !entry->available) {
    out.sample_error = "template " + ask.template_name + " unavailable after cache refresh";
    out.failed_row = CodedError(422, "template unavailable", "TEMPLATE_UNAVAILABLE",
                                {{"template", ask.template_name}});
  } else if (entry != nullptr && *entry->required_env != '\0' &&
             ask.secrets.count(entry->required_env) == 0) {
    out.sample_error = std::string("missing required env ") + entry->required_env;
    out.failed_row = CodedError(422, "required environment variables are missing",
                                "MISSING_REQUIRED_ENV", {{"missing", entry->required_env}});
  }
  return out;
}

std::optional<BackendReply> UnregisteredModelReply(const std::string& runtime,
                                                   const std::string& model) {
  const std::optional<Provider> provider = ProviderOf(model);
  if (provider && Contains(provider->runtimes, runtime)) {
    return std::nullopt;
  }
  return CodedError(422, "model is not registered for this runtime",
                    "UNREGISTERED_MODEL_FOR_RUNTIME", {{"runtime", runtime}, {"model", model}});
}

std::optional<BackendReply> VendorKeyGuard(const std::string& runtime, const std::string& model,
                                           const std::string& key,
                                           const std::string& workspace_id) {
  if (!Contains(kVendorKeys, key)) {
    return std::nullopt;
  }
  const std::optional<Provider> provider = ProviderOf(model);
  const bool derivable = provider && Contains(provider->runtimes, runtime);
  if (derivable && provider->name != "platform") {
    return std::nullopt;
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  w.String(
      "direct vendor key writes are blocked for platform-managed workspaces; the platform "
      "bills this model");
  w.Key("key");
  WriteString(w, key);
  w.Key("workspace_id");
  WriteString(w, workspace_id);
  w.EndObject();
  return BackendReply::Json(400, buffer.GetString());
}

}  // namespace taskbounds
