#!/usr/bin/env bash
# The nightly live-staging job: the depth sweep against a real platform, a verdict per depth,
# the HTML report with a trend over nights, and the comparison with a baseline of known
# verdicts and mechanisms. Secrets come from the job's environment only (never arguments).
#   PLATFORM=https://staging.example ADMIN_TOKEN=... TENANT_ID=... OPENROUTER_API_KEY=... \
#     tools/run_live_nightly.sh [extra bazel test flags]
# DRY_RUN=1: check the configuration, print the plan once and exit 0 (no test starts).
# A2A_TIMEOUT defaults to 2700 s here (//tools:measure's is 600): past today's longest
# mechanisms (1800 s). The check refuses a value //tests:live's Bazel timeout cannot hold
# (3600 s, or the --test_timeout=SECS passed on); a shorter one is named in a warning, in the
# plan and after the verdicts.
#
# Files (NIGHTLY_DIR, default .nightly/; keep it in a CI cache so the history survives;
# relative paths are taken from the repository root):
#   NIGHTLY_HISTORY   $NIGHTLY_DIR/history.jsonl   one JSON line per run per night (appended)
#   NIGHTLY_BASELINE  $NIGHTLY_DIR/baseline.json   verdicts/mechanisms known per case; changed
#                                                  only by tools/report/update_baseline.sh
#   $NIGHTLY_DIR/report.html, report.json          tonight's report and its JSON summary
#   $NIGHTLY_DIR/summary.md                        the report's answer as Markdown
#
# Exit status:
#   0  measured; every verdict and mechanism matches the baseline
#   1  the job failed: nothing was measured (no run reached a verdict: e.g. a missing
#      credential), a test failed (harness health, cleanup), or the report could not be built
#   2  bad configuration (e.g. PLATFORM unset, a bad REPEAT, an unwritable NIGHTLY_DIR): one
#      line naming it, before any test starts
#   3  measured, but there is no baseline yet: check the report, then record it with
#      tools/report/update_baseline.sh
#   4  measured, and the platform's behaviour changed: a verdict or mechanism differs from the
#      baseline, or an expected case did not run (the CHANGED lines are printed first)
#   5  as 4, and a test failed as well
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
NIGHTLY_DIR="${NIGHTLY_DIR:-.nightly}"
NIGHTLY_HISTORY="${NIGHTLY_HISTORY:-$NIGHTLY_DIR/history.jsonl}"
NIGHTLY_BASELINE="${NIGHTLY_BASELINE:-$NIGHTLY_DIR/baseline.json}"
# Overridable for the job's own test (tests/report), which replays recorded results.
BAZEL="${BAZEL:-bazel}"
TESTLOGS="${NIGHTLY_TESTLOGS:-bazel-testlogs/tests/live}"
MEASURE="${NIGHTLY_MEASURE:-}" # a built //tools:measure; built here when unset
PYTHON=/usr/bin/python3        # Debian's, with matplotlib and Jinja2 (tools/setup.sh)

# DRY_RUN=1: the plan once on stdout, from measure's own DRY_RUN (one run; its depth line
# replaced by the sweep's depths, default as in client/config.h), and the sweep's axes. No
# shard starts: 27 shards would each print the plan and bury it.
print_dry_run_plan() {
  local list depths plan
  list="$(printf '%s' "${SYNTHESIS_DEPTHS:-1,3,8}" | tr -d ' ')"
  depths="${list//,/, }"
  plan="$(env -u REPEAT -u VARIANTS -u SYNTHESIS_DEPTHS DRY_RUN=1 "$MEASURE" --live-sweep 2>&1 \
    >/dev/null)" || {
    printf '%s\n' "$plan" >&2
    echo "run_live_nightly: DRY_RUN=1: $MEASURE could not print the plan (see above)" >&2
    return 1
  }
  printf '%s\n' "$plan" | sed "s/^Synthesis depth(s): [0-9, ]*/Synthesis depth(s): $depths /"
  echo "Sweep: bazel test --config=live //tests:live over SYNTHESIS_DEPTHS=$list" \
    "VARIANTS=${VARIANTS:-<PM_TEMPLATE/CHILD_TEMPLATE>} REPEAT=${REPEAT:-1} (no shard started)"
}

