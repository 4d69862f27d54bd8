#!/usr/bin/env python3
"""Prints one line per depth-sweep test case from JUnit XML: verdict, timing, evidence.

Usage: report_verdicts.py [DIR]   (default: bazel-testlogs/tests/live)
Reads the <property> elements the sweep records (gtest 1.12 writes per-test properties as
children of <testcase>; attributes are read too, for other gtest versions).
A test.xml that cannot be read (not well-formed, e.g. raw invalid UTF-8 from an older run)
is named on stderr and skipped; the others are still reported, and the exit status is 1.
Values are printed with control characters escaped, so a hostile platform string cannot
move the cursor or forge a line.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

MAX_VALUE_CHARS = 500

KEYS = ("verdict", "platform_secs", "elapsed_secs", "response_status",
        "status_transitions", "heartbeat_history_available", "pm_id", "child_id",
        "verdict_reason")


def shown(value):
    """One printable line: control characters (C0, DEL, C1) escaped, long values cut."""
    out = []
    for char in str(value):
        code = ord(char)
        if char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif 0x80 <= code <= 0x9F or code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    text = "".join(out)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS - 3] + "..."


def properties(case):
    props = {k: case.get(k) for k in KEYS if case.get(k) is not None}
    for prop in case.iter("property"):
        props[prop.get("name")] = prop.get("value")
    return props


def main(argv):
    root_dir = pathlib.Path(argv[1] if len(argv) > 1 else "bazel-testlogs/tests/live")
    files = sorted(root_dir.rglob("test.xml"))
    if not files:
        print(f"no test.xml under {root_dir}", file=sys.stderr)
        return 1
    rows = 0
    unreadable = 0
    for xml_file in files:
        try:
            root = ET.parse(xml_file).getroot()
        except (ET.ParseError, OSError) as err:
            unreadable += 1
            print(f"report_verdicts: skipped {xml_file}: unreadable XML ({shown(err)})",
                  file=sys.stderr)
            continue
        for case in root.iter("testcase"):
            props = {k: shown(v) for k, v in properties(case).items() if v is not None}
            failed = case.find("failure") is not None or case.find("error") is not None
            name = shown(f"{case.get('classname', '')}.{case.get('name', '')}")
            print(f"{'FAIL' if failed else 'ok  '} {name}: verdict={props.get('verdict', '-')} "
                  f"platform_secs={props.get('platform_secs', '-')} "
                  f"status={props.get('response_status', '-')} "
                  f"transitions={props.get('status_transitions') or 'none'} "
                  f"heartbeat_history={props.get('heartbeat_history_available', '-')}")
            if props.get("verdict_reason"):
                print(f"     because {props['verdict_reason']}")
            rows += 1
    return 0 if rows and not unreadable else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
