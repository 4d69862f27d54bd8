#include "mocks/fault_spec.h"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <utility>

#include "mocks/routes.h"

namespace taskbounds {
namespace {

// A whole decimal number in [min, max].
std::optional<long> NumberIn(const std::string& text, long min, long max) {
  long value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

// The SPECs seen so far; turned into a Fault once all are read.
struct SpecParts {
  std::optional<FaultAction> action;  // from hang, html, truncated, drop, pass
  std::optional<long> status;
  std::optional<std::string> body;
  long delay_ms = 0;
  bool hold = false;
};

std::optional<std::string> SetAction(FaultAction action, const std::string& text,
                                     SpecParts* parts) {
  if (parts->action) {
    return "more than one of hang/html/truncated/drop/pass in \"" + text + "\"";
  }
  parts->action = action;
  return std::nullopt;
}

// One "key[=value]" spec other than body=.
std::optional<std::string> ParseSpec(const std::string& spec, const std::string& text,
                                     SpecParts* parts, int* count) {
  const std::size_t eq = spec.find('=');
  const std::string key = spec.substr(0, eq);
  const std::string value = eq == std::string::npos ? "" : spec.substr(eq + 1);
  if (key == "status") {
    parts->status = NumberIn(value, 100, 599);
    return parts->status
               ? std::nullopt
               : std::optional<std::string>("status must be 100..599, got \"" + value + "\"");
  }
  if (key == "delay-ms") {
    const std::optional<long> delay = NumberIn(value, 0, 3600000);
    parts->delay_ms = delay.value_or(0);
    return delay ? std::nullopt : std::optional<std::string>("delay-ms must be 0..3600000");
  }
  if (key == "count") {
    const std::optional<long> number = NumberIn(value, 1, 1000000);
    if (value != "all" && !number) {
      return "count must be a positive number or \"all\", got \"" + value + "\"";
    }
    *count = number ? static_cast<int>(*number) : kEveryCall;
    return std::nullopt;
  }
  if (key == "hold" && eq == std::string::npos) {
    parts->hold = true;
    return std::nullopt;
  }
  static const std::pair<const char*, FaultAction> kActions[] = {
      {"hang", FaultAction::kHang},
      {"html", FaultAction::kHtmlBody},
      {"truncated", FaultAction::kTruncatedJson},
      {"drop", FaultAction::kDropConnection},
      {"pass", FaultAction::kPass},
  };
  for (const auto& [name, action] : kActions) {
    if (key == name && eq == std::string::npos) {
      return SetAction(action, text, parts);
    }
  }
  return "unknown fault spec \"" + spec + "\" (see --help)";
}

// The Fault the specs describe; nullopt when they describe nothing.
std::optional<Fault> BuildFault(const SpecParts& parts) {
  std::optional<FaultAction> action = parts.action;
  if (!action) {
    if (parts.status || parts.body) {
      action = FaultAction::kRespond;
    } else if (parts.delay_ms > 0) {
      action = FaultAction::kProceed;
    } else if (parts.hold) {
      action = FaultAction::kPass;
    } else {
      return std::nullopt;
    }
  }
  Fault fault;
  switch (*action) {
    case FaultAction::kRespond:
      fault = Fault::Status(static_cast<int>(parts.status.value_or(503)));
      fault.body = parts.body.value_or(fault.body);
      break;
    case FaultAction::kProceed:
      fault = Fault::Delay(std::chrono::milliseconds(parts.delay_ms));
      break;
    case FaultAction::kPass:
      fault = Fault::Pass();
      break;
    case FaultAction::kHang:
      fault = Fault::Hang();
      break;
    case FaultAction::kHtmlBody:
      fault = Fault::HtmlBody(static_cast<int>(parts.status.value_or(502)));
      break;
    case FaultAction::kTruncatedJson:
      fault = Fault::TruncatedJson(static_cast<int>(parts.status.value_or(200)));
      break;
    case FaultAction::kDropConnection:
      fault = Fault::DropConnection();
      break;
  }
  fault.delay = std::chrono::milliseconds(parts.delay_ms);
  fault.hold = parts.hold;
  return fault;
}

}  // namespace

std::optional<std::string> ParseFaultFlag(const std::string& text, FaultFlag* out) {
  // The route itself never contains ':'.
  const std::size_t colon = text.find(':');
  out->route = text.substr(0, colon);
  if (FindRoute(out->route) == nullptr && out->route != kAnyRouteKey) {
    return "unknown route \"" + out->route + "\" (see --help for route keys)";
  }
  SpecParts parts;
  std::size_t pos = colon == std::string::npos ? text.size() : colon + 1;
  while (pos < text.size()) {
    if (text.compare(pos, 5, "body=") == 0) {  // the body may contain ':'; it takes the rest
      if (!parts.status) {  // it comes last, so the status is already read if given
        return "body= needs a status=N before it in \"" + text +
               "\" (e.g. 'POST /workspaces:status=500:body={\"error\":\"x\"}')";
      }
      parts.body = text.substr(pos + 5);
      break;
    }
    const std::size_t end = std::min(text.find(':', pos), text.size());
    if (auto error = ParseSpec(text.substr(pos, end - pos), text, &parts, &out->count)) {
      return error;
    }
    pos = end + 1;
  }
  std::optional<Fault> fault = BuildFault(parts);
  if (!fault) {
    return "fault \"" + text + "\" does nothing: give status=, delay-ms=, hold, pass, hang, " +
           "html, truncated or drop";
  }
  out->fault = std::move(*fault);
  return std::nullopt;
}

std::string FaultSpecHelp() {
  return "      SPEC is one of: status=N (answer N), body=TEXT (with status; must come last),\n"
         "      delay-ms=N (wait first; alone: then answer normally), pass (answer normally;\n"
         "      takes one place in the route's queue), hold (wait until released; only a\n"
         "      test can release, so here it waits until shutdown drops the connection),\n"
         "      hang, html, truncated, drop, count=N|all (default all).\n"
         "      Faults on one route apply in the order given.\n"
         "      e.g. --fault='" +
         RouteKey(Route::kA2A) + ":status=503:count=2'\n" + "           --fault='" +
         RouteKey(Route::kGetWorkspace) + ":delay-ms=250'\n" + "           --fault='" +
         RouteKey(Route::kCreateWorkspace) + ":pass:count=1' --fault='" +
         RouteKey(Route::kCreateWorkspace) + ":status=500:count=1'\n";
}

}  // namespace taskbounds
