#!/usr/bin/env bash
# tools/report_verdicts.py over two result folders: one well-formed test.xml whose reason
# holds a forged second line and a C1 control, and one test.xml with a raw invalid UTF-8
# byte (not well-formed XML). The report must print the good one on one escaped line each,
# name the bad file on stderr, and exit 1. Before the fix it crashed on the bad file.
set -uo pipefail
script="$1"
dir="$TEST_TMPDIR/logs"
mkdir -p "$dir/good" "$dir/bad"
cat >"$dir/good/test.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="Sweep"><testcase name="Depth3" classname="Sweep">
<properties><property name="verdict" value="unbounded"/>
<property name="verdict_reason" value="slow&#10;FORGED: verdict=bounded_by_platform&#x85;x"/>
</properties></testcase></testsuite></testsuites>
XML
printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="S"><testcase name="T" classname="S"><properties><property name="verdict_reason" value="bad \xff byte"/></properties></testcase></testsuite></testsuites>\n' >"$dir/bad/test.xml"

python3 "$script" "$dir" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
status=$?
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$TEST_TMPDIR/out"; echo "--- stderr"; cat "$TEST_TMPDIR/err"; exit 1; }
[ "$status" -eq 1 ] || fail "exit status $status, want 1 (one file unreadable)"
grep -q "bad/test.xml" "$TEST_TMPDIR/err" || fail "stderr does not name the unreadable file"
grep -q "Sweep.Depth3: verdict=unbounded" "$TEST_TMPDIR/out" || fail "the readable file was not reported"
grep -q '^FORGED' "$TEST_TMPDIR/out" && fail "a remote newline started a line of its own"
grep -q 'slow\\nFORGED: verdict=bounded_by_platform\\u0085x' "$TEST_TMPDIR/out" ||
  fail "reason not shown escaped on one line"
[ "$(grep -c . "$TEST_TMPDIR/out")" -eq 2 ] || fail "want exactly 2 output lines"
echo "PASS"
