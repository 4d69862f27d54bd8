#!/usr/bin/env bash
# tools/run_live_nightly.sh end to end on recorded results (tests/report/testdata), with a
# stand-in for `bazel test` that only returns a chosen status: the history grows one line per
# run per night, the baseline changes only through update_baseline.sh, a changed verdict is
# printed first and exits 4 (5 with a failed test), no baseline exits 3, nothing measured
# exits 1, PLATFORM unset exits 2, a bad variable or NIGHTLY_DIR exits 2 with one line before
# the sweep starts, DRY_RUN=1 prints the plan once and starts no shard, and no secret reaches
# the output or the files.
# $1: //tools:measure (the configuration check the job runs first).
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
measure="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d "${TEST_TMPDIR:-/tmp}/nightly.XXXXXX")"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

cat >"$work/bazel" <<'STUB'
#!/usr/bin/env bash
echo "$*" >>"${FAKE_BAZEL_CALLS:?}"
exit "${FAKE_BAZEL_STATUS:-0}"
STUB
export FAKE_BAZEL_CALLS="$work/bazel_calls"
chmod +x "$work/bazel"

# Two finished shards of a recorded //tests:live sweep (depth 1 and 3).
mkdir -p "$work/night"
for shard in shard_1_of_3 shard_2_of_3; do
  cp -R "$repo/tests/report/testdata/live_timeout/tests/live/$shard" "$work/night/"
done
chmod -R u+w "$work/night"

nightly() { # nightly EXPECTED_STATUS LABEL -> runs the job, output in $work/out
  local expected="$1" label="$2"
  shift 2
  env BAZEL="$work/bazel" NIGHTLY_DIR="$work/dir" NIGHTLY_TESTLOGS="$work/night" \
    NIGHTLY_MEASURE="$measure" PLATFORM=https://staging.example \
    ADMIN_TOKEN=nightly-admin-secret-4321 TENANT_ID=tenant-nightly "$@" \
    "$repo/tools/run_live_nightly.sh" >"$work/out" 2>"$work/err"
  local status=$?
  [ "$status" -eq "$expected" ] || {
    fail "$label: exit $status, expected $expected"
    cat "$work/out" "$work/err" >&2
  }
}

env -u PLATFORM BAZEL="$work/bazel" NIGHTLY_DIR="$work/dir" "$repo/tools/run_live_nightly.sh" \
  >/dev/null 2>&1
[ $? -eq 2 ] || fail "PLATFORM unset must exit 2"

# Bad configuration: exit 2 with one line naming it (besides setup's), and no sweep started.
bad_config() { # bad_config LABEL EXPECTED_LINE_START VAR=VALUE...
  local label="$1" expected="$2"
  shift 2
  rm -f "$FAKE_BAZEL_CALLS"
  nightly 2 "$label" "$@"
  local lines
  lines="$(grep -v '^setup: ' "$work/err")"
  [ "$(printf '%s\n' "$lines" | wc -l)" -eq 1 ] || fail "$label: not one line: $lines"
  case "$lines" in
    "$expected"*) ;;
    *) fail "$label: got \"$lines\", expected \"$expected...\"" ;;
  esac
  [ ! -e "$FAKE_BAZEL_CALLS" ] || fail "$label: bazel ran: $(cat "$FAKE_BAZEL_CALLS")"
}
bad_config "bad REPEAT" 'run_live_nightly: REPEAT="abc" is not an integer' REPEAT=abc
bad_config "bad SYNTHESIS_DEPTHS" 'run_live_nightly: SYNTHESIS_DEPTHS="1,x"' SYNTHESIS_DEPTHS=1,x
bad_config "bad A2A_TIMEOUT" 'run_live_nightly: A2A_TIMEOUT="0"' A2A_TIMEOUT=0
bad_config "bad VARIANTS" 'run_live_nightly: VARIANTS' "VARIANTS=bad item!"
# Issue 18.2: an A2A_TIMEOUT (with the online wait and the cleanup) that //tests:live's Bazel
# timeout (3600 s, "eternal") cannot hold, naming both numbers; TIME_SCALE makes platform
# seconds wall seconds; shards holding two cases each need twice as long.
bad_config "A2A_TIMEOUT beyond Bazel's timeout" \
  "run_live_nightly: A2A_TIMEOUT=86400 s does not fit //tests:live's Bazel timeout of 3600 s: " \
  A2A_TIMEOUT=86400
