#!/usr/bin/env bash
# The README's test command: set-up, then every hermetic test (embedded fake platform).
# Extra arguments go to `bazel test`, e.g. `tools/test.sh --config=asan`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
exec bazel test //... "$@"
