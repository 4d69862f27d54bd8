"""Reads test results into one record per run (docs/runs.md "Where results land").

Inputs are bazel-testlogs trees or results directories. For each test directory (one holding
test.xml or test.log; a shard `shard_K_of_N/` or a repeat `run_K_of_N/` is one) the record of
each test case comes from, in order of precedence:
  1. the <property> elements of its <testcase> in test.xml (gtest 1.12 writes them as
     children; attributes are read too);
  2. run.json, when the run wrote one (issue 11 artifacts), flattened one level;
  3. its JSON-line events: events.jsonl (under test.outputs/, in test.outputs/outputs.zip, or in
     a results directory), else the lines of test.log between `[ RUN      ] <name>` and the
     next test.
A test.xml that Bazel wrote itself after a timeout or crash (one <testcase> without a
`classname`, "Timed out" / "exited with error code N") carries no properties: the runs are
then recovered from test.log and the artifacts, marked `partial`.

Bad input never stops the report: a file that cannot be read is listed in `skipped` with the
reason, and a line of an events file that is not JSON (a run killed mid-write) is counted.
"""
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile

from sanitize import clean, clean_tree

RESULT_FILES = ("test.xml", "test.log")
ARTIFACT_FILES = ("events.jsonl", "run.json")
_RUN_LINE = re.compile(r"^\[ RUN      \] (\S+)")
_END_LINE = re.compile(r"^\[\s+(OK|FAILED|SKIPPED)\s+\] (\S+)")
_CASE_NAME = re.compile(r"^(?P<scenario>.*?)Depth(?P<depth>\d+)(?:Run(?P<run>\d+))?$")
_REPEAT_DIR = re.compile(r"(?:^|/)run_(\d+)_of_\d+(?:/|$)")


class Skips:
    """Collects the files (or parts of files) the report could not use, and why, and the test
    cases it left out because they are not measurements."""

    def __init__(self):
        self.items = []
        self.left_out = []

    def add(self, path, reason):
        self.items.append({"file": clean(str(path), 300), "reason": clean(reason, 300)})

    def leave_out(self, location, cases):
        if cases:
            self.left_out.append({"location": clean(str(location), 300), "cases": cases})


def is_measurement_case(name):
    """Whether a gtest case is a measurement: a case of the depth sweep's one test,
    `<Prefix>/<Suite>.Kickoff/<Param>` (tests/coordinator_task_bounds_test.cc). Every other
    test (janitor_process_test, measure_tool_test, task_verdict_test, ...) checks the suite
    itself; its verdicts and artifacts are no measurement of a platform."""
    method = name.split(".", 1)[1] if "." in name else ""
    return method.split("/", 1)[0] == "Kickoff"


def parse_events(text, origin, skips):
    """JSON-line events `{"ts","event","data"}` from `text`; other lines are ignored, lines
    that start like JSON but do not parse are counted in `skips` once per file."""
    events, bad = [], 0
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            event = json.loads(line)
        except ValueError:
            bad += 1
            continue
        if isinstance(event, dict) and "event" in event:
            events.append(clean_tree(event))
    if bad:
        skips.add(origin, f"{bad} line(s) not valid JSON (truncated write?); kept the rest")
    return events


def _case_properties(case):
    props = {k: v for k, v in case.attrib.items()}
    for prop in case.iter("property"):
        if prop.get("name") is not None:
            props[prop.get("name")] = prop.get("value", "")
    return {clean(k, 80): clean(v) for k, v in props.items()}


def parse_xml(path, skips):
    """(cases, synthetic) from a JUnit test.xml; cases is None when the file is unusable."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        skips.add(path, f"not well-formed XML ({error}); used test.log and artifacts instead")
        return None, False
    # The sweep's environment records what it ran against on the root (backend, platform,
    # time_scale): every case's default, below its own properties.
    defaults = {clean(k, 80): clean(v) for k, v in root.attrib.items()
                if k in ("backend", "platform", "time_scale")}
    cases = []
    for case in root.iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        name = case.get("name", "")
        if case.get("classname"):
            name = f"{case.get('classname')}.{name}"
        cases.append({
            "name": clean(name, 200),
            "props": dict(defaults, **_case_properties(case)),
            "failed": failure is not None,
            "message": clean(failure.get("message", "")) if failure is not None else "",
            "skipped": case.find("skipped") is not None,
            "classname": case.get("classname"),
        })
    synthetic = bool(cases) and not any(c["classname"] for c in cases)
    return cases, synthetic


def parse_log(path, skips):
    """{test name: {"events": [...], "status": passed|failed|skipped|None}} from test.log, in
    the order the tests started; a test with status None never finished."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", errors="replace")
    except OSError as error:
        skips.add(path, f"unreadable ({error})")
        return {}
    segments, current, bad = {}, None, 0
    for line in text.splitlines():
        started = _RUN_LINE.match(line)
        ended = _END_LINE.match(line)
        if started:
            current = clean(started.group(1), 200)
            segments[current] = {"events": [], "status": None}
        elif ended and clean(ended.group(2), 200) in segments:
            segments[clean(ended.group(2), 200)]["status"] = ended.group(1).lower().replace(
                "ok", "passed")
            current = None
        elif current is not None and line.startswith("{"):
            before = len(segments[current]["events"])
            segments[current]["events"] += parse_events(line, path, Skips())
            bad += len(segments[current]["events"]) == before
    if bad:
        skips.add(path, f"{bad} event line(s) not valid JSON (truncated write?); kept the rest")
    return segments


