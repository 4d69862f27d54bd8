"""Turns run records into the report: one self-contained HTML page (inline CSS and SVG, no
scripts, nothing fetched) and a JSON summary. Jinja2 with autoescape on, so every string in
the page is escaped; only matplotlib's SVG is inserted as markup."""
import datetime
import os

import jinja2
from markupsafe import Markup

import plots
from sanitize import markdown_text

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
SUMMARY_FIELDS = ("name", "location", "variant", "scenario", "profile", "backend", "platform",
                  "run_tag",
                  "depth", "repeat", "outcome",
                  "partial", "verdict", "mechanism", "reason", "task_platform_secs",
                  "task_secs_source", "task_secs_lower_bound", "call_secs", "task_secs",
                  "platform_task_secs", "platform_secs", "elapsed_secs", "time_scale",
                  "platform_git_sha", "pm_id", "child_id", "cleanup", "sources")


def group_key(run):
    """What a repeat repeats: the same variant, scenario, fake profile, backend and depth
    (extract.make_run reads them from run.json's identity or the test name and properties)."""
    return run["variant"], run["scenario"], run["profile"], run["backend"], run["depth"]


def group_name(variant, scenario, profile, backend):
    """A group's identity but its depth as one label: "measure ClaudeCodeDefault /
    agent_failure / 2026-08 / embedded_fake"; parts a run does not know are left out."""
    # A run against a platform has its backend as its scenario ("platform",
    # extract.make_run): named once.
    parts = (variant, scenario, profile, backend if backend != scenario else "")
    return " / ".join(p for p in parts if p)


def repeat_groups(runs):
    """Per group_key: its name, run count, verdict counts and, over the runs with a task
    time, its median/min/max in platform seconds."""
    groups = {}
    for run in runs:
        groups.setdefault(group_key(run), []).append(run)
    summary = []
    for key, members in sorted(groups.items(), key=lambda i: (
            i[0][:4], i[0][4] or 0)):
        variant, scenario, profile, backend, depth = key
        seconds = sorted(r["task_platform_secs"] for r in members if r["task_platform_secs"])
        verdicts = {}
        for run in members:
            verdicts[run["verdict"]] = verdicts.get(run["verdict"], 0) + 1
        summary.append({
            "name": group_name(*key[:4]), "variant": variant, "scenario": scenario,
            "profile": profile, "backend": backend, "depth": depth, "runs": len(members),
            "verdicts": verdicts,
            "mechanisms": sorted({r["mechanism"] for r in members if r["mechanism"]}),
            "median_secs": plots._median(seconds) if seconds else None,
            "min_secs": seconds[0] if seconds else None,
            "max_secs": seconds[-1] if seconds else None,
        })
    return summary


# What ended a task, in words, by mechanism (docs/verdicts.md).
MECHANISM_WORDS = {
    "idle_timer": "the idle timer", "stall_watchdog": "the stall watchdog",
    "container_restart": "a container restart",
    "response_header_timeout": "the response-header timeout",
    "platform_error": "a platform error", "status_transition": "a status change",
    "task_ceiling": "a task ceiling", "agent_time_limit": "the agent's own time limit",
    "agent_idle_cap": "the agent's completion idle cap",
}
COMPLETED = ("not_informative", "within_delegation_timeout", "unbounded")
BOUNDED = ("bounded_by_platform", "bounded_by_agent")


def is_fake(run):
    return run["backend"] == "embedded_fake"


def where(run):
    """What a run measured, in words: the embedded fake (a model) or a platform at its URL."""
    if is_fake(run):
        return f"the embedded fake platform (profile {run['profile'] or 'unknown'})"
    place = f"the platform at {run['platform']}" if run["platform"] else "a platform"
    return place + (f", build {run['platform_git_sha'][:8]}" if run["platform_git_sha"] else "")


def _secs(value):
    return f"{value:,.0f} s"


def _answer(members):
    """The clauses of one sentence: the longest completion, the earliest end of each
    mechanism, the tasks still running at A2A_TIMEOUT, the runs that said nothing."""
    parts = []
    timed = [r for r in members if r["task_platform_secs"]]
    done = [r for r in timed if r["verdict"] in COMPLETED]
    if done:
        longest = max(done, key=lambda r: r["task_platform_secs"])
        word = ("unbounded" if longest["verdict"] == "unbounded"
                else f"and completed ({longest['verdict']})")
        parts.append(f"a depth-{longest['depth']} task ran "
                     f"{_secs(longest['task_platform_secs'])} {word}")
    firsts = {}
    for run in timed:
        if run["verdict"] in BOUNDED and run["mechanism"]:
            known = firsts.get(run["mechanism"])
            if known is None or run["task_platform_secs"] < known["task_platform_secs"]:
                firsts[run["mechanism"]] = run
    for mechanism, run in sorted(firsts.items(), key=lambda i: i[1]["task_platform_secs"]):
        words = MECHANISM_WORDS.get(mechanism, mechanism)
        # The task's end, which is not always the mechanism's moment: an idle-timer cancel
        # is re-dispatched and ends later (the reason says when the mechanism acted).
        parts.append(f"{words} bounded one, which ended at {_secs(run['task_platform_secs'])}")
    running = [r for r in members if r["verdict"] == "harness_timeout"]
    if running:
        longest = max((r["task_platform_secs"] or 0 for r in running))
        parts.append(f"{len(running)} task(s) still ran when A2A_TIMEOUT ended the run"
                     + (f" (at {_secs(longest)})" if longest else ""))
    silent = sorted({r["verdict"] for r in members
                     if r["verdict"] not in COMPLETED + BOUNDED + ("harness_timeout",)})
    if silent:
        count = sum(r["verdict"] in silent for r in members)
        parts.append(f"{count} run(s) said nothing about bounds ({', '.join(silent)})")
    return parts


