#!/usr/bin/env python3
"""//tools:report: one self-contained HTML report and a JSON summary from test results.

Usage: report.py [--out report.html] [--json report.json] [--history history.jsonl]
                 [--summary-md FILE] [--title TEXT] INPUT...
INPUT: bazel-testlogs trees (or any folder below one) and results directories. Relative
paths are taken from the directory `bazel run` was started in. Only measurements are taken:
the depth sweep's cases and //tools:measure's results; the suite's other tests are left out,
and one line says so. --summary-md writes the page's answer (one sentence per variant) as
Markdown, e.g. for a CI job's summary.

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
    parser.add_argument("--summary-md", default=None,
                        help="also write the answer as Markdown (a CI job's summary)")
    parser.add_argument("--title", default="Coordinator task bounds")
    args = parser.parse_args(argv)
    args.inputs = [_from_invocation_dir(p) for p in args.inputs]
    args.out = _from_invocation_dir(args.out)
    args.json = _from_invocation_dir(args.json or os.path.splitext(args.out)[0] + ".json")
    args.history = _from_invocation_dir(args.history) if args.history else None
    args.summary_md = _from_invocation_dir(args.summary_md) if args.summary_md else None
    return args


def main(argv):
    args = parse_args(argv)
    left_out = []
    runs, skipped = extract.load_runs(args.inputs, left_out)
    for item in skipped:
        print(f"report: skipped {item['file']}: {item['reason']}", file=sys.stderr)
    history = history_lib.read_history(args.history, skipped) if args.history else None
    report_summary = render.summary(runs, skipped, args.inputs, left_out)
    page = render.render_html(runs, report_summary, history, args.title)
    try:
        for path in (args.out, args.json, args.summary_md):
            if path and os.path.dirname(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(page)
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report_summary, handle, indent=1, ensure_ascii=False)
        if args.summary_md:
            with open(args.summary_md, "w", encoding="utf-8") as handle:
                handle.write(render.summary_markdown(report_summary, args.title))
    except OSError as error:
        print(f"report: cannot write the report ({error}); check --out/--json", file=sys.stderr)
        return 2
    print(f"report: {len(runs)} run(s), {len(skipped)} skipped input(s): {args.out} "
          f"({len(page.encode('utf-8'))} bytes), {args.json}"
          + (f", {args.summary_md}" if args.summary_md else ""), file=sys.stderr)
    left = render.left_out_line(left_out)
    if left:
        print(f"report: {left}", file=sys.stderr)
    if not runs:
        print("report: no runs found in the inputs: nothing was measured", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
