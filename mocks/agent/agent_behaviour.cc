#include "mocks/agent/agent_behaviour.h"

#include <cmath>
#include <sstream>

#include "mocks/platform/sim_clock.h"

namespace taskbounds {
namespace {

// A hold or interval longer than this in wall seconds (about 115 days) is a typo.
constexpr double kMaxWallSecs = 1e7;
// Heartbeats closer than this in wall time would only load the registry.
constexpr double kMinHeartbeatWallSecs = 0.001;

bool IsTagChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

bool HasHttpScheme(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

std::string CheckHeartbeat(const HeartbeatSettings& heartbeat, double time_scale) {
  if (!std::isfinite(heartbeat.interval_secs) || heartbeat.interval_secs < 0) {
    return "heartbeat interval must be >= 0 platform seconds (0: no heartbeats)";
  }
  if (heartbeat.interval_secs == 0) {
    return "";
  }
  const double wall = heartbeat.interval_secs * time_scale;
  if (wall < kMinHeartbeatWallSecs || wall > kMaxWallSecs) {
    return "heartbeat interval " + FormatPlatformSecs(heartbeat.interval_secs) +
           " platform seconds is " + FormatPlatformSecs(wall) +
           " wall seconds at this time scale: keep it between 0.001 and 1e7";
  }
  if (!HasHttpScheme(heartbeat.registry_url)) {
    return "heartbeats need the registry URL (the platform's base URL, http(s)://host[:port]), "
           "got \"" +
           heartbeat.registry_url + "\"";
  }
  if (heartbeat.workspace_id.empty()) {
    return "heartbeats need the workspace id the platform gave the external workspace";
  }
  if (heartbeat.idle_timeout_secs && *heartbeat.idle_timeout_secs <= 0) {
    return "the idle timeout override must be a positive number of seconds";
  }
  if (heartbeat.workspace_token.find_first_of("\r\n") != std::string::npos) {
    return "the workspace token contains a line break";
  }
  return "";
}

}  // namespace

const char* HeaderTimingName(HeaderTiming timing) {
  return timing == HeaderTiming::kAtOnce ? "at-once" : "at-end";
}

std::optional<HeaderTiming> ParseHeaderTiming(const std::string& name) {
  if (name == "at-once") {
    return HeaderTiming::kAtOnce;
  }
  if (name == "at-end") {
    return HeaderTiming::kAtEnd;
  }
  return std::nullopt;
}

const char* ReplyKindName(ReplyKind kind) {
  return kind == ReplyKind::kAgentError ? "agent-error" : "normal";
}

std::optional<ReplyKind> ParseReplyKind(const std::string& name) {
  if (name == "normal") {
    return ReplyKind::kNormal;
  }
  if (name == "agent-error") {
    return ReplyKind::kAgentError;
  }
  return std::nullopt;
}

const char* RedispatchRuleName(RedispatchRule rule) {
  return rule == RedispatchRule::kAnswerAtOnce ? "answer" : "hold";
}

std::optional<RedispatchRule> ParseRedispatchRule(const std::string& name) {
  if (name == "hold") {
    return RedispatchRule::kHold;
  }
  if (name == "answer") {
    return RedispatchRule::kAnswerAtOnce;
  }
  return std::nullopt;
}

std::string CheckBehaviour(const AgentBehaviour& behaviour, double time_scale) {
  if (!std::isfinite(time_scale) || time_scale <= 0 || time_scale > 1000) {
    return "the time scale must be in (0, 1000] wall seconds per platform second, got " +
           FormatPlatformSecs(time_scale);
  }
  if (behaviour.hold_secs) {
    const double hold = *behaviour.hold_secs;
    if (!std::isfinite(hold) || hold < 0 || hold * time_scale > kMaxWallSecs) {
      return "the hold must be >= 0 platform seconds and at most 1e7 wall seconds, got " +
             FormatPlatformSecs(hold) + " (omit it to hold until the caller hangs up)";
    }
  }
  if (behaviour.error_tag.empty() || behaviour.error_tag.size() > 64) {
    return "the error tag must be 1 to 64 characters, e.g. TimeoutError";
  }
  for (char c : behaviour.error_tag) {
    if (!IsTagChar(c)) {
      return "the error tag \"" + behaviour.error_tag +
             "\" may hold only letters, digits, '_' and '.', e.g. TimeoutError";
    }
  }
  if (behaviour.inbound_secret.find_first_of("\r\n") != std::string::npos) {
    return "the inbound secret contains a line break";
  }
  return CheckHeartbeat(behaviour.heartbeat, time_scale);
}

std::string DescribeBehaviour(const AgentBehaviour& behaviour) {
  std::ostringstream out;
  out << "hold="
      << (behaviour.hold_secs ? FormatPlatformSecs(*behaviour.hold_secs) + "s" : "until-cut")
      << " headers=" << HeaderTimingName(behaviour.headers)
      << " reply=" << ReplyKindName(behaviour.reply);
  if (behaviour.reply == ReplyKind::kAgentError) {
    out << " error_tag=" << behaviour.error_tag;
  }
  out << " redispatch=" << RedispatchRuleName(behaviour.redispatch);
  const HeartbeatSettings& heartbeat = behaviour.heartbeat;
  if (heartbeat.interval_secs > 0) {
    out << " heartbeat=" << FormatPlatformSecs(heartbeat.interval_secs) << "s to "
        << heartbeat.registry_url << " workspace_id=" << heartbeat.workspace_id
        << " workspace_token=" << (heartbeat.workspace_token.empty() ? "unset" : "set");
    if (heartbeat.idle_timeout_secs) {
      out << " idle_timeout_override=" << *heartbeat.idle_timeout_secs << "s";
    }
  } else {
    out << " heartbeat=none";
  }
  out << " inbound_secret=" << (behaviour.inbound_secret.empty() ? "unset" : "set");
  return out.str();
}

}  // namespace taskbounds
