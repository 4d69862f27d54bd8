#!/usr/bin/env bash
# The nightly workflow file (.gitea/workflows/nightly-task-bounds.yml, issue 18.1):
# valid against the Actions schema (action-validator from the npm registry, which
# tools/setup.sh installs), secrets only in env (never on a command line), every command
# a step runs exists in the repository and is written in docs/report-and-nightly.md as the
# step runs it.
# Args: the workflow file, docs/report-and-nightly.md. Fails, never skips, without the validator.
set -uo pipefail
workflow="$1"
page="$2"
validator=/usr/local/lib/taskbounds-npm/node_modules/.bin/action-validator
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
[ -x "$validator" ] || fail "$validator is missing: run tools/setup.sh (it installs it from npm)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$validator" "$workflow" >"$work/valid.out" 2>&1 ||
  fail "the workflow breaks the Actions schema: $(head -c 2000 "$work/valid.out")"

# The validator can fail: a misspelt key in a step must be refused.
sed 's/^        if: always()/        iff: always()/' "$workflow" >"$work/broken.yml"
cmp -s "$workflow" "$work/broken.yml" && fail "could not make a broken copy (no 'if: always()')"
"$validator" "$work/broken.yml" >"$work/broken.out" 2>&1 &&
  fail "action-validator accepted a step with an unknown key 'iff'"
grep -q "Additional property 'iff'" "$work/broken.out" ||
  fail "action-validator did not name the bad key: $(head -c 500 "$work/broken.out")"

/usr/bin/python3 - "$workflow" "$page" <<'PY' || fail "the workflow's steps (above)"
import os, re, sys, yaml

workflow = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
readme = open(sys.argv[2], encoding="utf-8").read()
problems = []
job = workflow["jobs"]["sweep"]
steps = job["steps"]
for step in steps:
    run = step.get("run")
    if run is None:
        continue
    if "secrets." in run:
        problems.append(f"step {step['name']!r} puts a secret on its command line; use env")
    for line in run.splitlines():
        line = line.strip()
        # Every command of ours: written in the README exactly as the step runs it.
        if re.match(r"(DRY_RUN=1 )?tools/|bazel |/usr/bin/python3 tools/", line):
            readme_form = re.sub(r'"\$\{\{ steps\.sweep\.outputs\.status \|\| 1 \}\}"',
                                 "STATUS", line)
            readme_form = readme_form.replace(' >> "$GITHUB_STEP_SUMMARY"', "")
            readme_form = readme_form.replace(" || status=$?", "")
            if readme_form not in readme:
                problems.append(f"docs/report-and-nightly.md does not show the step command: {readme_form}")
            for path in re.findall(r"tools/[\w./-]+", line):
                if not os.access(path, os.X_OK) and not os.path.isfile(path):
                    problems.append(f"{path} (step {step['name']!r}) does not exist")
# Secrets only by name, in the job's env.
for name, value in job["env"].items():
    if "secrets." in str(value) and str(value) != "${{ secrets.%s }}" % name:
        problems.append(f"env {name} is not its own secret: {value}")
names = [s.get("name") for s in steps]
order = ["Check the configuration and print the plan", "Sweep", "Sweep leftovers"]
if [n for n in names if n in order] != order:
    problems.append(f"steps out of order: the dry run, the sweep, then the leftover sweep: {names}")
if job["env"].get("NIGHTLY_BASELINE", "").startswith(".nightly"):
    problems.append("the baseline must not live in the cached .nightly folder")
for problem in problems:
    print("  " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "PASS: the workflow is valid and its commands match docs/report-and-nightly.md"