# The history lives in NIGHTLY_DIR: a night that cannot record it must not run first.
probe="$(mkdir -p -- "$NIGHTLY_DIR" 2>&1 && mktemp "$NIGHTLY_DIR/.writable.XXXXXX" 2>&1)" || {
  echo "run_live_nightly: NIGHTLY_DIR=$NIGHTLY_DIR is not writable (${probe##*: }): set it" \
    "to a folder the job can write (it keeps the history)" >&2
  exit 2
}
rm -f -- "$probe"
tools/setup.sh || exit 1
if [ -z "${PLATFORM:-}" ]; then
  echo "run_live_nightly: PLATFORM is unset: set it to the platform to measure" >&2
  exit 2
fi
# //tests:live is timeout = "eternal" (tests/BUILD.bazel): Bazel's 3600 s, unless a
# --test_timeout passed on to bazel test says otherwise (its last value is "eternal"'s).
test_timeout=3600
for arg in "$@"; do
  case "$arg" in
    --test_timeout=*) test_timeout="${arg##*[=,]}" ;;
  esac
done
# The sweep's variables (REPEAT, SYNTHESIS_DEPTHS, VARIANTS, A2A_TIMEOUT, credentials, ...)
# checked by the product's own loader before 27 shards start, A2A_TIMEOUT (with the online
# wait and the cleanup) against that timeout; it sends no request.
if [ -z "$MEASURE" ]; then
  built="$("$BAZEL" build --noshow_progress //tools:measure 2>&1)" || {
    printf '%s\n' "$built" >&2
    echo "run_live_nightly: cannot build //tools:measure to check the configuration" >&2
    exit 1
  }
  MEASURE=bazel-bin/tools/measure
fi
checked="$("$MEASURE" --check-config --live-sweep="$test_timeout" 2>&1)"
config_status=$?
[ -z "$checked" ] || printf '%s\n' "$checked" | sed 's/^measure: /run_live_nightly: /' >&2
case "$config_status" in
  0) ;;
  2) exit 2 ;;
  *)
    echo "run_live_nightly: $MEASURE --check-config exited $config_status" >&2
    exit 1
    ;;
esac

if [ "${DRY_RUN:-0}" = "1" ]; then
  print_dry_run_plan
  exit $?
fi

"$BAZEL" test --config=live //tests:live "$@"
tests_status=$?
mkdir -p "$NIGHTLY_DIR" || exit 1
summary="$NIGHTLY_DIR/report.json"
"$PYTHON" tools/report/report.py --out "$NIGHTLY_DIR/report.html" "$TESTLOGS" || {
  echo "run_live_nightly: no report from $TESTLOGS (see above): the job measured nothing" >&2
  exit 1
}
measured="$("$PYTHON" -c 'import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
print(sum(r["verdict"] not in ("no_verdict", "dry_run") for r in runs))' "$summary")"
if [ "${measured:-0}" -eq 0 ]; then
  "$PYTHON" tools/report_verdicts.py "$TESTLOGS"
  echo "run_live_nightly: no run reached a verdict: nothing was measured (not recorded in" \
    "the history; report: $NIGHTLY_DIR/report.html)" >&2
  exit 1
fi
# The comparison first, so a change is the first thing the job prints after the tests.
"$PYTHON" tools/report/history.py compare --summary "$summary" --baseline "$NIGHTLY_BASELINE"
compare_status=$?
echo "=== verdicts ($TESTLOGS/**/test.xml)"
"$PYTHON" tools/report_verdicts.py "$TESTLOGS"
# Beside the verdicts: mechanisms tonight's A2A_TIMEOUT could not see (from the check above).
printf '%s\n' "$checked" | sed -n 's/^measure: warning: \(A2A_TIMEOUT=\)/run_live_nightly: warning: \1/p'
"$PYTHON" tools/report/history.py append --summary "$summary" --history "$NIGHTLY_HISTORY" &&
  "$PYTHON" tools/report/report.py --out "$NIGHTLY_DIR/report.html" \
    --summary-md "$NIGHTLY_DIR/summary.md" --history "$NIGHTLY_HISTORY" "$TESTLOGS" || exit 1
echo "=== report: $NIGHTLY_DIR/report.html"

if [ "$compare_status" -eq 4 ]; then
  [ "$tests_status" -eq 0 ] && exit 4
  exit 5
fi
if [ "$tests_status" -ne 0 ] || [ "$compare_status" -eq 1 ]; then
  exit 1
fi
exit "$compare_status"