bad_config "two cases per shard" \
  "run_live_nightly: A2A_TIMEOUT=2700 s does not fit //tests:live's Bazel timeout of 3600 s: " \
  REPEAT=9 "VARIANTS=claude-code-default,hermes"
grep -q 'a shard runs 2 of the 54 cases one after the other' "$work/err" ||
  fail "two cases per shard: the line does not say so: $(cat "$work/err")"
bad_config "no TENANT_ID" 'run_live_nightly: PLATFORM=https://staging.example is non-local' \
  TENANT_ID=
touch "$work/a_file"
# Checked first: with a bad REPEAT as well, NIGHTLY_DIR is the line.
bad_config "unwritable NIGHTLY_DIR" \
  "run_live_nightly: NIGHTLY_DIR=$work/a_file/nightly is not writable (Not a directory)" \
  NIGHTLY_DIR="$work/a_file/nightly" REPEAT=abc
[ ! -e "$work/dir/history.jsonl" ] || fail "a bad configuration wrote a history"

# DRY_RUN=1: the plan once (the sweep's depths, masked auth), no shard started, exit 0, and
# nothing written to NIGHTLY_DIR.
rm -f "$FAKE_BAZEL_CALLS"
nightly 0 "dry run" DRY_RUN=1 SYNTHESIS_DEPTHS=1,8 REPEAT=2
[ ! -e "$FAKE_BAZEL_CALLS" ] || fail "dry run: bazel ran: $(cat "$FAKE_BAZEL_CALLS")"
[ "$(grep -c '^DRY RUN: nothing will be created' "$work/out")" -eq 1 ] ||
  fail "dry run: not one plan on stdout: $(cat "$work/out")"
grep -q '^Synthesis depth(s): 1, 8 ' "$work/out" ||
  fail "dry run: the plan lacks the sweep's depths"
grep -q 'REPEAT=2' "$work/out" || fail "dry run: the plan does not name REPEAT"
grep -q 'Bearer \*\*\*4321' "$work/out" || fail "dry run: the plan lacks the masked token"
[ "$(cat "$work/out" "$work/err" | wc -l)" -le 40 ] ||
  fail "dry run: $(cat "$work/out" "$work/err" | wc -l) lines bury the plan"
[ ! -e "$work/dir/report.html" ] || fail "dry run wrote a report"
# The live sweep's default A2A_TIMEOUT follows a task past today's longest mechanisms (the
# idle timer and the response-header timeout at 1800 s); nothing is named as unseen.
grep -q '^A2A timeout: 2700 s platform time (2700 s wall at TIME_SCALE=1)$' "$work/out" ||
  fail "dry run: the plan does not follow the task past 1800 s: $(grep 'A2A' "$work/out")"
grep -q 'WARNING' "$work/out" && fail "dry run: a warning with the default A2A_TIMEOUT"

# A shorter A2A_TIMEOUT: the plan names the mechanisms it cannot see; a longer one fits at a
# smaller TIME_SCALE, or with a longer --test_timeout passed on to bazel test.
unseen_600='A2A_TIMEOUT=600 s stops following the task before these can act .*: stall watchdog'
unseen_600+=' probe (720 s), agent completion idle cap (900 s), stall watchdog restart (1080 s),'
unseen_600+=' idle timer (1800 s), response-header timeout (1800 s);'
nightly 0 "dry run, A2A_TIMEOUT=600" DRY_RUN=1 A2A_TIMEOUT=600
grep -q "^  WARNING: $unseen_600" "$work/out" ||
  fail "dry run, A2A_TIMEOUT=600: the plan does not name the unseen mechanisms: $(cat "$work/out")"
nightly 0 "86400 s at TIME_SCALE=0.01" DRY_RUN=1 A2A_TIMEOUT=86400 TIME_SCALE=0.01
env BAZEL="$work/bazel" NIGHTLY_DIR="$work/dir" NIGHTLY_MEASURE="$measure" \
  PLATFORM=https://staging.example ADMIN_TOKEN=nightly-admin-secret-4321 TENANT_ID=t DRY_RUN=1 \
  A2A_TIMEOUT=5000 "$repo/tools/run_live_nightly.sh" --test_timeout=60,300,900,7200 \
  >"$work/out" 2>"$work/err" ||
  fail "--test_timeout=60,300,900,7200 did not hold A2A_TIMEOUT=5000: $(cat "$work/err")"

