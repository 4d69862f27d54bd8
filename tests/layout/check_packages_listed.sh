#!/usr/bin/env bash
# The rules' subjects are taken from PRODUCT_PACKAGES (tests/layout/layout.bzl) by folder,
# and a genquery cannot use //mocks/...: a product package missing from the list would
# escape every rule. Fails naming each package the product reaches outside //tests that is
# not listed.
#   check_packages_listed.sh <genquery --output=package of deps(LAYOUT_SCOPE)>
# PRODUCT_PACKAGES (space-separated) comes from the test's env.
set -euo pipefail
reached="$1"
: "${PRODUCT_PACKAGES:?}"
[ -f "$reached" ] || { echo "FAIL: no genquery output at $reached"; exit 1; }
grep -qx 'mocks' "$reached" || { echo "FAIL: $reached does not list //mocks; wrong query?"; exit 1; }
missing=0
while IFS= read -r pkg; do
  case "$pkg" in
    @*) continue ;;  # external repositories
    tests | tests/*) continue ;;
  esac
  label="//$pkg"
  case " $PRODUCT_PACKAGES " in
    *" $label "*) ;;
    *)
      [ "$missing" -eq 1 ] || echo "LAYOUT RULES INCOMPLETE: product packages missing from PRODUCT_PACKAGES in tests/layout/layout.bzl:"
      echo "  $label"
      missing=1
      ;;
  esac
done <"$reached"
if [ "$missing" -eq 1 ]; then
  echo "Why: the layout rules see only the listed packages (a genquery cannot use //x/...); add each one."
  exit 1
fi
echo "PASS: every product package reached from LAYOUT_SCOPE is in PRODUCT_PACKAGES"
