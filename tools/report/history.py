#!/usr/bin/env python3
"""Night-to-night history and change detection for the nightly job (tools/run_live_nightly.sh).

  history.py append  --summary report.json --history history.jsonl [--night 2026-11-30]
  history.py compare --summary report.json --baseline baseline.json
  history.py update-baseline [--force] --summary report.json --baseline baseline.json
  history.py job-summary --summary report.json --baseline baseline.json [--status N]

The history holds one JSON object per run per night (see HISTORY_FIELDS). The baseline holds,
per "variant|scenario|depth", the verdicts and mechanisms the platform is known to give; it
changes only through `update-baseline` (tools/report/update_baseline.sh), never as a side
effect of a run.

Exit status of `compare`: 0 tonight matches the baseline; 4 a verdict or mechanism changed, or
an expected case did not run (the changes are printed first, one line each); 3 there is no
baseline yet (record one with tools/report/update_baseline.sh); 1 the summary has no run
(nothing was measured); 2 the summary or the baseline cannot be read. Other commands: 0 done,
1 nothing to record, 2 unreadable input, or (update-baseline) a night in which no run reached
a verdict (--force accepts it anyway). `job-summary` prints Markdown for a CI job's summary
(e.g. $GITHUB_STEP_SUMMARY): every CHANGED line first, then one line per case; it exits 0
whenever it could read the summary.
"""
import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sanitize import clean_tree, markdown_text  # noqa: E402

EXIT_SAME, EXIT_NOTHING, EXIT_BAD_INPUT, EXIT_NO_BASELINE, EXIT_CHANGED = 0, 1, 2, 3, 4
HISTORY_FIELDS = ("name", "variant", "scenario", "profile", "depth", "repeat", "outcome",
                  "verdict", "mechanism", "task_platform_secs", "task_secs_lower_bound",
                  "platform_git_sha")
# Verdicts of runs that measured nothing (the same set tools/run_live_nightly.sh skips).
UNMEASURED = ("no_verdict", "dry_run")


# A run against a platform takes its backend as its scenario (extract.make_run), which was
# "live" before issue 18 and is "platform" since (extract.current_backend): baselines and
# history lines written before read as if written today, so no night reports them CHANGED.
LEGACY_SCENARIOS = {"live": "platform"}


def current_scenario(scenario):
    return LEGACY_SCENARIOS.get(scenario, scenario)


def case_key(run):
    """The identity a verdict is compared under: variant|scenario|depth, plus |profile for
    the embedded fake's (render.group_key; repeats pooled). Live runs have no profile, so
    their keys, and the baselines written with them, stay as they were (but for the legacy
    scenario name, current_scenario)."""
    key = f"{run['variant']}|{current_scenario(run['scenario'])}|{run['depth']}"
    return f"{key}|{run['profile']}" if run.get("profile") else key


def current_key(key):
    """A baseline's case key as case_key writes it today ("Live|live|3" -> "Live|platform|3")."""
    parts = key.split("|")
    if len(parts) >= 3:
        parts[1] = current_scenario(parts[1])
    return "|".join(parts)


