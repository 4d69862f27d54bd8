#!/usr/bin/env python3
"""Prints one line per depth-sweep test case from JUnit XML: verdict, timing, evidence.

Usage: report_verdicts.py [DIR]   (default: bazel-testlogs/tests/live)
Reads the <property> elements the sweep records (gtest 1.12 writes per-test properties as
children of <testcase>; attributes are read too, for other gtest versions).
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

KEYS = ("verdict", "platform_secs", "elapsed_secs", "response_status",
        "status_transitions", "heartbeat_history_available", "pm_id", "child_id",
        "verdict_reason")


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
    for xml_file in files:
        for case in ET.parse(xml_file).getroot().iter("testcase"):
            props = properties(case)
            failed = case.find("failure") is not None or case.find("error") is not None
            name = f"{case.get('classname', '')}.{case.get('name', '')}"
            print(f"{'FAIL' if failed else 'ok  '} {name}: verdict={props.get('verdict', '-')} "
                  f"platform_secs={props.get('platform_secs', '-')} "
                  f"status={props.get('response_status', '-')} "
                  f"transitions={props.get('status_transitions') or 'none'} "
                  f"heartbeat_history={props.get('heartbeat_history_available', '-')}")
            if props.get("verdict_reason"):
                print(f"     because {props['verdict_reason']}")
            rows += 1
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
