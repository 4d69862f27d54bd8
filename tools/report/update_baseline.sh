#!/usr/bin/env bash
# Accepts the last nightly run's verdicts and mechanisms as the new baseline: the one way the
# baseline of tools/run_live_nightly.sh changes. Shows what differs first.
#   tools/report/update_baseline.sh [--force] [SUMMARY]   (default $NIGHTLY_DIR/report.json)
# Refuses (exit 2, one line) a night in which no run reached a verdict: as the baseline it
# would make the next good night report every case CHANGED. --force accepts it anyway.
# NIGHTLY_DIR (default .nightly) and NIGHTLY_BASELINE as for tools/run_live_nightly.sh.
# Relative paths are taken from the repository root, as in the nightly job; SUMMARY from the
# current directory.
set -uo pipefail
force=()
if [ "${1:-}" = "--force" ]; then
  force=(--force)
  shift
fi
summary="${1:+$(realpath -m -- "$1")}"
cd "$(dirname "$0")/../.." || exit 1
NIGHTLY_DIR="${NIGHTLY_DIR:-.nightly}"
NIGHTLY_BASELINE="${NIGHTLY_BASELINE:-$NIGHTLY_DIR/baseline.json}"
summary="${summary:-$NIGHTLY_DIR/report.json}"
/usr/bin/python3 tools/report/history.py compare --summary "$summary" \
  --baseline "$NIGHTLY_BASELINE" 2>/dev/null
/usr/bin/python3 tools/report/history.py update-baseline "${force[@]}" --summary "$summary" \
  --baseline "$NIGHTLY_BASELINE"
