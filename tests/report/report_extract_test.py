"""Unit tests of //tools:report's data extraction, summary and page (tools/report)."""
import json
import os
import shutil
import tempfile
import unittest
import warnings

import extract
import plots
import render
import report

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")
LIVE_TIMEOUT = os.path.join(TESTDATA, "live_timeout")


def gtest_xml(cases):
    """A gtest 1.12 style test.xml; `cases` maps test name -> {property: value}."""
    body = []
    for name, props in cases.items():
        suite, test = name.split(".", 1)
        rows = "".join(f'<property name="{k}" value="{v}"/>' for k, v in props.items())
        body.append(f'<testcase name="{test}" classname="{suite}" status="run" time="1">'
                    f"<properties>{rows}</properties></testcase>")
    return ('<?xml version="1.0" encoding="UTF-8"?><testsuites name="AllTests">'
            f'<testsuite name="s">{"".join(body)}</testsuite></testsuites>')


class ScratchDir(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, self.dir, True)

    def write(self, relative, content, mode="w"):
        path = os.path.join(self.dir, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as handle:
            handle.write(content)
        return path


class TimedOutShardTest(unittest.TestCase):
    """A real //tests:live sweep against the fake in which Bazel's timeout ended shard 3
    (test.xml is Bazel's own, 'exited with error code 142', no properties)."""

    def setUp(self):
        self.runs, self.skipped = extract.load_runs([LIVE_TIMEOUT])
        self.by_depth = {run["depth"]: run for run in self.runs}

    def test_every_shard_gives_one_run(self):
        self.assertEqual(sorted(self.by_depth), [1, 3, 8])
        self.assertEqual(self.skipped, [])

    def test_finished_shards_keep_their_xml_properties(self):
        run = self.by_depth[1]
        self.assertEqual((run["outcome"], run["verdict"]), ("passed", "not_informative"))
        self.assertAlmostEqual(run["task_platform_secs"], 55.1)
        self.assertEqual(run["task_secs_source"], "platform_secs")
        self.assertFalse(run["partial"])

    def test_timed_out_shard_is_recovered_from_its_artifacts(self):
        run = self.by_depth[8]
        self.assertEqual(run["name"], "Live/CoordinatorTaskBoundsTest.Kickoff/Depth8")
        self.assertEqual((run["outcome"], run["verdict"]), ("timed_out", "no_verdict"))
        self.assertTrue(run["partial"])
        self.assertTrue(run["task_secs_lower_bound"])
        self.assertAlmostEqual(run["task_platform_secs"], 226.652)
        self.assertEqual(run["pm_id"], "534df1b1-fa5e-4d87-9223-d0adf7c65675")
        self.assertEqual(run["cleanup"], "ok")
        self.assertIn("a2a_kickoff_sent", [e["event"] for e in run["events"]])
        # events.jsonl from test.outputs/outputs.zip, written before Bazel's SIGTERM.
        self.assertTrue(run["sources"][1].endswith(
            "outputs.zip!/Live_CoordinatorTaskBoundsTest.Kickoff_Depth8"), run["sources"])
        self.assertEqual(len(run["events"]), 26)

    def test_timed_out_shard_without_artifacts_falls_back_to_its_log(self):
        with tempfile.TemporaryDirectory(dir=os.environ.get("TEST_TMPDIR")) as scratch:
            shard = os.path.join(LIVE_TIMEOUT, "tests", "live", "shard_3_of_3")
            copy = os.path.join(scratch, "shard_3_of_3")
            shutil.copytree(shard, copy, ignore=shutil.ignore_patterns("test.outputs"))
            (run,), skipped = extract.load_runs([scratch])
        self.assertEqual((run["outcome"], run["verdict"], skipped), ("timed_out", "no_verdict", []))
        self.assertAlmostEqual(run["task_platform_secs"], 226.652)
        self.assertEqual(run["sources"][0][-8:], "test.log")

    def test_timeline_drawn_for_the_timed_out_run(self):
        svg = render.plots.timeline(self.by_depth[8])
        self.assertIsNotNone(svg)
        self.assertIn("test timed out: evidence ends here", svg)


class TimelineRowsTest(unittest.TestCase):
    def test_events_land_on_their_rows(self):
        def row(event, **data):
            return render.plots._event_row({"event": event, "data": data})

        self.assertEqual(row("a2a_kickoff_sent"), ("harness", "kickoff"))
        self.assertEqual(row("a2a_response_observed", http_status=202, outcome="queued"),
                         ("harness", "queued ack"))
        self.assertEqual(row("a2a_response_observed", http_status=0, outcome="no_response"),
                         ("harness", "harness timeout (no answer)"))
        self.assertEqual(row("a2a_response_observed", http_status=200, outcome="result"),
                         ("harness", "answer 200"))
        self.assertEqual(row("stall_watchdog_restart"), ("platform", "stall_watchdog_restart"))
        self.assertEqual(row("cleanup_failed"), ("cleanup", "failed"))
        self.assertIsNone(row("status_sample", status="online"))


class BadInputTest(ScratchDir):
    def test_malformed_xml_is_named_and_the_log_still_used(self):
        shard = os.path.join(LIVE_TIMEOUT, "tests", "live", "shard_1_of_3")
        with open(os.path.join(shard, "test.xml")) as handle:
            xml = handle.read()
        self.write("t/shard_1_of_3/test.xml", xml[: len(xml) // 2])
        shutil.copy(os.path.join(shard, "test.log"), os.path.join(self.dir, "t/shard_1_of_3"))
        runs, skipped = extract.load_runs([self.dir])
        self.assertEqual(len(skipped), 1)
        self.assertTrue(skipped[0]["file"].endswith("shard_1_of_3/test.xml"))
        self.assertIn("not well-formed XML", skipped[0]["reason"])
        self.assertEqual([(r["depth"], r["verdict"]) for r in runs], [(1, "not_informative")])

    def test_truncated_events_file_keeps_the_complete_lines(self):
        self.write("results/events.jsonl",
                   '{"ts":"2026-11-30T07:00:00.000Z","event":"run_started","data":'
                   '{"synthesis_depth":3,"time_scale":0.01}}\n'
                   '{"ts":"2026-11-30T07:00:00.100Z","event":"a2a_kickoff_sent","data":{}}\n'
                   '{"ts":"2026-11-30T07:00:01.000Z","event":"status_sample","data":{"sta')
        runs, skipped = extract.load_runs([self.dir])
        self.assertEqual(len(runs), 1)
        self.assertEqual((runs[0]["depth"], runs[0]["outcome"]), (3, "unfinished"))
        self.assertEqual(len(runs[0]["events"]), 2)
        self.assertIn("1 line(s) not valid JSON", skipped[0]["reason"])

    def test_empty_tree_gives_no_runs_and_a_failing_exit(self):
        runs, skipped = extract.load_runs([self.dir])
        self.assertEqual((runs, skipped), ([], []))
        out = os.path.join(self.dir, "report.html")
        self.assertEqual(report.main(["--out", out, self.dir]), 1)
        with open(out) as handle:
            self.assertIn('id="no-runs"', handle.read())

    def test_missing_input_is_named(self):
        runs, skipped = extract.load_runs([os.path.join(self.dir, "absent")])
        self.assertEqual(runs, [])
        self.assertIn("not a directory", skipped[0]["reason"])


def measure_run_json(run_tag, scenario, profile="2026-08", depth=3, secs=100.0):
    """run.json as //tools:measure writes it, with its identity (tools/measure_main.cc)."""
    return json.dumps({
        "test_name": f"measure/Depth{depth}", "ended_normally": True, "cleanup": [],
        "identity": {"run_tag": run_tag, "backend": "embedded_fake", "scenario": scenario,
                     "profile": profile, "variant": "ClaudeCodeDefault",
                     "synthesis_depth": depth, "time_scale": 0.001},
        "config": {"synthesis_depth": depth, "time_scale": 0.001, "backend": "embedded_fake"},
        "verdict": {"verdict": "unbounded", "task_secs": secs}})


class IdentityGroupsTest(ScratchDir):
    """Repeats are runs of one identity (variant, scenario, profile, backend, depth), from
    run.json's identity and from test.xml alike (issue: an agent_failure run and a 2026-04
    unbounded run were two repeats of "measure / embedded_fake")."""

    def groups(self, *inputs):
        runs, skipped = extract.load_runs([os.path.join(self.dir, i) for i in inputs])
        self.assertEqual(skipped, [])
        return runs, render.repeat_groups(runs)

    def test_measurements_of_other_scenarios_and_profiles_are_not_repeats(self):
        self.write("a/measure_Depth3_20261130t100000z-aaaaaa/run.json",
                   measure_run_json("20261130t100000z-aaaaaa", "agent_failure"))
        self.write("b/measure_Depth3_20261130t100100z-bbbbbb/run.json",
                   measure_run_json("20261130t100100z-bbbbbb", "unbounded", "2026-04"))
        self.write("b/measure_Depth3_20261130t100200z-cccccc/run.json",
                   measure_run_json("20261130t100200z-cccccc", "unbounded", "2026-08"))
        _, groups = self.groups("a", "b")
        self.assertEqual([(g["name"], g["runs"]) for g in groups], [
            ("measure ClaudeCodeDefault / agent_failure / 2026-08 / embedded_fake", 1),
            ("measure ClaudeCodeDefault / unbounded / 2026-04 / embedded_fake", 1),
            ("measure ClaudeCodeDefault / unbounded / 2026-08 / embedded_fake", 1)])

    def test_measurements_of_one_identity_are_numbered_repeats(self):
        for folder, tag, secs in (("b", "20261130t100100z-bbbbbb", 300.0),
                                  ("a", "20261130t100000z-aaaaaa", 100.0)):
            self.write(f"{folder}/measure_Depth3_{tag}/run.json",
                       measure_run_json(tag, "unbounded", secs=secs))
        runs, groups = self.groups("a", "b")
        self.assertEqual([(r["run_tag"], r["repeat"]) for r in runs],
                         [("20261130t100000z-aaaaaa", 1), ("20261130t100100z-bbbbbb", 2)])
        (group,) = groups
        self.assertEqual((group["runs"], group["median_secs"], group["depth"]), (2, 200.0, 3))

    def test_sweep_cases_of_other_profiles_are_not_repeats(self):
        for target, profile in (("t04", "2026-04"), ("t08", "2026-08")):
            self.write(f"{target}/test.xml", gtest_xml({"Fake/S.Kickoff/UnboundedDepth3": {
                "verdict": "unbounded", "platform_secs": 400, "synthesis_depth": 3,
                "backend": "embedded_fake", "profile": profile}}))
        _, groups = self.groups("t04", "t08")
        self.assertEqual([(g["name"], g["runs"]) for g in groups], [
            ("Fake / Unbounded / 2026-04 / embedded_fake", 1),
            ("Fake / Unbounded / 2026-08 / embedded_fake", 1)])

    def test_sweep_xml_without_identity_properties_groups_as_before(self):
        for k in (1, 2):
            self.write(f"t/run_{k}_of_2/test.xml", gtest_xml({
                "Live/S.Kickoff/Depth8": {"verdict": "unbounded", "platform_secs": 300 + k}}))
        _, groups = self.groups("t")
        self.assertEqual([(g["name"], g["runs"]) for g in groups], [("Live / platform", 2)])

    def test_a_platform_recorded_as_live_is_one_group_with_todays_platform_runs(self):
        # Before issue 18 the backend of a run against PLATFORM was "live" (a platform on
        # localhost too); it is "platform" since: both are repeats of one case.
        for k, backend in ((1, "live"), (2, "platform")):
            self.write(f"t/run_{k}_of_2/test.xml", gtest_xml({"Live/S.Kickoff/Depth8": {
                "verdict": "unbounded", "platform_secs": 300 + k, "backend": backend}}))
        runs, groups = self.groups("t")
        self.assertEqual([(r["backend"], r["scenario"]) for r in runs],
                         [("platform", "platform")] * 2)
        self.assertEqual([(g["name"], g["runs"]) for g in groups], [("Live / platform", 2)])


class MeasurementsOnlyTest(ScratchDir):
    """Issue 18.3: the report takes the sweep's cases and measure's results, and leaves out the
    suite's own tests (janitor_process_test, measure_tool_test, task_verdict_test) with one line
    saying so."""

    def test_other_tests_and_their_artifacts_are_left_out_and_counted(self):
        self.write("tests/harness/measure_tool_test/test.xml", gtest_xml({
            "MeasureToolTest.FakeScenarioComesFromTheEnvironment": {},
            "MeasureToolTest.SummaryAndProgressGoToStderr": {}}))
        self.write("tests/harness/measure_tool_test/test.outputs/measure_Depth3_x/run.json",
                   measure_run_json("20261130t100000z-aaaaaa", "unbounded"))
        self.write("tests/harness/task_verdict_test/test.xml", gtest_xml({
            "Fake2026_08/TaskVerdictTest.VerdictAndMechanismAreThePlans/UnboundedDepth3": {
                "verdict": "within_delegation_timeout", "platform_secs": 165}}))
        self.write("tests/sweep/test.xml", gtest_xml({
            "Fake/CoordinatorTaskBoundsTest.Kickoff/UnboundedDepth3": {
                "verdict": "within_delegation_timeout", "platform_secs": 165,
                "backend": "embedded_fake", "profile": "2026-08"}}))
        self.write("results/measure_Depth3_20261130t100100z-bbbbbb/run.json",
                   measure_run_json("20261130t100100z-bbbbbb", "unbounded"))
        left_out = []
        runs, skipped = extract.load_runs([self.dir], left_out)
        self.assertEqual(skipped, [])
        self.assertEqual(sorted(r["name"] for r in runs), [
            "Fake/CoordinatorTaskBoundsTest.Kickoff/UnboundedDepth3", "measure/Depth3"])
        self.assertEqual(sorted((i["location"].split("/", 1)[1], i["cases"]) for i in left_out),
                         [("tests/harness/measure_tool_test", 3),
                          ("tests/harness/task_verdict_test", 1)])
        self.assertEqual(render.left_out_line(left_out)[:67],
                         "Left out 4 test case(s) of 2 test(s) that are not measurements (the")


def sweep_run(verdict, secs, depth=8, mechanism="", backend="live", platform="", sha=""):
    return {"variant": "Live", "backend": backend, "profile": "", "platform": platform,
            "platform_git_sha": sha, "verdict": verdict, "mechanism": mechanism,
            "task_platform_secs": secs, "depth": depth}


class HeadlineTest(unittest.TestCase):
    """Issue 18.3: the page opens with the answer, one sentence per variant, and says whether
    the runs were against the embedded fake or a platform."""

    def test_one_sentence_names_the_platform_the_longest_completion_and_each_bound(self):
        runs = [sweep_run("unbounded", 440.2, platform="https://staging.example",
                          sha="1a2b3c4d5e6f"),
                sweep_run("bounded_by_platform", 1800.0, mechanism="idle_timer",
                          platform="https://staging.example", sha="1a2b3c4d5e6f"),
                sweep_run("within_delegation_timeout", 165, depth=3,
                          platform="https://staging.example", sha="1a2b3c4d5e6f")]
        self.assertEqual(render.headline(runs), [
            "On the platform at https://staging.example, build 1a2b3c4d, a depth-8 task ran "
            "440 s unbounded; the idle timer bounded one, which ended at 1,800 s."])
        self.assertEqual(render.backend_statement(runs),
                         "Every run was against a platform: https://staging.example.")

    def test_runs_that_decide_nothing_are_counted_and_a_timeout_is_said(self):
        runs = [sweep_run("harness_timeout", 600.0), sweep_run("inconclusive", None),
                sweep_run("agent_failed", 120.0)]
        (sentence,) = render.headline(runs)
        self.assertEqual(sentence, "On a platform, 1 task(s) still ran when A2A_TIMEOUT ended "
                                   "the run (at 600 s); 2 run(s) said nothing about bounds "
                                   "(agent_failed, inconclusive).")

    def test_the_fake_is_named_as_a_model(self):
        runs = [dict(sweep_run("unbounded", 440.0, backend="embedded_fake"), profile="2026-08")]
        self.assertTrue(render.headline(runs)[0].startswith(
            "On the embedded fake platform (profile 2026-08), a depth-8 task ran 440 s"))
        self.assertIn("not measurements of a real platform", render.backend_statement(runs))

    def test_summary_markdown_carries_the_headline(self):
        out = os.path.join(tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR")), "s.md")
        self.assertEqual(report.main(["--out", out + ".html", "--summary-md", out,
                                      LIVE_TIMEOUT]), 0)
        with open(out, encoding="utf-8") as handle:
            text = handle.read()
        self.assertIn("- On the platform at http://127.0.0.1:", text)
        self.assertIn("Every run was against a platform", text)


class RepeatsTest(ScratchDir):
    def test_named_repeats_are_summarised(self):
        seconds = {1: 100.0, 2: 400.0, 3: 200.0}
        self.write("t/test.xml", gtest_xml({
            f"Fake/S.Kickoff/UnboundedDepth3Run{k}": {
                "verdict": "within_delegation_timeout" if s < 300 else "unbounded",
                "platform_secs": s, "synthesis_depth": 3} for k, s in seconds.items()}))
        runs, _ = extract.load_runs([self.dir])
        self.assertEqual([r["repeat"] for r in runs], [1, 2, 3])
        (group,) = render.repeat_groups(runs)
        self.assertEqual((group["runs"], group["median_secs"], group["min_secs"],
                          group["max_secs"]), (3, 200.0, 100.0, 400.0))
        self.assertEqual(group["verdicts"], {"within_delegation_timeout": 2, "unbounded": 1})

    def test_bazel_runs_per_test_directories_are_repeats(self):
        for k in (1, 2):
            self.write(f"t/run_{k}_of_2/test.xml", gtest_xml({
                "Live/S.Kickoff/Depth8": {"verdict": "unbounded", "platform_secs": 300 + k}}))
        runs, _ = extract.load_runs([self.dir])
        self.assertEqual([(r["depth"], r["repeat"]) for r in runs], [(8, 1), (8, 2)])
        self.assertEqual(render.repeat_groups(runs)[0]["median_secs"], 301.5)

    def test_results_of_an_earlier_invocation_are_ignored_and_named(self):
        self.write("t/test.xml", gtest_xml({"Live/S.Kickoff/Depth8": {"verdict": "stale"}}))
        os.utime(os.path.join(self.dir, "t/test.xml"), (1, 1))
        self.write("t/run_1_of_1/test.xml", gtest_xml({
            "Live/S.Kickoff/Depth8": {"verdict": "unbounded"}}))
        runs, skipped = extract.load_runs([os.path.join(self.dir, "t")])
        self.assertEqual([r["verdict"] for r in runs], ["unbounded"])
        self.assertIn("earlier `bazel test`", skipped[0]["reason"])
        os.utime(os.path.join(self.dir, "t/run_1_of_1/test.xml"), (0, 0))
        runs, skipped = extract.load_runs([os.path.join(self.dir, "t")])
        self.assertEqual([r["verdict"] for r in runs], ["stale"])
        self.assertTrue(skipped[0]["file"].endswith("run_1_of_1"))

    def test_of_several_run_layouts_only_the_newest_counts(self):
        for k in (1, 2, 3):  # --runs_per_test=3, then --runs_per_test=2
            self.write(f"t/run_{k}_of_3/test.xml", gtest_xml({
                "Live/S.Kickoff/Depth8": {"verdict": "old"}}))
            os.utime(os.path.join(self.dir, f"t/run_{k}_of_3/test.xml"), (1, 1))
        for k in (1, 2):
            self.write(f"t/run_{k}_of_2/test.xml", gtest_xml({
                "Live/S.Kickoff/Depth8": {"verdict": "new"}}))
        runs, skipped = extract.load_runs([os.path.join(self.dir, "t")])
        self.assertEqual([r["verdict"] for r in runs], ["new", "new"])
        self.assertEqual(sorted(os.path.basename(s["file"]) for s in skipped),
                         ["run_1_of_3", "run_2_of_3", "run_3_of_3"])


class TaskFieldsTest(ScratchDir):
    """Issue 9's fields (call/task seconds, mechanism) are read when a run carries them."""

    def test_run_json_fields_and_task_seconds(self):
        self.write("results/run.json", json.dumps({
            "test_name": "measure", "config": {"synthesis_depth": 8, "time_scale": 0.01},
            "verdict": "bounded_by_platform", "mechanism": "idle_timer",
            "call_secs": 90.1, "task_secs": 1800.0, "platform_task_secs": 1795.0,
            "pm_id": "pm-1", "platform_git_sha": "0123456789abcdef"}))
        (run,), skipped = extract.load_runs([self.dir])
        self.assertEqual(skipped, [])
        self.assertEqual((run["verdict"], run["mechanism"], run["depth"]),
                         ("bounded_by_platform", "idle_timer", 8))
        self.assertAlmostEqual(run["task_platform_secs"], 1800.0)
        # task_secs is platform seconds already (docs/runs.md "Where results land").
        self.assertEqual(run["task_secs_source"], "task_secs")
        self.assertEqual((run["call_secs"], run["platform_task_secs"]), (90.1, 1795.0))
        self.assertEqual(run["platform_git_sha"], "0123456789abcdef")

    def test_xml_properties_win_over_events(self):
        self.write("t/test.xml", gtest_xml({"Fake/S.Kickoff/IdleTimeoutDepth3": {
            "verdict": "bounded_by_platform", "mechanism": "idle_timer", "platform_secs": 99}}))
        self.write("t/test.log", "[ RUN      ] Fake/S.Kickoff/IdleTimeoutDepth3\n"
                   '{"ts":"2026-11-30T07:00:00.000Z","event":"verdict","data":'
                   '{"verdict":"inconclusive","platform_secs":1}}\n'
                   "[       OK ] Fake/S.Kickoff/IdleTimeoutDepth3 (1 ms)\n")
        (run,), _ = extract.load_runs([self.dir])
        self.assertEqual((run["verdict"], run["mechanism"], run["task_platform_secs"]),
                         ("bounded_by_platform", "idle_timer", 99.0))
        self.assertEqual(run["scenario"], "IdleTimeout")
        self.assertEqual(len(run["events"]), 1)


class SafetyTest(ScratchDir):
    def test_remote_strings_are_sanitised_and_secrets_masked(self):
        os.environ["ADMIN_TOKEN"] = "admin-secret-value-9876"
        self.addCleanup(os.environ.pop, "ADMIN_TOKEN")
        reason = ("\x1b[31mred\x07 Authorization: Bearer abcdefghijklmnop1234 "
                  "admin-secret-value-9876 <script>alert(1)</script> " + "x" * 5000)
        line = json.dumps({"ts": "2026-11-30T07:00:00.000Z", "event": "verdict",
                           "data": {"verdict": "unbounded", "reason": reason}})
        self.write("results/events.jsonl", line.encode() + b"\n{\xff\xfe bad\n", mode="wb")
        runs, skipped = extract.load_runs([self.dir])
        out = os.path.join(self.dir, "report.html")
        self.assertEqual(report.main(["--out", out, self.dir]), 0)
        with open(out, encoding="utf-8") as handle:
            page = handle.read()
        with open(os.path.join(self.dir, "report.json"), encoding="utf-8") as handle:
            summary = handle.read()
        for secret in ("admin-secret-value-9876", "abcdefghijklmnop1234", "\x1b", "\x07"):
            self.assertFalse(secret in page or secret in summary, f"{secret!r} leaked")
        self.assertFalse("<script>" in page, "a remote <script> reached the page unescaped")
        self.assertIn("***9876", page)
        self.assertIn("\\u001b[31m", runs[0]["reason"])
        self.assertLess(len(runs[0]["reason"]), 500)
        self.assertEqual(len(skipped), 1)

    def test_dollar_signs_in_remote_strings_are_drawn_as_text(self):
        self.write("t/test.xml", gtest_xml({"Fake/S.Kickoff/Cost$Depth3": {
            "verdict": "weird$verdict", "platform_secs": 99, "scenario": "a$b"}}))
        self.write("t/test.log", "[ RUN      ] Fake/S.Kickoff/Cost$Depth3\n"
                   '{"ts":"2026-11-30T07:00:00.000Z","event":"a2a_kickoff_sent","data":{}}\n'
                   '{"ts":"2026-11-30T07:00:01.000Z","event":"status_sample","data":'
                   '{"status":"x$^{$","at_platform_secs":10}}\n')
        out = os.path.join(self.dir, "report.html")
        self.assertEqual(report.main(["--out", out, self.dir]), 0)
        with open(out, encoding="utf-8") as handle:
            self.assertIn("x$^{$", handle.read())

    def test_page_is_self_contained_with_one_row_per_run(self):
        out = os.path.join(self.dir, "report.html")
        self.assertEqual(report.main(["--out", out, LIVE_TIMEOUT]), 0)
        with open(out, encoding="utf-8") as handle:
            page = handle.read()
        self.assertEqual(page.count('<tr class="run-row'), 3)
        for fetched in ("<script", "<link", " src=", "url(http", "@import"):
            self.assertNotIn(fetched, page)
        with open(os.path.join(self.dir, "report.json"), encoding="utf-8") as handle:
            self.assertEqual(len(json.load(handle)["runs"]), 3)


class PlotWarningsTest(unittest.TestCase):
    def test_depth_plot_of_every_verdict_warns_nothing(self):
        # Unfilled markers ('x' for agent_failed) once drew a UserWarning on every report.
        runs = [{"variant": "V", "scenario": "s", "depth": 1 + i % 3, "verdict": verdict,
                 "task_platform_secs": 100.0 + i, "task_secs_lower_bound": lower}
                for i, verdict in enumerate(plots.VERDICT_STYLE) for lower in (False, True)]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertIn("<svg", plots.depth_plot(runs))
        self.assertEqual([str(w.message) for w in caught], [])


if __name__ == "__main__":
    unittest.main()
