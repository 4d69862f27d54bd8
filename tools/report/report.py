#!/usr/bin/env python3
"""//tools:report: one self-contained HTML report and a JSON summary from test results.

Usage: report.py [--out report.html] [--json report.json] [--history history.jsonl]
                 [--title TEXT] INPUT...
INPUT: bazel-testlogs trees (or any folder below one) and results directories. Relative
paths are taken from the directory `bazel run` was started in.

Exit status: 0 report written with at least one run; 1 report written but no run was found
(nothing measured: never a success); 2 bad arguments or an output that cannot be written.
Skipped input files are named on stderr with the reason.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import extract  # noqa: E402  (after the path is set, so it runs from a checkout or Bazel)
import history as history_lib  # noqa: E402
import render  # noqa: E402


def _from_invocation_dir(path):
    base = os.environ.get("BUILD_WORKING_DIRECTORY", "")
    return path if os.path.isabs(path) or not base else os.path.join(base, path)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="bazel-testlogs trees or results dirs")
    parser.add_argument("--out", default="report.html", help="HTML file to write")
    parser.add_argument("--json", default=None, help="JSON summary (default: OUT with .json)")
    parser.add_argument("--history", default=None, help="nightly history (JSON lines)")
    parser.add_argument("--title", default="Coordinator task bounds")
    args = parser.parse_args(argv)
    args.inputs = [_from_invocation_dir(p) for p in args.inputs]
    args.out = _from_invocation_dir(args.out)
    args.json = _from_invocation_dir(args.json or os.path.splitext(args.out)[0] + ".json")
    args.history = _from_invocation_dir(args.history) if args.history else None
    return args


def main(argv):
    args = parse_args(argv)
    runs, skipped = extract.load_runs(args.inputs)
    for item in skipped:
        print(f"report: skipped {item['file']}: {item['reason']}", file=sys.stderr)
    history = history_lib.read_history(args.history, skipped) if args.history else None
    report_summary = render.summary(runs, skipped, args.inputs)
    page = render.render_html(runs, report_summary, history, args.title)
    try:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(page)
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report_summary, handle, indent=1, ensure_ascii=False)
    except OSError as error:
        print(f"report: cannot write the report ({error}); check --out/--json", file=sys.stderr)
        return 2
    print(f"report: {len(runs)} run(s), {len(skipped)} skipped input(s): {args.out} "
          f"({len(page.encode('utf-8'))} bytes), {args.json}", file=sys.stderr)
    if not runs:
        print("report: no runs found in the inputs: nothing was measured", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