def _read_artifact(name, text, origin, group, skips):
    if name == "events.jsonl":
        group["events"] += parse_events(text, origin, skips)
        return
    try:
        value = json.loads(text)
    except ValueError as error:
        skips.add(origin, f"not valid JSON ({error}); used the events instead")
        return
    if isinstance(value, dict):
        group["run"] = clean_tree(value)
    else:
        skips.add(origin, "run.json is not a JSON object; used the events instead")


def read_artifacts(directory, skips):
    """Artifact groups under `directory` (recursively, including outputs.zip files): one group
    per folder holding events.jsonl and/or run.json, as {"origin", "events", "run"}."""
    groups = {}

    def group_for(key, origin):
        return groups.setdefault(key, {"origin": clean(origin, 1000), "events": [], "run": None})

    for folder, _, files in os.walk(directory):
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name in ARTIFACT_FILES:
                try:
                    with open(path, "rb") as handle:
                        text = handle.read().decode("utf-8", errors="replace")
                except OSError as error:
                    skips.add(path, f"unreadable ({error})")
                    continue
                _read_artifact(name, text, path, group_for(folder, folder), skips)
            elif name.endswith(".zip"):
                _read_zip(path, group_for, skips)
    return [g for g in groups.values() if g["events"] or g["run"]]


def _read_zip(path, group_for, skips):
    try:
        with zipfile.ZipFile(path) as archive:
            for member in sorted(archive.namelist()):
                base = os.path.basename(member)
                if base in ARTIFACT_FILES:
                    text = archive.read(member).decode("utf-8", errors="replace")
                    folder = f"{path}!/{os.path.dirname(member)}"
                    _read_artifact(base, text, f"{path}!/{member}", group_for(folder, folder),
                                   skips)
    except (zipfile.BadZipFile, OSError) as error:
        skips.add(path, f"not a readable zip ({error})")


# run.json sections whose scalars speak for the whole run, first one first: "response" is the
# HTTP call alone (a queued acknowledgement at 90 s), "verdict" and "completed" the task.
_RUN_SECTIONS_FIRST = ("verdict", "completed")


def _flatten(tree):
    """run.json one level flat: nested objects' scalars under `section.key`, and under their
    own key when free, the verdict's and completion's before any other section's."""
    flat = {}
    order = [k for k in _RUN_SECTIONS_FIRST if k in tree] + [
        k for k in tree if k not in _RUN_SECTIONS_FIRST]
    for key in order:
        value = tree[key]
        if isinstance(value, dict):
            for inner, item in value.items():
                if not isinstance(item, (dict, list)):
                    flat[f"{key}.{inner}"] = item
                    flat.setdefault(inner, item)
        elif not isinstance(value, list):
            flat[key] = value
    return flat


def properties_from_events(events):
    """The properties a run's events imply: what its verdict, run_started, provisioning and
    run_completed events recorded (docs/runs.md "Where results land")."""
    props = {}
    for event in events:
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        name = event.get("event")
        if name == "run_started":
            for key in ("synthesis_depth", "time_scale", "platform", "backend", "variant",
                        "scenario", "profile", "platform_git_sha", "run_tag"):
                if key in data:
                    props[key] = data[key]
        elif name in ("pm_provisioned", "child_provisioned"):
            props[name.split("_")[0] + "_id"] = data.get("workspace_id")
        elif name == "verdict":
            props.update({k: v for k, v in data.items() if not isinstance(v, (dict, list))})
            props["verdict_reason"] = data.get("reason", props.get("verdict_reason"))
        elif name == "run_completed":
            props.update({k: v for k, v in data.items() if not isinstance(v, (dict, list))})
    return props