nightly 3 "first night, no baseline"
[ -s "$work/dir/report.html" ] || fail "first night: no report.html"
[ ! -e "$work/dir/baseline.json" ] || fail "a baseline appeared without update_baseline.sh"

NIGHTLY_DIR="$work/dir" "$repo/tools/report/update_baseline.sh" >/dev/null 2>&1 ||
  fail "update_baseline.sh failed"
[ -s "$work/dir/baseline.json" ] || fail "update_baseline.sh wrote no baseline"

nightly 0 "unchanged night"
grep -q "warning: A2A_TIMEOUT" "$work/out" && fail "unchanged night: a warning with the default"
grep -q "CHANGED" "$work/out" && fail "unchanged night printed a change"
[ "$(wc -l <"$work/dir/history.jsonl")" -eq 4 ] || fail "history: expected 4 lines (2 nights x 2)"
grep -q 'id="trend-plot"' "$work/dir/report.html" || fail "no trend view in the report"
# The summary names what a shorter A2A_TIMEOUT could not see, after the verdicts.
nightly 0 "night with A2A_TIMEOUT=600" A2A_TIMEOUT=600
sed -n '/^=== verdicts/,$p' "$work/out" | grep -q "^run_live_nightly: warning: $unseen_600" ||
  fail "night with A2A_TIMEOUT=600: no warning after the verdicts: $(cat "$work/out")"

sed -i 's/"within_delegation_timeout"/"bounded_by_platform"/' "$work/night/shard_2_of_3/test.xml"
nightly 4 "changed verdict"
expected_change='^CHANGED Live|platform|3: verdict within_delegation_timeout -> bounded_by_platform'
head -1 "$work/out" | grep -q "$expected_change" ||
  fail "the change is not the first line: $(head -1 "$work/out")"

nightly 5 "changed verdict and a failed test" FAKE_BAZEL_STATUS=3
nightly 1 "failed test, no change" FAKE_BAZEL_STATUS=3 NIGHTLY_BASELINE="$work/dir/b2.json"
[ -e "$work/dir/b2.json" ] && fail "a failed night wrote a baseline"

mkdir -p "$work/empty"
nightly 1 "nothing measured" NIGHTLY_TESTLOGS="$work/empty"

# Only a shard that Bazel's timeout ended: runs without a verdict are not a measurement.
mkdir -p "$work/timed_out"
cp -R "$repo/tests/report/testdata/live_timeout/tests/live/shard_3_of_3" "$work/timed_out/"
lines_before="$(wc -l <"$work/dir/history.jsonl")"
nightly 1 "no run reached a verdict" NIGHTLY_TESTLOGS="$work/timed_out" FAKE_BAZEL_STATUS=3
[ "$(wc -l <"$work/dir/history.jsonl")" -eq "$lines_before" ] ||
  fail "a night that measured nothing was added to the history"

# That night's report.json holds only runs without a verdict: not a baseline unless forced.
cp "$work/dir/baseline.json" "$work/baseline_before"
NIGHTLY_DIR="$work/dir" "$repo/tools/report/update_baseline.sh" >/dev/null 2>"$work/err"
[ $? -eq 2 ] || fail "update_baseline.sh accepted a night without a measured verdict"
[ "$(wc -l <"$work/err")" -eq 1 ] ||
  fail "update_baseline.sh refusal: not one line: $(cat "$work/err")"
cmp -s "$work/dir/baseline.json" "$work/baseline_before" ||
  fail "a refused night changed the baseline"
NIGHTLY_DIR="$work/dir" "$repo/tools/report/update_baseline.sh" --force >/dev/null 2>&1 ||
  fail "update_baseline.sh --force refused"
grep -q '"no_verdict"' "$work/dir/baseline.json" || fail "--force did not write the night"

if grep -rq "nightly-admin-secret" "$work/out" "$work/err" "$work/dir"; then
  fail "the admin token reached the output or the nightly files"
fi
[ "$failures" -eq 0 ] && echo "PASS: nightly job"
exit "$failures"
