"""Browser test: headless Chromium loads a report from a file and the test reads the rendered
page (plot present, one evidence row per run, no console message); the screenshot is kept as
an undeclared output (bazel-testlogs/tests/report/report_browser_test/test.outputs/)."""
import json
import os
import tempfile
import unittest
from unittest import mock

import browser
import report

LIVE_TIMEOUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                            "live_timeout")


class ReportInBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Fails (never skips) when Chromium is missing: the message names tools/setup.sh.
        browser.chromium_path()
        cls.dir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        cls.page = os.path.join(cls.dir, "report.html")
        assert report.main(["--out", cls.page, LIVE_TIMEOUT]) == 0, "report.main failed"
        with open(os.path.join(cls.dir, "report.json")) as handle:
            cls.run_count = len(json.load(handle)["runs"])
        cls.dom, cls.console = browser.dump_dom(cls.page)

    def test_the_answer_opens_the_page(self):
        body = self.dom[self.dom.find("<body"):]
        self.assertLess(body.find('id="answer"'), body.find('id="depth-plot"'))
        self.assertIn("On the platform at http://127.0.0.1:", body)
        self.assertIn('id="backends"', body)

    def test_evidence_table_fits_a_1300_px_page(self):
        # Issue 18.3: long reasons, names and ids wrap inside their columns.
        right, document = browser.layout_width(self.page, "evidence", width=1300)
        self.assertGreater(right, 0, "no evidence table in the page")
        self.assertLessEqual(right, 1300)
        self.assertLessEqual(document, 1300)

    def test_depth_plot_is_rendered(self):
        start = self.dom.find('id="depth-plot"')
        self.assertGreaterEqual(start, 0, "no depth plot in the rendered page")
        self.assertIn("<svg", self.dom[start:start + 400])
        self.assertIn("task time by depth", self.dom)

    def test_one_evidence_row_per_run(self):
        self.assertEqual(self.run_count, 3)
        self.assertEqual(self.dom.count('class="run-row'), self.run_count)

    def test_timed_out_run_is_shown_with_its_partial_evidence(self):
        self.assertIn("timed_out", self.dom)
        self.assertIn("test timed out: evidence ends here", self.dom)

    def test_no_console_messages(self):
        self.assertEqual(self.console, [])

    def test_console_check_catches_an_error(self):
        # The check above must be able to fail: a page that logs an error is caught.
        page = os.path.join(self.dir, "console_error.html")
        with open(page, "w") as handle:
            handle.write("<p>x</p><script>console.error('probe-error')</script>")
        _, console = browser.dump_dom(page)
        self.assertTrue(any("probe-error" in line for line in console), console)

    def test_screenshot_is_kept(self):
        outputs = os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR", self.dir)
        png = os.path.join(outputs, "report.png")
        browser.screenshot(self.page, png)
        with open(png, "rb") as handle:
            self.assertEqual(handle.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(png), 10000)


class MissingBrowserTest(unittest.TestCase):
    def test_missing_chromium_fails_naming_setup(self):
        with mock.patch("shutil.which", return_value=None), \
                mock.patch("os.path.exists", return_value=False):
            with self.assertRaisesRegex(browser.BrowserMissing, "tools/setup.sh"):
                browser.chromium_path()


if __name__ == "__main__":
    unittest.main()