def _number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN is no number


def _known_secs(value):
    """A duration, or None when absent or the harness's -1 "unknown" (platform_task_secs)."""
    number = _number(value)
    return number if number is not None and number >= 0 else None


def _last_platform_secs(events):
    """The latest platform second an event vouches for (status samples carry it)."""
    seconds = [_number((e.get("data") or {}).get("at_platform_secs"))
               for e in events if isinstance(e.get("data"), dict)]
    seconds = [s for s in seconds if s is not None]
    return max(seconds) if seconds else None


def task_seconds(props, events):
    """(platform seconds of the coordinator's task, where the figure came from, is a lower
    bound). Every *_secs figure the harness records is platform seconds except
    `elapsed_secs`, the request's wall seconds (fixtures/run/coordinator_run.h; docs/runs.md "Where
    results land"): only that one is divided by TIME_SCALE. Issue 9's task_secs (kickoff to the
    task's end, followed past a queued acknowledgement) wins over platform_secs (older runs:
    the HTTP call)."""
    scale = _number(props.get("time_scale"))
    for key in ("task_platform_secs", "task_secs", "platform_secs"):
        if _known_secs(props.get(key)) is not None:
            return _known_secs(props[key]), key, False
    if _known_secs(props.get("elapsed_secs")) is not None and scale:
        return _known_secs(props["elapsed_secs"]) / scale, "elapsed_secs / time_scale", False
    last = _last_platform_secs(events)
    if last is not None:
        return last, "last status sample (task still running)", True
    return None, "none", True


def _cleanup_state(props, events):
    names = [e.get("event") for e in events]
    if "cleanup_failed" in names:
        return "failed"
    if "cleanup_skipped" in names:
        return "skipped"
    if props.get("cleanup"):
        return str(props["cleanup"])
    return "ok" if "cleanup_deleted" in names else "unknown"


def make_run(name, props, events, outcome, sources, location):
    """One run record (a plain dict, JSON-ready). `location` is the test directory relative
    to its input root, e.g. tests/live/shard_2_of_3; it names the target and any repeat."""
    last = name.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
    parsed = _CASE_NAME.match(last)
    repeat_dir = _REPEAT_DIR.search(location)
    # What a repeat must share (render.group_key): the test's prefix ("Fake", "Live",
    # "measure") and variant, the scenario, the fake's profile, the backend and the depth. A
    # measurement names them in run.json's "identity", a sweep case in its name and the
    # `profile`/`backend` properties (fixtures/coordinator_fixture.cc).
    variant = name.split("/", 1)[0] if "/" in name else "measure"
    if props.get("variant"):
        variant = f"{variant} {props['variant']}"
    depth = _number(props.get("synthesis_depth"))
    if depth is None and parsed:
        depth = _number(parsed.group("depth"))
    repeat = 1
    if parsed and parsed.group("run"):
        repeat = int(parsed.group("run"))
    elif repeat_dir:
        repeat = int(repeat_dir.group(1))
    secs, secs_source, lower_bound = task_seconds(props, events)
    backend = current_backend(props.get("backend") or _backend_from_name(name))
    # A run against a platform has no fake scenario (live sweep names carry none,
    # "Live/...Depth3"; a measurement's identity names none): its scenario is its backend.
    scenario = (props.get("scenario") or (parsed.group("scenario") if parsed else "")
                or backend or "platform")
    return {
        "name": clean(name, 200), "location": clean(location, 200),
        "variant": clean(variant, 60), "scenario": clean(scenario, 60),
        "profile": clean(props.get("profile") or "", 20),
        "backend": clean(backend, 20),
        "run_tag": clean(props.get("run_tag") or "", 40),
        "platform": clean(props.get("platform") or "", 200),
        "depth": int(depth) if depth is not None else None, "repeat": repeat,
        "outcome": outcome, "partial": bool(not props.get("verdict") or lower_bound),
        "verdict": clean(props.get("verdict") or "no_verdict", 60),
        "mechanism": clean(props.get("mechanism") or "", 60),
        "reason": clean(props.get("verdict_reason") or props.get("reason") or "", 400),
        "task_platform_secs": secs, "task_secs_source": secs_source,
        "task_secs_lower_bound": lower_bound,
        # Platform seconds, but elapsed_secs: wall seconds (docs/runs.md "Where results land").
        "call_secs": _known_secs(props.get("call_secs")),
        "task_secs": _known_secs(props.get("task_secs")),
        "platform_task_secs": _known_secs(props.get("platform_task_secs")),
        "platform_secs": _known_secs(props.get("platform_secs")),
        "elapsed_secs": _known_secs(props.get("elapsed_secs")),
        "time_scale": _number(props.get("time_scale")),
        "platform_git_sha": clean(props.get("platform_git_sha") or "", 64),
        "pm_id": clean(props.get("pm_id") or "", 80),
        "child_id": clean(props.get("child_id") or "", 80),
        "cleanup": clean(_cleanup_state(props, events), 40),
        "sources": [clean(s, 1000) for s in sources], "events": events,
    }


