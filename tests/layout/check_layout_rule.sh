#!/usr/bin/env bash
# One layout rule (DEVELOPERS.md "Layout rules (enforced)"): passes when the rule's genquery
# found nothing, otherwise fails naming the rule, its reason and what was found.
#   check_layout_rule.sh <genquery output> path|targets
# path: the output is a somepath, printed as a chain; targets: one offending target a line.
# LAYOUT_RULE and LAYOUT_WHY come from the test's env (tests/layout/layout.bzl).
set -euo pipefail
found="$1"
shows="$2"
: "${LAYOUT_RULE:?} ${LAYOUT_WHY:?}"
[ -f "$found" ] || { echo "FAIL: no genquery output at $found"; exit 1; }
if ! grep -q . "$found"; then
  echo "PASS: $LAYOUT_RULE"
  exit 0
fi
echo "LAYOUT RULE BROKEN: $LAYOUT_RULE"
echo "Why: $LAYOUT_WHY."
case "$shows" in
  path)
    echo "Offending dependency path:"
    sed -e '1s/^/  /' -e '2,$s/^/    -> /' "$found"
    ;;
  targets)
    echo "Offending targets:"
    sed 's/^/  /' "$found"
    ;;
  *)
    echo "FAIL: unknown output shape '$shows'"
    ;;
esac
echo "Fix the BUILD file named above, or change the rule in DEVELOPERS.md and tests/layout."
exit 1
