#!/usr/bin/env python3
"""Counts test cases in the JUnit XML files Bazel leaves under bazel-testlogs.

Usage: count_test_results.py DIR [DIR...]
Prints "N passed, N failed" as its last line (skipped cases on a line before it) and
exits 1 when any case failed or no case was found at all (a run that tested nothing).
A test.xml that Bazel synthesised for a crash or timeout counts as one failed case.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET


def count(paths):
    passed = failed = skipped = 0
    failures = []
    for root_dir in paths:
        for xml_file in sorted(pathlib.Path(root_dir).rglob("test.xml")):
            try:
                root = ET.parse(xml_file).getroot()
            except ET.ParseError as err:
                failed += 1
                failures.append(f"{xml_file}: unreadable XML ({err})")
                continue
            for case in root.iter("testcase"):
                name = f"{case.get('classname', '')}.{case.get('name', '')}".lstrip(".")
                if case.find("failure") is not None or case.find("error") is not None:
                    failed += 1
                    failures.append(f"{xml_file.parent.name}: {name}")
                elif case.get("result") == "skipped" or case.find("skipped") is not None \
                        or case.get("status") == "notrun":
                    skipped += 1
                else:
                    passed += 1
    return passed, failed, skipped, failures


def main(argv):
    if len(argv) < 2:
        print("usage: count_test_results.py DIR [DIR...]", file=sys.stderr)
        return 2
    passed, failed, skipped, failures = count(argv[1:])
    for line in failures:
        print(f"FAILED: {line}")
    if skipped:
        print(f"{skipped} skipped")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