def _backend_from_name(name):
    """The backend a sweep case's prefix implies ("Fake/...", "Live/..."); "" when unknown."""
    prefix = name.split("/", 1)[0]
    return {"Fake": "embedded_fake", "Live": "platform"}.get(prefix, "")


# What the harness recorded as a backend before issue 18 named a platform by what it is
# (client/config.h BackendName): a platform at PLATFORM, loopback or not, was "live".
LEGACY_BACKENDS = {"live": "platform"}


def current_backend(backend):
    """`backend` as the harness records it today: "live" (older runs) reads "platform"."""
    backend = str(backend or "")
    return LEGACY_BACKENDS.get(backend, backend)


def _number_measurements(runs):
    """//tools:measure runs all carry the name measure/Depth<N>: number the repeats of one
    identity 1, 2, ... in the order of their run tags (their start times)."""
    seen = {}
    for run in sorted(runs, key=lambda r: (r["run_tag"], r["location"])):
        if run["name"].startswith("measure/") and run["repeat"] == 1:
            key = (run["variant"], run["scenario"], run["profile"], run["backend"], run["depth"])
            seen[key] = seen.get(key, 0) + 1
            run["repeat"] = seen[key]


def _group_keys(group):
    """Names and ids an artifact group can be matched by."""
    props = dict(properties_from_events(group["events"]))
    props.update(_flatten(group["run"] or {}))
    keys = {str(props[k]) for k in ("test_name", "test", "name", "pm_id") if props.get(k)}
    return keys, props


def _take_group(groups, name, pm_id):
    for group in groups:
        keys, _ = _group_keys(group)
        if name in keys or (pm_id and pm_id in keys):
            groups.remove(group)
            return group
    return None


def _is_sweep_case(name, props, events):
    last = name.rsplit("/", 1)[-1]
    return bool(props.get("verdict") or events or _CASE_NAME.match(last))


def _merged(xml_props, group, log_events):
    """Properties by precedence (XML, run.json, events) and the best event list."""
    events = group["events"] if group and group["events"] else log_events
    props = properties_from_events(events)
    if group and group["run"]:
        props.update(_flatten(group["run"]))
    props.update({k: v for k, v in xml_props.items() if v != ""})
    return props, events


def _unfinished_outcome(synthetic_message):
    text = synthetic_message.lower()
    if "timed out" in text or "142" in text or "sigterm" in text:
        return "timed_out"
    return "crashed" if text else "unfinished"


def runs_from_test_dir(directory, location, skips):
    """The runs of one Bazel test directory (test.xml, test.log, test.outputs/): its
    measurement cases (is_measurement_case) and, in a test that has any, the artifacts no case
    claimed; the others are counted in skips.left_out."""
    xml_path, log_path = (os.path.join(directory, f) for f in RESULT_FILES)
    cases, synthetic = (parse_xml(xml_path, skips) if os.path.exists(xml_path) else (None, False))
    segments = parse_log(log_path, skips) if os.path.exists(log_path) else {}
    outputs = os.path.join(directory, "test.outputs")
    groups = read_artifacts(outputs, skips) if os.path.isdir(outputs) else []
    runs = []
    others = 0
    if cases and not synthetic:
        for case in cases:
            if not is_measurement_case(case["name"]):
                others += 1
                continue
            segment = segments.get(case["name"], {"events": []})
            group = _take_group(groups, case["name"], case["props"].get("pm_id"))
            props, events = _merged(case["props"], group, segment["events"])
            if not _is_sweep_case(case["name"], props, events) or case["skipped"]:
                continue
            outcome = "failed" if case["failed"] else "passed"
            sources = [xml_path] + ([group["origin"]] if group else [log_path])
            runs.append(make_run(case["name"], props, events, outcome, sources, location))
    else:
        message = cases[0]["message"] if cases else ""
        for name, segment in segments.items():
            if not is_measurement_case(name):
                others += 1
                continue
            group = _take_group(groups, name, None)
            props, events = _merged({}, group, segment["events"])
            if not _is_sweep_case(name, props, events):
                continue
            outcome = segment["status"] or _unfinished_outcome(message)
            sources = [log_path] + ([group["origin"]] if group else [])
            runs.append(make_run(name, props, events, outcome, sources, location))
    measured = any(is_measurement_case(c["name"]) for c in cases or []) or any(
        is_measurement_case(name) for name in segments)
    if measured:
        runs += [run_from_group(group, location, "unmatched artifacts") for group in groups]
    else:
        others += len(groups)
    skips.leave_out(location, others)
    return runs


