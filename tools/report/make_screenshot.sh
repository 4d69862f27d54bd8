#!/usr/bin/env bash
# Regenerates the README's report screenshot (tools/report/screenshot.png) from a sweep of the
# embedded fake: every scenario at depths 1, 3 and 8, each run twice (--runs_per_test=2).
#   tools/report/make_screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/setup.sh
bazel test //tests:coordinator_task_bounds_test --runs_per_test=2 --nocache_test_results
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# This invocation's two runs only (earlier invocations may have left other layouts beside).
logs=bazel-testlogs/tests/coordinator_task_bounds_test
/usr/bin/python3 tools/report/report.py --out "$out/report.html" "$logs/run_1_of_2" \
  "$logs/run_2_of_2"
/usr/bin/python3 tools/report/browser.py screenshot "$out/report.html" \
  tools/report/screenshot.png --width 1300 --height 1700
