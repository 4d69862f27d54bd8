#!/usr/bin/env bash
# Installs exactly what the suite needs and is missing, from Debian's packages.
# Idempotent: when everything is present it only checks (a few seconds) and never runs
# apt-get. Exit 0 when all packages are installed, non-zero naming the package otherwise.
set -euo pipefail

# package -> why it is needed
PACKAGES=(
  "bazel-bootstrap:Bazel 4.2.3, the build tool"
  "bazel-rules-java:local @rules_java, so Bazel does not try to download it"
  "g++:the C++17 compiler"
  "libgtest-dev:GoogleTest 1.12"
  "libgmock-dev:GoogleMock 1.12"
  "libcurl4-openssl-dev:libcurl, the platform client's transport"
  "rapidjson-dev:RapidJSON, every JSON body and event"
  "libcpp-httplib-dev:cpp-httplib 0.11, the fake platform's HTTP server"
  "openssl:the TLS trust test's CA and loopback TLS server (tests/client:tls_trust_test)"
  "python3:counts test results from the JUnit XML (tools/count_test_results.py)"
  "python3-matplotlib:the report's plots (tools/report), inline SVG"
  "python3-jinja2:the report's HTML template (tools/report), autoescaped"
  "chromium:headless browser for the report's browser test (tests/report)"
  "clang:clang and clang++ (clang 14), the compiler of --config=fuzz (client/fuzz) and --config=tsan"
  "libclang-rt-14-dev:clang's libFuzzer, AddressSanitizer and ThreadSanitizer runtimes"
  "lld:ld.lld, which links the fuzz targets (gold warns on every ASan check symbol)"
)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# From the npm registry, pinned, into a fixed prefix the tests read (tests/report):
# action-validator checks the nightly workflow file against the Actions schema.
NPM_PREFIX=/usr/local/lib/taskbounds-npm
NPM_PACKAGES=("@action-validator/cli@0.6.0")
ACTION_VALIDATOR="$NPM_PREFIX/node_modules/.bin/action-validator"

install_npm_packages() {
  if [ -x "$ACTION_VALIDATOR" ]; then
    return 0
  fi
  echo "setup: installing ${NPM_PACKAGES[*]} from the npm registry into $NPM_PREFIX" >&2
  if ! $SUDO npm install --prefix "$NPM_PREFIX" --no-audit --no-fund --save-exact \
      "${NPM_PACKAGES[@]}" >/tmp/setup-npm.log 2>&1; then
    echo "setup: ERROR: 'npm install ${NPM_PACKAGES[*]}' failed (log: /tmp/setup-npm.log);" \
      "check the path to the npm registry" >&2
    tail -5 /tmp/setup-npm.log >&2 || true
    exit 1
  fi
  [ -x "$ACTION_VALIDATOR" ] || { echo "setup: ERROR: $ACTION_VALIDATOR is missing" >&2; exit 1; }
}

missing=()
for entry in "${PACKAGES[@]}"; do
  pkg="${entry%%:*}"
  installed "$pkg" || missing+=("$pkg")
done
# npm may come with a Node.js from elsewhere (NodeSource bundles it): only its absence counts.
command -v npm >/dev/null 2>&1 || missing+=(npm)

SUDO=""
if [ "${#missing[@]}" -eq 0 ]; then
  [ "$(id -u)" -eq 0 ] || ! command -v sudo >/dev/null 2>&1 || [ -x "$ACTION_VALIDATOR" ] ||
    SUDO="sudo"
  install_npm_packages
  echo "setup: all ${#PACKAGES[@]} packages present, and the npm tools" >&2
  exit 0
fi

echo "setup: installing missing packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup: ERROR: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

if ! $SUDO apt-get update -qq; then
  echo "setup: ERROR: 'apt-get update' failed; check the network path to Debian's mirrors" >&2
  exit 1
fi
for pkg in "${missing[@]}"; do
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      "$pkg" >/tmp/setup-apt-"$pkg".log 2>&1; then
    echo "setup: ERROR: installing Debian package '$pkg' failed (log: /tmp/setup-apt-$pkg.log)" >&2
    tail -5 /tmp/setup-apt-"$pkg".log >&2 || true
    exit 1
  fi
  installed "$pkg" || { echo "setup: ERROR: '$pkg' is still not installed" >&2; exit 1; }
done
install_npm_packages
echo "setup: installed ${missing[*]}" >&2