def run_from_group(group, location, outcome="results"):
    """A run known only from its artifacts (a results directory of //tools:measure, or an
    artifact no test case claimed)."""
    keys, props = _group_keys(group)
    name = str(props.get("test_name") or props.get("name") or os.path.basename(
        group["origin"].rstrip("/")) or "run")
    finished = any(e.get("event") in ("run_completed", "run_failed") for e in group["events"])
    outcome = outcome if finished or group["run"] else "unfinished"
    return make_run(name, props, group["events"], outcome, [group["origin"]], location)


def _mtime(folder):
    times = [os.path.getmtime(os.path.join(folder, f)) for f in RESULT_FILES
             if os.path.exists(os.path.join(folder, f))]
    return max(times) if times else 0.0


def _drop_stale(folder, subdirs, files, given, skips):
    """Bazel writes a target's results in one layout per invocation: beside its folder's
    test.xml, or in shard_K_of_N/ or run_K_of_N/ folders, and never removes another layout's.
    When several layouts exist, all but the newest are earlier invocations': each is named in
    `skips` and left out (stale split folders are pruned from `subdirs`). True when the results
    in `folder` itself are stale."""
    layouts = {}
    for name in subdirs:
        match = re.match(r"^(run|shard)_\d+_of_(\d+)$", name)
        if match:
            layouts.setdefault(match.group(1, 2), []).append(name)
    if any(f in files for f in RESULT_FILES):
        layouts[("plain", "")] = []
    if len(layouts) < 2:
        return False
    newest = max(layouts, key=lambda key: max(
        [_mtime(os.path.join(folder, d)) for d in layouts[key]] or [_mtime(folder)]))
    shown = os.path.normpath(os.path.join(given, os.path.relpath(folder, os.path.realpath(given))))
    for key, names in layouts.items():
        if key == newest:
            continue
        for path in [os.path.join(shown, n) for n in names] or [shown]:
            skips.add(path, "results of an earlier `bazel test` of this target (newer ones "
                            "beside them); ignored")
        subdirs[:] = [d for d in subdirs if d not in names]
    return newest != ("plain", "")


def load_runs(inputs, left_out=None):
    """(runs, skipped) from bazel-testlogs trees and results directories. Runs are ordered by
    variant, scenario, depth, repeat; skipped lists {"file", "reason"}. Only measurements
    count (sweep cases, //tools:measure results); `left_out`, when a list, receives
    {"location", "cases"} for each test directory whose cases were not measurements."""
    skips, runs = Skips(), []
    for given in inputs:
        root = os.path.realpath(given)
        if not os.path.isdir(root):
            skips.add(given, "not a directory")
            continue
        for folder, subdirs, files in os.walk(root):
            subdirs.sort()
            location = os.path.normpath(os.path.join(
                os.path.basename(os.path.normpath(given)), os.path.relpath(folder, root)))
            if _drop_stale(folder, subdirs, files, given, skips):
                continue
            found = []
            if any(f in files for f in RESULT_FILES):
                found = runs_from_test_dir(folder, location, skips)
                subdirs[:] = [d for d in subdirs if d != "test.outputs"]
            elif any(f in files for f in ARTIFACT_FILES):
                found = [run_from_group(g, location) for g in read_artifacts(folder, skips)]
                subdirs[:] = []
            for run in found:  # sources as the user named them, not Bazel's output base
                run["sources"] = [os.path.join(given, os.path.relpath(s, root))
                                  if s.startswith(root + os.sep) else s for s in run["sources"]]
            runs += found
    if left_out is not None:
        left_out.extend(skips.left_out)
    _number_measurements(runs)
    runs.sort(key=lambda r: (r["variant"], r["scenario"], r["profile"], r["backend"],
                             r["depth"] or 0, r["repeat"], r["name"]))
    return runs, skips.items
