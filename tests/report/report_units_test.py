"""//tools:report's units on real artifacts of scaled runs (TIME_SCALE=0.01).

Every *_secs figure the harness writes is in platform seconds except `elapsed_secs`, the wall
seconds of the request (fixtures/run/coordinator_run.h, docs/runs.md "Where results land"). The
report must show a run's task in the platform seconds the run itself recorded: a report that
divides task_secs by TIME_SCALE once more shows a 440 s task as 44010 s.

testdata/scaled_0_01 holds, unedited:
  sweep/   `bazel test //tests:coordinator_task_bounds_test --test_env=TIME_SCALE=0.01
           --test_filter='*/UnboundedDepth8:*/UnboundedDepth3'` (test.xml, test.log, outputs.zip)
  measure/ `RESULTS_DIR=... SYNTHESIS_DEPTH=8 TIME_SCALE=0.01 FAKE_SCENARIO=unbounded
           bazel-bin/tools/measure` (events.jsonl, run.json)
"""
import json
import os
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET

import extract
import history
import plots
import report

SCALED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "scaled_0_01")
SWEEP = os.path.join(SCALED, "sweep")
SWEEP_XML = os.path.join(SWEEP, "tests", "coordinator_task_bounds_test", "test.xml")
MEASURE = os.path.join(SCALED, "measure")
MEASURE_RUN_JSON = os.path.join(MEASURE, "measure_Depth8", "run.json")


def xml_properties():
    """{test case name: {property: float}} read straight from the sweep's test.xml."""
    cases = {}
    for case in ET.parse(SWEEP_XML).getroot().iter("testcase"):
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        cases[case.get("name")] = {k: float(v) for k, v in props.items()
                                   if k.endswith("_secs") or k == "time_scale"}
    return cases


def measure_verdict():
    """The verdict section of the measurement's own run.json."""
    with open(MEASURE_RUN_JSON, encoding="utf-8") as handle:
        return json.load(handle)["verdict"]


class SweepUnitsTest(unittest.TestCase):
    """The gtest sweep: test.xml properties and the artifacts in outputs.zip."""

    def setUp(self):
        runs, self.skipped = extract.load_runs([SWEEP])
        self.runs = {run["name"].rsplit(".", 1)[-1]: run for run in runs}
        self.recorded = xml_properties()

    def test_every_case_is_read(self):
        self.assertEqual(self.skipped, [])
        self.assertEqual(sorted(self.runs), sorted(self.recorded))
        self.assertEqual(sorted(self.runs), ["Kickoff/UnboundedDepth3", "Kickoff/UnboundedDepth8"])

    def test_task_time_is_the_runs_own_platform_seconds(self):
        for name, props in self.recorded.items():
            run = self.runs[name]
            self.assertEqual(props["time_scale"], 0.01)
            self.assertAlmostEqual(run["task_platform_secs"], props["task_secs"], msg=name)
            self.assertEqual(run["task_secs_source"], "task_secs", name)

    def test_every_other_figure_keeps_its_unit(self):
        for name, props in self.recorded.items():
            run = self.runs[name]
            for key in ("call_secs", "task_secs", "platform_task_secs", "platform_secs",
                        "elapsed_secs"):
                self.assertAlmostEqual(run[key], props[key], msg=f"{name} {key}")
            # elapsed_secs is wall: scaled, it is the platform seconds (the send time aside).
            self.assertAlmostEqual(run["elapsed_secs"] / run["time_scale"], run["platform_secs"],
                                   delta=0.2, msg=name)

    def test_depth8_reads_440_platform_seconds(self):
        self.assertAlmostEqual(self.runs["Kickoff/UnboundedDepth8"]["task_platform_secs"], 440.1)
        self.assertAlmostEqual(self.runs["Kickoff/UnboundedDepth3"]["task_platform_secs"], 165.1)


class MeasureUnitsTest(unittest.TestCase):
    """//tools:measure's RESULTS_DIR (run.json and events.jsonl, no XML)."""

    def setUp(self):
        (self.run,), self.skipped = extract.load_runs([MEASURE])
        self.verdict = measure_verdict()

    def test_task_time_is_the_runs_own_platform_seconds(self):
        self.assertEqual(self.skipped, [])
        self.assertAlmostEqual(self.run["task_platform_secs"], self.verdict["task_secs"])
        self.assertAlmostEqual(self.run["task_platform_secs"], 440.1)
        self.assertEqual(self.run["task_secs_source"], "task_secs")

    def test_run_figures_are_the_verdicts_not_the_queued_calls(self):
        # run.json's "response" section is the HTTP call (answered `queued` at 90 s); the
        # run's platform_secs and elapsed_secs are the verdict's (the task's).
        for key in ("call_secs", "task_secs", "platform_task_secs", "platform_secs",
                    "elapsed_secs"):
            self.assertAlmostEqual(self.run[key], self.verdict[key], msg=key)
        self.assertAlmostEqual(self.run["elapsed_secs"] / self.run["time_scale"],
                               self.run["platform_secs"], delta=0.2)

    def test_timeline_places_the_task_end_in_platform_seconds(self):
        event_x = plots._event_seconds  # the x of an event on the timeline
        kickoff = next(e for e in self.run["events"] if e["event"] == "a2a_kickoff_sent")
        followed = next(e for e in self.run["events"] if e["event"] == "task_followed")
        at = event_x(followed, plots._parse_ts(kickoff["ts"]), self.run["time_scale"])
        self.assertAlmostEqual(at, self.verdict["platform_task_secs"])
        unknown = dict(followed, data=dict(followed["data"], platform_task_secs=-1))
        at = event_x(unknown, plots._parse_ts(kickoff["ts"]), self.run["time_scale"])
        self.assertGreater(at, 400)  # from the event's time stamp, never the -1 "unknown"


class UnknownFiguresTest(unittest.TestCase):
    def test_minus_one_platform_task_secs_is_unknown(self):
        run = extract.make_run("measure/Depth8", {"platform_task_secs": "-1.0",
                                                  "task_secs": "12.5"}, [], "results", [], "x")
        self.assertIsNone(run["platform_task_secs"])
        self.assertEqual(run["task_platform_secs"], 12.5)


class PageAndHistoryUnitsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, self.dir, True)

    def test_page_summary_and_history_carry_platform_seconds(self):
        out = os.path.join(self.dir, "report.html")
        self.assertEqual(report.main(["--out", out, SWEEP, MEASURE]), 0)
        with open(out, encoding="utf-8") as handle:
            page = handle.read()
        # assertFalse, not assertNotIn: a failure must not print the whole page.
        self.assertFalse("44010" in page or "16510" in page, "task time divided by TIME_SCALE")
        self.assertFalse("task wall s" in page, "task_secs is platform seconds, not wall")
        with open(os.path.join(self.dir, "report.json"), encoding="utf-8") as handle:
            summary = json.load(handle)
        self.assertEqual(sorted(r["task_platform_secs"] for r in summary["runs"]),
                         [165.1, 440.1, 440.1])
        history_path = os.path.join(self.dir, "history.jsonl")
        self.assertEqual(history.main(["append", "--summary",
                                       os.path.join(self.dir, "report.json"),
                                       "--history", history_path, "--night", "2026-11-30"]), 0)
        with open(history_path, encoding="utf-8") as handle:
            entries = [json.loads(line) for line in handle]
        self.assertEqual(sorted(e["task_platform_secs"] for e in entries), [165.1, 440.1, 440.1])


if __name__ == "__main__":
    unittest.main()
