"""Tests of the nightly job's history and baseline comparison (tools/report/history.py)."""
import contextlib
import io
import json
import os
import shutil
import tempfile
import unittest

import history


def run(verdict, depth=8, mechanism="", scenario="platform", variant="Live", secs=400.0):
    return {"name": f"{variant}/S.Kickoff/Depth{depth}", "variant": variant,
            "scenario": scenario, "depth": depth, "repeat": 1, "outcome": "passed",
            "verdict": verdict, "mechanism": mechanism, "task_platform_secs": secs,
            "task_secs_lower_bound": False, "platform_git_sha": ""}


def summary(*runs):
    return {"generated_at": "2026-11-30T02:00:00Z", "runs": list(runs)}


class CompareTest(unittest.TestCase):
    def setUp(self):
        self.baseline = {"cases": history.expectations(summary(
            run("not_informative", depth=1), run("unbounded", depth=8)))}

    def test_unchanged_verdicts_pass(self):
        changes, notes = history.compare(
            summary(run("not_informative", depth=1), run("unbounded", depth=8)), self.baseline)
        self.assertEqual((changes, notes), ([], []))

    def test_profiles_of_the_fake_are_cases_of_their_own(self):
        fake = [dict(run("unbounded", scenario="Unbounded", variant="Fake"), profile=p)
                for p in ("2026-04", "2026-08")]
        self.assertEqual(sorted(history.expectations(summary(*fake))),
                         ["Fake|Unbounded|8|2026-04", "Fake|Unbounded|8|2026-08"])

    def test_changed_verdict_and_mechanism_are_flagged(self):
        changes, _ = history.compare(summary(
            run("not_informative", depth=1),
            run("bounded_by_platform", depth=8, mechanism="task_ceiling")), self.baseline)
        self.assertEqual(changes, [
            "CHANGED Live|platform|8: verdict unbounded -> bounded_by_platform; "
            "mechanism - -> task_ceiling"])

    def test_a_repeat_that_differs_is_a_change(self):
        changes, _ = history.compare(summary(
            run("not_informative", depth=1), run("unbounded", depth=8),
            run("bounded_by_agent", depth=8)), self.baseline)
        self.assertEqual(len(changes), 1)
        self.assertIn("unbounded -> bounded_by_agent/unbounded", changes[0])

    def test_a_case_that_did_not_run_is_a_change(self):
        changes, _ = history.compare(summary(run("unbounded", depth=8)), self.baseline)
        self.assertEqual(changes, [
            "CHANGED Live|platform|1: expected not_informative, did not run"])

    def test_a_new_case_is_only_a_note(self):
        changes, notes = history.compare(summary(
            run("not_informative", depth=1), run("unbounded", depth=8),
            run("unbounded", depth=16)), self.baseline)
        self.assertEqual(changes, [])
        self.assertEqual(notes, ["new Live|platform|16: unbounded (not in the baseline)"])


class LegacyBackendTest(unittest.TestCase):
    """Before issue 18 a run against a platform was recorded as backend "live", its scenario
    too: baselines and history written then read as if written today."""

    def test_a_baseline_keyed_live_matches_tonights_platform_runs(self):
        old = {"cases": {"Live|live|1": {"verdicts": ["not_informative"], "mechanisms": [""]},
                         "Live|live|8": {"verdicts": ["unbounded"], "mechanisms": [""]}}}
        tonight = summary(run("not_informative", depth=1), run("unbounded", depth=8))
        self.assertEqual(history.compare(tonight, old), ([], []))
        changed = summary(run("not_informative", depth=1),
                          run("bounded_by_platform", depth=8, mechanism="idle_timer"))
        self.assertEqual(history.compare(changed, old)[0], [
            "CHANGED Live|platform|8: verdict unbounded -> bounded_by_platform; "
            "mechanism - -> idle_timer"])

    def test_a_legacy_run_in_tonights_summary_keys_as_platform(self):
        self.assertEqual(history.case_key(run("unbounded", scenario="live")), "Live|platform|8")

    def test_history_lines_of_live_runs_read_as_platform(self):
        directory = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, directory, True)
        path = os.path.join(directory, "history.jsonl")
        with open(path, "w") as handle:
            handle.write(json.dumps(dict(run("unbounded", scenario="live"), night="n1")) + "\n")
            handle.write(json.dumps(dict(run("unbounded"), night="n2")) + "\n")
        entries = history.read_history(path, [])
        self.assertEqual([e["scenario"] for e in entries], ["platform", "platform"])


