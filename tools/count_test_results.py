#!/usr/bin/env python3
"""Counts test cases in the JUnit XML files Bazel leaves under bazel-testlogs.

Usage: count_test_results.py DIR [DIR...] [--bazel-log DIR=LOG ...]
Prints "N passed, N failed" as its last line (skipped cases on a line before it) and
exits 1 when any case failed or no case was found at all (a run that tested nothing).
A test.xml that Bazel synthesised for a crash or timeout counts as one failed case.
With --bazel-log, a target that `bazel test` reported as failed while its XML shows no
failing case (a sanitizer report at exit, say) counts as one more failed case.
"""
import pathlib
import re
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


FAILED_TARGET = re.compile(r"^(//\S+)\s+(FAILED|TIMEOUT|NO STATUS|INCOMPLETE)\b")


def failed_targets(log_file):
    """Labels `bazel test` summarised as not passing."""
    labels = []
    with open(log_file, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = FAILED_TARGET.match(line)
            if match:
                labels.append(match.group(1))
    return labels


def xml_has_failure(xml_dir):
    for xml_file in pathlib.Path(xml_dir).rglob("test.xml"):
        try:
            root = ET.parse(xml_file).getroot()
        except ET.ParseError:
            return True
        for case in root.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                return True
    return False


def main(argv):
    dirs, logs = [], []
    args = iter(argv[1:])
    for arg in args:
        if arg == "--bazel-log":
            logs.append(next(args, "").split("=", 1))
        else:
            dirs.append(arg)
    if not dirs or any(len(pair) != 2 for pair in logs):
        print("usage: count_test_results.py DIR [DIR...] [--bazel-log DIR=LOG ...]",
              file=sys.stderr)
        return 2
    passed, failed, skipped, failures = count(dirs)
    for results_dir, log_file in logs:
        for label in failed_targets(log_file):
            package, _, name = label[2:].partition(":")
            target_dir = pathlib.Path(results_dir, package, name)
            if not xml_has_failure(target_dir):
                failed += 1
                failures.append(f"{label}: bazel reports it failed outside its test cases "
                                f"(see {target_dir}/test.log)")
    for line in failures:
        print(f"FAILED: {line}")
    if skipped:
        print(f"{skipped} skipped")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