def headline(runs):
    """One sentence per variant and what it ran against, e.g. "On the platform at
    https://staging.example, build 1a2b3c4d, a depth-8 task ran 440 s unbounded; the idle
    timer ended one at 1,800 s." Platform seconds."""
    groups = {}
    for run in runs:
        groups.setdefault((where(run), run["variant"]), []).append(run)
    several = len({variant for _, variant in groups}) > 1
    sentences = []
    for (place, variant), members in sorted(groups.items()):
        parts = _answer(members) or [f"{len(members)} run(s) without a task time"]
        label = f" ({variant})" if several else ""
        sentences.append(f"On {place}{label}, " + "; ".join(parts) + ".")
    return sentences


def backend_statement(runs):
    """One plain sentence: whether these runs measured the embedded fake, a platform, or both."""
    fakes = sum(is_fake(r) for r in runs)
    places = sorted({r["platform"] or "an unnamed platform" for r in runs if not is_fake(r)})
    if runs and fakes == len(runs):
        return ("Every run was against the embedded fake platform, the suite's model of the "
                "platform: these are not measurements of a real platform.")
    if not fakes:
        return "Every run was against a platform: " + ", ".join(places) + "."
    return (f"{fakes} run(s) were against the embedded fake platform (a model), "
            f"{len(runs) - fakes} against a platform: " + ", ".join(places) + ".")


def summary(runs, skipped, inputs, left_out=None):
    """The JSON summary: the headline, every run's fields (not its events), the repeat
    groups, the skipped files and the test cases left out (not measurements). Shapes are
    those of extract.make_run and repeat_groups."""
    return {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ"),
        "inputs": inputs,
        "headline": headline(runs),
        "backends": backend_statement(runs) if runs else "",
        "left_out": left_out or [],
        "runs": [dict({k: r[k] for k in SUMMARY_FIELDS}, event_count=len(r["events"]))
                 for r in runs],
        "groups": repeat_groups(runs),
        "skipped": skipped,
    }


def left_out_line(left_out):
    """One line on the test cases the report did not take (not measurements); "" for none."""
    total = sum(item["cases"] for item in left_out)
    if not total:
        return ""
    named = ", ".join(f"{item['location']} ({item['cases']})" for item in left_out[:4])
    more = f" and {len(left_out) - 4} more" if len(left_out) > 4 else ""
    return (f"Left out {total} test case(s) of {len(left_out)} test(s) that are not "
            f"measurements (the suite's own tests): {named}{more}.")


def summary_markdown(report_summary, title="Coordinator task bounds"):
    """The page's answer as Markdown for a CI job's summary: the headline sentences, what the
    runs were against, what was left out."""
    lines = [f"## {markdown_text(title)}", ""]
    if not report_summary["runs"]:
        return "\n".join(lines + ["No runs found: nothing was measured.", ""])
    lines += [f"- {markdown_text(sentence)}" for sentence in report_summary["headline"]]
    lines += ["", markdown_text(report_summary["backends"])]
    left = left_out_line(report_summary["left_out"])
    if left:
        lines += ["", markdown_text(left)]
    return "\n".join(lines + [""])


def _fmt(value):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"
    return str(value)


def _short(identifier):
    """First 8 characters of an id or sha (the full value is in the cell's title)."""
    return f"{identifier[:8]}…" if identifier and len(identifier) > 9 else (identifier or "–")


def render_html(runs, report_summary, history=None, title="Coordinator task bounds"):
    """The HTML page as a string."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
        undefined=jinja2.StrictUndefined)
    environment.filters["fmt"] = _fmt
    environment.filters["short"] = _short
    timelines = []
    for index, run in enumerate(runs):
        svg = plots.timeline(run)
        timelines.append({"index": index, "run": run, "svg": Markup(svg) if svg else None})
    trend = plots.trend_plot(history) if history else None
    return environment.get_template("report.html.j2").render(
        title=title, summary=report_summary, runs=runs,
        left_out=left_out_line(report_summary.get("left_out", [])),
        depth_svg=Markup(plots.depth_plot(runs)) if runs else None,
        timelines=timelines, trend_svg=Markup(trend) if trend else None,
        thresholds=plots.THRESHOLDS,
        verdict_colours={v: c for v, (_, c) in plots.VERDICT_STYLE.items()})
