#include "tools/sweep.h"

#include <cmath>
#include <cstdlib>

#include "client/evidence.h"
#include "fixtures/run/run_tag.h"
#include "fixtures/run/workspace_deleter.h"
#include "rapidjson/document.h"

namespace taskbounds {
namespace {

std::string StringMember(const rapidjson::Value& object, const char* key) {
  const auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : "";
}

bool IsLegacyName(const std::string& name) {
  for (const char* legacy : kLegacyNames) {
    if (name == legacy) {
      return true;
    }
  }
  return false;
}

std::string Secs(double secs) {
  return std::to_string(static_cast<long long>(std::llround(secs))) + " s";
}

// Why `ws` looks in use, "" when it does not: its own active_tasks, a listed child's (the
// PM's delegations run there), or its listed parent's (the PM may delegate to it again).
std::string BusyReason(const ListedWorkspace& ws, const std::vector<ListedWorkspace>& listed) {
  if (ws.active_tasks > 0) {
    return "active_tasks " + std::to_string(ws.active_tasks);
  }
  for (const ListedWorkspace& other : listed) {
    if (other.active_tasks <= 0 || other.id == ws.id) {
      continue;
    }
    // An id that is not one (hostile list text) is not repeated on the terminal.
    const std::string other_id = IsPlausibleWorkspaceId(other.id) ? other.id : "(odd id)";
    if (other.parent_id == ws.id) {
      return "its child " + other_id + " has active_tasks " + std::to_string(other.active_tasks);
    }
    if (!ws.parent_id.empty() && other.id == ws.parent_id) {
      return "its parent " + other_id + " has active_tasks " + std::to_string(other.active_tasks);
    }
  }
  return "";
}

// Keeps a selected candidate that looks in use, unless --include-busy; says so either way.
void ApplyBusyRule(SweepCandidate* c, const std::vector<ListedWorkspace>& listed,
                   const SweepOptions& options) {
  const std::string busy = c->selected ? BusyReason(c->workspace, listed) : "";
  if (busy.empty()) {
    return;
  }
  if (options.include_busy) {
    c->reason += " (busy: " + busy + "; deleted anyway: --include-busy)";
    return;
  }
  c->selected = false;
  c->reason =
      "busy: " + busy + " \u2014 a run may still be using it; --include-busy deletes it anyway";
}

}  // namespace

bool ParseWorkspaceList(const std::string& body, std::vector<ListedWorkspace>* out, int* skipped,
                        std::string* error) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsArray()) {
    *error = doc.HasParseError() ? "the body is not JSON" : "the body is JSON but not an array";
    return false;
  }
  *skipped = 0;
  for (const rapidjson::Value& item : doc.GetArray()) {
    if (!item.IsObject() || StringMember(item, "id").empty() || !item.HasMember("name") ||
        !item["name"].IsString()) {
      ++*skipped;
      continue;
    }
    ListedWorkspace ws;
    ws.id = StringMember(item, "id");
    ws.name = StringMember(item, "name");
    ws.status = StringMember(item, "status");
    ws.parent_id = StringMember(item, "parent_id");
    ws.kind = StringMember(item, "kind");
    const auto active = item.FindMember("active_tasks");
    if (active != item.MemberEnd() && active->value.IsInt64()) {
      ws.active_tasks = active->value.GetInt64();
    }
    const auto uptime = item.FindMember("uptime_seconds");
    if (uptime != item.MemberEnd() && uptime->value.IsNumber() &&
        std::isfinite(uptime->value.GetDouble())) {
      ws.uptime_secs = uptime->value.GetDouble();
    }
    out->push_back(std::move(ws));
  }
  return true;
}

std::vector<SweepCandidate> SelectLeftovers(const std::vector<ListedWorkspace>& listed,
                                            const SweepOptions& options,
                                            std::chrono::system_clock::time_point now) {
  std::vector<SweepCandidate> found;
  for (const ListedWorkspace& ws : listed) {
    if (IsPlatformRootKind(ws.kind)) {
      continue;
    }
    SweepCandidate c;
    c.workspace = ws;
    bool in_future = false;
    const bool named_run = !options.run_tag.empty();
    const auto parsed = ParseSuiteWorkspaceName(ws.name);
    if (named_run && (!parsed || parsed->run_tag != options.run_tag)) {
      continue;  // not the named run's
    }
    if (parsed) {
      c.parent = parsed->role == SuiteRole::kPm;
      in_future = parsed->created > now;
      c.age_secs = in_future ? -1 : std::chrono::duration<double>(now - parsed->created).count();
      c.age_source = in_future ? "run tag (dated in the future)" : "run tag";
      c.in_use_until = parsed->in_use_until;
    } else if (options.legacy_names && IsLegacyName(ws.name)) {
      c.parent = ws.name == kLegacyNames[0];
      c.age_source = ws.uptime_secs > 0 ? "uptime_seconds (lower bound)" : "unknown";
      c.age_secs = ws.uptime_secs > 0 ? ws.uptime_secs : -1;
    } else {
      continue;  // not this suite's: never listed, never touched
    }
    const bool in_use_until_ahead = c.in_use_until && *c.in_use_until > now;
    if (!IsPlausibleWorkspaceId(ws.id)) {
      c.reason = "its id has characters no workspace id has: left alone";
    } else if (ws.status == "removed") {
      c.reason = "already removed";
    } else if (named_run) {
      // Whoever names the run says it has ended: its age and deadline do not apply.
      c.selected = true;
      c.reason = "of run " + options.run_tag + " (--run-tag): any age" +
                 (in_use_until_ahead
                      ? ", its deadline " + FormatUtcSecond(*c.in_use_until) + " not applied"
                      : "");
    } else if (in_future) {
      // No age to compare, whatever --older-than: a skewed clock, or a name that only
      // looks like a run's. Left for a person to judge.
      c.reason = "dated in the future (its run tag is after now): kept, whatever --older-than";
    } else if (in_use_until_ahead && !options.include_busy) {
      c.reason = "in use by a run until " + FormatUtcSecond(*c.in_use_until) +
                 " (the deadline its run wrote into its name) \u2014 --include-busy deletes it "
                 "anyway";
    } else if (options.older_than_secs <= 0) {
      c.selected = true;
      c.reason = "any age (--older-than=0)";
    } else if (c.age_secs < 0) {
      c.reason = "age unknown (no run tag, no uptime): kept; --older-than=0 includes it";
    } else if (c.age_secs >= options.older_than_secs) {
      c.selected = true;
      c.reason = "age " + Secs(c.age_secs) + " >= " + Secs(options.older_than_secs);
    } else {
      c.reason = "too young: age " + Secs(c.age_secs) + " < " + Secs(options.older_than_secs);
    }
    if (c.selected && in_use_until_ahead && !named_run) {
      c.reason += " (in use by a run until " + FormatUtcSecond(*c.in_use_until) +
                  "; deleted anyway: --include-busy)";
    }
    ApplyBusyRule(&c, listed, options);
    found.push_back(std::move(c));
  }
  return found;
}

std::optional<double> ParseAge(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  const std::string unit(end);
  if (end == text.c_str() || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  double unit_secs = 0;
  if (unit.empty() || unit == "s") {
    unit_secs = 1;
  } else if (unit == "m") {
    unit_secs = 60;
  } else if (unit == "h") {
    unit_secs = 3600;
  } else if (unit == "d") {
    unit_secs = 86400;
  } else {
    return std::nullopt;
  }
  const double secs = value * unit_secs;
  return secs <= kMaxAgeSecs ? std::optional<double>(secs) : std::nullopt;
}

}  // namespace taskbounds
