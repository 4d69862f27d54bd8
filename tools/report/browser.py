#!/usr/bin/env python3
"""Headless Chromium (Debian's `chromium`, installed by tools/setup.sh) for the report: read a
page's rendered DOM with the console messages it logged, and take a screenshot.

  browser.py screenshot REPORT.html OUT.png [--width 1300 --height 2400]

Each call starts a fresh browser with its own profile directory, no network services, and a
deadline (`timeout` wall seconds); a missing chromium raises BrowserMissing naming setup.sh.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")
# With --enable-logging=stderr Chromium logs each console message of the page as
# `...:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)`.
_CONSOLE = re.compile(r":CONSOLE(?:\(\d+\)|:\d+)\] (.*)")


class BrowserMissing(RuntimeError):
    pass


def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path and os.path.exists("/usr/bin/chromium"):
        path = "/usr/bin/chromium"
    if not path:
        raise BrowserMissing("chromium is not installed: run tools/setup.sh, which installs "
                             "Debian's chromium package for the report's browser test")
    return path


def _run(page, extra, timeout):
    with tempfile.TemporaryDirectory(dir=os.environ.get("TEST_TMPDIR")) as profile:
        command = [chromium_path(), *FLAGS, f"--user-data-dir={profile}",
                   "--enable-logging=stderr", "--v=0", *extra,
                   "file://" + os.path.abspath(page)]
        return subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                              env=dict(os.environ, HOME=profile))


def dump_dom(page, timeout=60):
    """(rendered DOM as text, console messages) of `page`; raises RuntimeError naming the exit
    code and the end of chromium's stderr when it fails."""
    result = _run(page, ["--dump-dom"], timeout)
    stderr = result.stderr.decode("utf-8", errors="replace")
    if result.returncode != 0:
        raise RuntimeError(f"chromium --dump-dom exited {result.returncode}: {stderr[-800:]}")
    return (result.stdout.decode("utf-8", errors="replace"),
            [m.group(1) for m in map(_CONSOLE.search, stderr.splitlines()) if m])


# A page of our own that frames the report at a given width and writes, from its own script
# (the report's Content-Security-Policy forbids scripts in the report itself), how far right
# an element of the report reaches and how wide the report's document is, in CSS pixels.
_MEASURE_PAGE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="{src}" style="width:{width}px;height:2000px;border:0"></iframe>
<pre id="out">pending</pre>
<script>
document.getElementById("f").onload = function () {{
  var d = this.contentDocument, e = d.getElementById("{element}");
  document.getElementById("out").textContent = "right=" +
      (e ? Math.ceil(e.getBoundingClientRect().right) : -1) +
      " document=" + d.documentElement.scrollWidth;
}};
</script></body></html>"""


def layout_width(page, element_id, width=1300, timeout=60):
    """(right edge of `element_id`, scroll width of the document) of `page` framed `width` CSS
    pixels wide; -1 for an element the page lacks. Raises RuntimeError when chromium fails."""
    outer = os.path.join(os.path.dirname(os.path.abspath(page)), "measure-layout.html")
    with open(outer, "w", encoding="utf-8") as handle:
        handle.write(_MEASURE_PAGE.format(src=os.path.basename(page), width=width,
                                          element=element_id))
    result = _run(outer, ["--dump-dom", "--allow-file-access-from-files",
                          "--virtual-time-budget=10000", f"--window-size={width + 100},2200"],
                  timeout)
    found = re.search(r"right=(-?\d+) document=(\d+)", result.stdout.decode("utf-8", "replace"))
    if result.returncode != 0 or not found:
        stderr = result.stderr.decode("utf-8", errors="replace")
        raise RuntimeError(f"chromium could not measure {element_id} (exit "
                           f"{result.returncode}): {stderr[-800:]}")
    return int(found.group(1)), int(found.group(2))


def screenshot(page, png, width=1300, height=2400, timeout=60):
    """Writes a PNG of the top `height` CSS pixels of `page` to `png`."""
    result = _run(page, [f"--screenshot={os.path.abspath(png)}",
                         f"--window-size={width},{height}"], timeout)
    if result.returncode != 0 or not os.path.exists(png):
        stderr = result.stderr.decode("utf-8", errors="replace")
        raise RuntimeError(f"chromium --screenshot exited {result.returncode}: {stderr[-800:]}")


def main(argv):
    parser = argparse.ArgumentParser(description="screenshot of a report page")
    parser.add_argument("command", choices=("screenshot",))
    parser.add_argument("page")
    parser.add_argument("png")
    parser.add_argument("--width", type=int, default=1300)
    parser.add_argument("--height", type=int, default=2400)
    args = parser.parse_args(argv)
    try:
        screenshot(args.page, args.png, args.width, args.height)
    except (BrowserMissing, RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"browser: {error}", file=sys.stderr)
        return 1
    print(f"browser: wrote {args.png}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
