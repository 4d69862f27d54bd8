#!/usr/bin/env bash
# The README's measurement command: set-up, then one run of //tools:measure. With PLATFORM
# unset it measures the embedded fake platform; see docs/configuration.md for the variables.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
exec bazel run --ui_event_filters=-info,-stdout --noshow_progress //tools:measure -- "$@"