class JobSummaryTest(unittest.TestCase):
    """The Markdown a CI job's summary shows (issue 18.1): CHANGED first, a row per case."""

    def setUp(self):
        self.baseline = {"cases": history.expectations(summary(
            run("not_informative", depth=1), run("unbounded", depth=8)))}

    def test_changed_lines_come_before_the_table_with_one_row_per_case(self):
        lines = history.job_summary(summary(
            run("not_informative", depth=1),
            run("bounded_by_platform", depth=8, mechanism="idle_timer")), self.baseline, 4)
        self.assertEqual(lines[2], "Exit 4: the platform's behaviour changed (CHANGED lines "
                                   "below).")
        changed = [i for i, line in enumerate(lines) if line.startswith("- **CHANGED")]
        table = lines.index("| case | verdict | mechanism | runs |")
        self.assertEqual(len(changed), 1)
        self.assertLess(changed[0], table)
        self.assertIn("unbounded -> bounded\\_by\\_platform", lines[changed[0]])
        rows = lines[table + 2:]
        self.assertEqual(rows, [
            "| Live\\|platform\\|1 | not\\_informative | - | 1 |",
            "| Live\\|platform\\|8 | bounded\\_by\\_platform | idle\\_timer | 1 |"])

    def test_without_a_baseline_every_case_is_new_and_nothing_is_changed(self):
        lines = history.job_summary(summary(run("unbounded", depth=8)), None, 3)
        self.assertIn("No baseline yet: every case below is new.", lines)
        self.assertFalse([line for line in lines if "CHANGED" in line])
        self.assertIn("update_baseline.sh", lines[2])

    def test_a_variant_name_cannot_break_the_table(self):
        lines = history.job_summary(summary(run("unbounded", variant="A|B\n**x**")), None)
        row = lines[-1]
        self.assertEqual(row.count(" | "), 3, row)
        self.assertNotIn("\n", row)


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.baseline = os.path.join(self.dir, "baseline.json")

    def summary_file(self, name, *runs):
        path = os.path.join(self.dir, name)
        with open(path, "w") as handle:
            json.dump(summary(*runs), handle)
        return path

    def main(self, *args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = history.main(list(args))
        return code, out.getvalue()

    def test_baseline_is_written_only_by_update_and_a_change_exits_4(self):
        last_night = self.summary_file("a.json", run("unbounded"))
        tonight = self.summary_file("b.json", run("bounded_by_platform", mechanism="idle_timer"))
        self.assertEqual(self.main("compare", "--summary", last_night,
                                   "--baseline", self.baseline)[0], history.EXIT_NO_BASELINE)
        self.assertFalse(os.path.exists(self.baseline))
        self.assertEqual(self.main("update-baseline", "--summary", last_night,
                                   "--baseline", self.baseline)[0], history.EXIT_SAME)
        self.assertEqual(self.main("compare", "--summary", last_night,
                                   "--baseline", self.baseline), (history.EXIT_SAME, ""))
        code, printed = self.main("compare", "--summary", tonight, "--baseline", self.baseline)
        self.assertEqual(code, history.EXIT_CHANGED)
        self.assertTrue(printed.startswith("CHANGED Live|platform|8: verdict unbounded -> "
                                           "bounded_by_platform"))
        with open(self.baseline) as handle:
            self.assertEqual(json.load(handle)["cases"]["Live|platform|8"]["verdicts"],
                             ["unbounded"])

    def test_nothing_measured_is_never_green(self):
        empty = self.summary_file("empty.json")
        for command in ("compare", "update-baseline"):
            self.assertEqual(self.main(command, "--summary", empty,
                                       "--baseline", self.baseline)[0], history.EXIT_NOTHING)
        self.assertEqual(self.main("append", "--summary", empty, "--history",
                                   os.path.join(self.dir, "h.jsonl"))[0], history.EXIT_NOTHING)

    def test_a_night_without_a_measured_verdict_is_not_a_baseline_unless_forced(self):
        unmeasured = self.summary_file("u.json", run("no_verdict"), run("dry_run", depth=1))
        code = self.main("update-baseline", "--summary", unmeasured,
                         "--baseline", self.baseline)[0]
        self.assertEqual(code, history.EXIT_BAD_INPUT)
        self.assertFalse(os.path.exists(self.baseline))
        self.assertEqual(self.main("update-baseline", "--force", "--summary", unmeasured,
                                   "--baseline", self.baseline)[0], history.EXIT_SAME)
        with open(self.baseline) as handle:
            self.assertEqual(json.load(handle)["cases"]["Live|platform|8"]["verdicts"],
                             ["no_verdict"])

    def test_one_measured_verdict_is_enough_for_a_baseline(self):
        partly = self.summary_file("p.json", run("no_verdict"), run("unbounded", depth=1))
        self.assertEqual(self.main("update-baseline", "--summary", partly,
                                   "--baseline", self.baseline)[0], history.EXIT_SAME)
        self.assertTrue(os.path.exists(self.baseline))

    def test_history_appends_one_line_per_run_per_night(self):
        path = os.path.join(self.dir, "cache", "history.jsonl")
        for night in ("2026-11-29", "2026-11-30"):
            source = self.summary_file(f"{night}.json", run("unbounded"), run("x", depth=1))
            self.assertEqual(self.main("append", "--summary", source, "--history", path,
                                       "--night", night)[0], history.EXIT_SAME)
        skipped = []
        entries = history.read_history(path, skipped)
        self.assertEqual([(e["night"], e["depth"]) for e in entries], [
            ("2026-11-29", 8), ("2026-11-29", 1), ("2026-11-30", 8), ("2026-11-30", 1)])
        self.assertEqual(skipped, [])

    def test_unreadable_summary_or_baseline_exits_2(self):
        self.assertEqual(self.main("compare", "--summary", os.path.join(self.dir, "none"),
                                   "--baseline", self.baseline)[0], history.EXIT_BAD_INPUT)
        with open(self.baseline, "w") as handle:
            handle.write('{"cases": {"Live|live|8": ')
        source = self.summary_file("s.json", run("unbounded"))
        self.assertEqual(self.main("compare", "--summary", source, "--baseline",
                                   self.baseline)[0], history.EXIT_BAD_INPUT)


if __name__ == "__main__":
    unittest.main()
