#!/usr/bin/env bash
# The nightly live-staging job: the depth sweep against a real platform, then a verdict per
# depth. Secrets come from the job's environment only (never arguments).
#   PLATFORM=https://staging.example ADMIN_TOKEN=... TENANT_ID=... OPENROUTER_API_KEY=... \
#     tools/run_live_nightly.sh
set -uo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh || exit 1
if [ -z "${PLATFORM:-}" ]; then
  echo "run_live_nightly: PLATFORM is unset: set it to the platform to measure" >&2
  exit 2
fi
bazel test --config=live //tests:live "$@"
status=$?
echo "=== verdicts (bazel-testlogs/tests/live/**/test.xml)"
python3 tools/report_verdicts.py bazel-testlogs/tests/live || status=1
exit "$status"
