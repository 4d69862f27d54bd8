#!/usr/bin/env bash
# Benchmark: how far the measure tool's elapsed_secs is from the true A2A latency.
# Starts the standalone fake with a fixed A2A latency, runs //tools:measure RUNS times
# against it, and prints each run's error and the median (milliseconds). Optionally
# times another harness the same way: REFERENCE=/path/to/measure-coordinator-task-bounds.sh
# The fake models PLATFORM_VERSION (default 2026-08, today's platform, with an admin token);
# with REFERENCE set it models 2026-04, the only platform the reference script knows.
#   tools/bench_timing_accuracy.sh [LATENCY_MS=250] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
latency_ms="${1:-250}"
runs="${2:-5}"
# --symlink_prefix=/ (Bazel 4: make no convenience symlinks): an opt build would otherwise
# repoint bazel-bin at the opt tree, and bazel-bin/tools/sweep etc. would vanish until the
# next normal build. The binaries' directory comes from bazel info instead.
bazel build -c opt --symlink_prefix=/ //mocks:fake_platform //tools:measure >/dev/null 2>&1
bin="$(bazel info -c opt bazel-bin 2>/dev/null)"

version="${PLATFORM_VERSION:-2026-08}"
token=bench-admin-token
fake_auth=(--admin-token="$token")
if [ -n "${REFERENCE:-}" ]; then
  version=2026-04
  fake_auth=()  # the reference script sends no token to a local platform
  token=""
fi

out="$(mktemp)"
"$bin/mocks/fake_platform" --port=0 --a2a-latency-ms="$latency_ms" --time-scale=0.01 \
  --platform-version="$version" "${fake_auth[@]}" >"$out" &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
url="$(head -1 "$out" | sed 's/^listening on //')"
echo "fake platform $version at $url, fixed A2A latency ${latency_ms} ms"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
elapsed_error_ms() {  # reads JSON lines, prints (elapsed - latency) in ms
  python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    if e["event"] == "a2a_response_observed":
        print("%.3f" % (float(e["data"]["elapsed_secs"]) * 1000 - float(sys.argv[1])))
' "$latency_ms"
}

errors=()
for i in $(seq "$runs"); do
  e="$(PLATFORM="$url" ADMIN_TOKEN="$token" TIME_SCALE=0.01 "$bin/tools/measure" 2>/dev/null \
       | elapsed_error_ms)"
  echo "measure run $i: error ${e} ms"
  errors+=("$e")
done
echo "measure median error: $(printf '%s\n' "${errors[@]}" | median) ms"

if [ -n "${REFERENCE:-}" ]; then
  errors=()
  for i in $(seq "$runs"); do
    e="$(PLATFORM="$url" OPENROUTER_API_KEY=unused bash "$REFERENCE" 2>/dev/null | elapsed_error_ms)"
    echo "reference run $i: error ${e} ms"
    errors+=("$e")
  done
  echo "reference median error: $(printf '%s\n' "${errors[@]}" | median) ms"
fi