def read_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def read_history(path, skipped):
    """History entries, oldest first; a line that is not JSON is reported in `skipped`."""
    entries, bad = [], 0
    if not path or not os.path.exists(path):
        return entries
    with open(path, "rb") as handle:
        for line in handle.read().decode("utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                bad += bool(line.strip())
                continue
            if isinstance(entry, dict) and "night" in entry and "verdict" in entry:
                entry = clean_tree(entry)
                if isinstance(entry.get("scenario"), str):
                    entry["scenario"] = current_scenario(entry["scenario"])
                entries.append(entry)
    if bad:
        skipped.append({"file": path, "reason": f"{bad} history line(s) not valid JSON"})
    return entries


def append_history(report_summary, path, night):
    """Appends one line per run of `report_summary` for `night`; returns the count."""
    lines = [json.dumps(dict({k: run.get(k) for k in HISTORY_FIELDS}, night=night),
                        ensure_ascii=False) for run in report_summary["runs"]]
    if lines:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    return len(lines)


def expectations(report_summary):
    """{case key: {"verdicts": [...], "mechanisms": [...]}} over every run of a summary."""
    cases = {}
    for run in report_summary["runs"]:
        case = cases.setdefault(case_key(run), {"verdicts": set(), "mechanisms": set()})
        case["verdicts"].add(run["verdict"])
        case["mechanisms"].add(run.get("mechanism") or "")
    return {key: {"verdicts": sorted(v["verdicts"]), "mechanisms": sorted(v["mechanisms"])}
            for key, v in sorted(cases.items())}


def compare(report_summary, baseline):
    """(changes, notes): lines naming each case whose verdicts or mechanisms differ from the
    baseline or that did not run; notes name cases the baseline does not know yet."""
    tonight = expectations(report_summary)
    expected = {current_key(key): case for key, case in baseline.get("cases", {}).items()}
    changes, notes = [], []
    for key, known in sorted(expected.items()):
        seen = tonight.get(key)
        if seen is None:
            changes.append(f"CHANGED {key}: expected {'/'.join(known['verdicts'])}, did not run")
        elif seen != known:
            changes.append(
                f"CHANGED {key}: verdict {'/'.join(known['verdicts'])} -> "
                f"{'/'.join(seen['verdicts'])}; mechanism "
                f"{'/'.join(known['mechanisms']) or '-'} -> {'/'.join(seen['mechanisms']) or '-'}")
    for key in sorted(set(tonight) - set(expected)):
        notes.append(f"new {key}: {'/'.join(tonight[key]['verdicts'])} (not in the baseline)")
    return changes, notes


def _markdown_cell(text):
    """One table cell (case keys carry variant names from VARIANTS); "-" when empty."""
    return markdown_text(text) or "-"


# What the nightly job's exit status means, for the summary's first line.
STATUS_WORDS = {
    0: "every verdict and mechanism matches the baseline",
    1: "the job failed (nothing measured, a test failed, or no report)",
    2: "bad configuration",
    3: "no baseline yet: check the report, then accept it with tools/report/update_baseline.sh "
       "and commit the baseline",
    4: "the platform's behaviour changed (CHANGED lines below)",
    5: "the platform's behaviour changed and a test failed",
}


def job_summary(report_summary, baseline, status=None):
    """Markdown lines: a headline, every CHANGED line, then one table row per case."""
    tonight = expectations(report_summary)
    changes, notes = compare(report_summary, baseline) if baseline is not None else ([], [])
    lines = ["## Coordinator task bounds: nightly job", ""]
    if status is not None:
        lines += [f"Exit {status}: {STATUS_WORDS.get(status, 'unknown status')}.", ""]
    if baseline is None:
        lines += ["No baseline yet: every case below is new.", ""]
    for change in changes:
        lines.append(f"- **{_markdown_cell(change)}**")
    if changes:
        lines.append("")
    counts = {}
    for run in report_summary["runs"]:
        counts[case_key(run)] = counts.get(case_key(run), 0) + 1
    lines += ["| case | verdict | mechanism | runs |", "|---|---|---|---|"]
    for key, seen in tonight.items():
        lines.append(f"| {_markdown_cell(key)} | {_markdown_cell('/'.join(seen['verdicts']))} | "
                     f"{_markdown_cell('/'.join(m for m in seen['mechanisms'] if m))} | "
                     f"{counts[key]} |")
    if notes:
        lines += [""] + [f"- {_markdown_cell(note)}" for note in notes]
    return lines


def _command_job_summary(args, report_summary):
    baseline = None
    if os.path.exists(args.baseline):
        try:
            baseline = read_json(args.baseline)
        except (OSError, ValueError) as error:
            print(f"history: cannot read the baseline {args.baseline} ({error})",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
    print("\n".join(job_summary(report_summary, baseline, args.status)))
    return EXIT_SAME


def _command_compare(args, report_summary):
    if not report_summary["runs"]:
        print("history: the summary has no run: nothing was measured", file=sys.stderr)
        return EXIT_NOTHING
    if not os.path.exists(args.baseline):
        print(f"history: no baseline at {args.baseline}: after checking tonight's verdicts, "
              f"record them with tools/report/update_baseline.sh", file=sys.stderr)
        return EXIT_NO_BASELINE
    try:
        baseline = read_json(args.baseline)
    except (OSError, ValueError) as error:
        print(f"history: cannot read the baseline {args.baseline} ({error}); restore it or "
              f"record a new one with tools/report/update_baseline.sh", file=sys.stderr)
        return EXIT_BAD_INPUT
    changes, notes = compare(report_summary, baseline)
    for line in changes + notes:
        print(line)
    if changes:
        print(f"history: {len(changes)} change(s) against {args.baseline}; if intended, "
              f"accept them with tools/report/update_baseline.sh", file=sys.stderr)
        return EXIT_CHANGED
    print(f"history: verdicts and mechanisms match {args.baseline}", file=sys.stderr)
    return EXIT_SAME


def _command_update(args, report_summary):
    if not report_summary["runs"]:
        print("history: the summary has no run: refusing to write an empty baseline",
              file=sys.stderr)
        return EXIT_NOTHING
    if not args.force and not any(r["verdict"] not in UNMEASURED for r in report_summary["runs"]):
        # Such a baseline would make the next good night report every case CHANGED.
        print(f"history: no run of {args.summary} reached a verdict (all "
              f"{'/'.join(UNMEASURED)}): refusing it as the baseline; --force to accept it",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    baseline = {"updated_at": report_summary.get("generated_at"),
                "cases": expectations(report_summary)}
    with open(args.baseline, "w", encoding="utf-8") as handle:
        json.dump(baseline, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print(f"history: baseline {args.baseline} now holds {len(baseline['cases'])} case(s)",
          file=sys.stderr)
    return EXIT_SAME


def main(argv):
    parser = argparse.ArgumentParser(description="nightly history and change detection")
    parser.add_argument("command",
                        choices=("append", "compare", "update-baseline", "job-summary"))
    parser.add_argument("--summary", required=True, help="JSON summary of //tools:report")
    parser.add_argument("--history", help="history file (JSON lines), for append")
    parser.add_argument("--baseline", help="baseline file (JSON), for compare/update-baseline")
    parser.add_argument("--force", action="store_true",
                        help="update-baseline: accept a night in which no run reached a verdict")
    parser.add_argument("--status", type=int,
                        help="job-summary: the nightly job's exit status, said first")
    parser.add_argument("--night", help="label of tonight (default: the UTC time, to the second)",
                        default=datetime.datetime.now(datetime.timezone.utc).strftime(
                            "%Y-%m-%dT%H:%M:%SZ"))
    args = parser.parse_args(argv)
    try:
        report_summary = read_json(args.summary)
    except (OSError, ValueError) as error:
        print(f"history: cannot read the summary {args.summary} ({error}); "
              f"run the nightly job (tools/run_live_nightly.sh) first, or name the summary to "
              f"use (//tools:report writes it beside its --out)", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.command == "append":
        if not args.history:
            parser.error("append needs --history")
        count = append_history(report_summary, args.history, args.night)
        print(f"history: {count} run(s) of {args.night} appended to {args.history}",
              file=sys.stderr)
        return EXIT_SAME if count else EXIT_NOTHING
    if not args.baseline:
        parser.error(f"{args.command} needs --baseline")
    if args.command == "compare":
        return _command_compare(args, report_summary)
    if args.command == "job-summary":
        return _command_job_summary(args, report_summary)
    return _command_update(args, report_summary)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
