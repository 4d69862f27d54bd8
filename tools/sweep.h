// //tools:sweep's logic, apart from its main() so tests can call it: read the platform's
// workspace list, pick this suite's leftovers, describe them.
//
// The list: GET /workspaces (AdminAuth), a bare JSON array of workspace objects that omits
// removed workspaces (platform-api.md section 3.2; platform-api-2026-08.md section 1 keeps
// the route). Fields used: id, name, status, parent_id, uptime_seconds, active_tasks (the
// list rows have GET /workspaces/{id}'s fields, section 3.2; 2026-08 section 3). It carries no
// creation time, so a workspace's age comes from its name (fixtures/run/run_tag.h); a legacy
// name ("PM", "Researcher", --legacy-names) has only uptime_seconds, a lower bound of its
// age (a stopped workspace reports 0: its age is then unknown and it is left alone unless
// --older-than=0).
//
// A running run's workspaces: the run writes into both names until when it may use them (its
// start, online waits, A2A_TIMEOUT and cleanup budget), and the sweep never selects one before
// that deadline unless --include-busy (issue 19 item 4). active_tasks > 0 is a second sign,
// never the only one: 2026-08's phantom-busy sweeper zeroes it during a quiet task
// (external-workspaces-2026-08.md section 0 b). Names without a deadline (older runs) keep the
// age and active_tasks rules. --run-tag names one run whose workspaces go whatever their age
// and deadline (whoever names it says that run has ended).
#ifndef TOOLS_SWEEP_H_
#define TOOLS_SWEEP_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskbounds {

struct SweepOptions {
  double older_than_secs = 2 * 3600;  // wall seconds; only older workspaces are picked
  bool apply = false;                 // false: list only (the default, a dry run)
  bool legacy_names = false;          // also "PM" / "Researcher"
  // false: a workspace with active_tasks > 0, a PM with such a child, or a child of such a
  // PM is kept (a run may still be using it); true deletes them anyway.
  bool include_busy = false;
  // Non-empty: only the workspaces of this run (fixtures/run/run_tag.h IsRunTag), whatever
  // their age and deadline; active_tasks > 0 still keeps one unless include_busy.
  std::string run_tag;
};

struct ListedWorkspace {
  std::string id;
  std::string name;
  std::string status;
  std::string parent_id;   // "" when none
  double uptime_secs = 0;  // 0 when absent
  // 2026-08: "platform" for the org's platform agent (never this suite's), "" when absent.
  std::string kind;
  std::int64_t active_tasks = 0;  // 0 when absent
};

struct SweepCandidate {
  ListedWorkspace workspace;
  bool parent = false;     // deleted after the children, with ?confirm=true
  bool selected = false;   // old enough: deleted with --apply
  double age_secs = -1;    // -1: unknown
  std::string age_source;  // "run tag", "uptime_seconds (lower bound)", "unknown"
  // The deadline its run wrote into its name; nullopt for a name without one.
  std::optional<std::chrono::system_clock::time_point> in_use_until;
  std::string reason;  // why selected or skipped, one line
};

// Parses GET /workspaces' body. Bounded: iterative parsing (no recursion on hostile
// nesting); entries that are not objects with a string id and name are skipped and
// counted in `skipped`. False, with `error` naming what is wrong, when the body is not a
// JSON array.
bool ParseWorkspaceList(const std::string& body, std::vector<ListedWorkspace>* out, int* skipped,
                        std::string* error);

// This suite's workspaces among `listed` (others are not returned at all; with
// options.run_tag, only that run's), each marked selected or not with the reason. One whose
// name's deadline is after `now` is kept ("in use by a run until <time>"), and so is one old
// enough but busy (active_tasks > 0 on itself, on a listed child, or on its listed parent),
// unless options.include_busy: the list has no run owner, and a run longer than --older-than
// is still using its workspaces.
std::vector<SweepCandidate> SelectLeftovers(const std::vector<ListedWorkspace>& listed,
                                            const SweepOptions& options,
                                            std::chrono::system_clock::time_point now);

// The largest --older-than: ten years, older than any run of this suite; a larger value
// is a typo, and would select nothing.
inline constexpr double kMaxAgeSecs = 3650.0 * 86400;

// "90s", "30m", "2h", "7d", or plain seconds ("0", "3600"), up to kMaxAgeSecs; nullopt
// when malformed or larger.
std::optional<double> ParseAge(const std::string& text);

}  // namespace taskbounds

#endif  // TOOLS_SWEEP_H_
