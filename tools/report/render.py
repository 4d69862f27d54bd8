"""Turns run records into the report: one self-contained HTML page (inline CSS and SVG, no
scripts, nothing fetched) and a JSON summary. Jinja2 with autoescape on, so every string in
the page is escaped; only matplotlib's SVG is inserted as markup."""
import datetime
import os

import jinja2
from markupsafe import Markup

import plots

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
SUMMARY_FIELDS = ("name", "location", "variant", "scenario", "profile", "backend", "run_tag",
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


def summary(runs, skipped, inputs):
    """The JSON summary: every run's fields (not its events), the repeat groups, the skipped
    files. Shapes are those of extract.make_run and repeat_groups."""
    return {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ"),
        "inputs": inputs,
        "runs": [dict({k: r[k] for k in SUMMARY_FIELDS}, event_count=len(r["events"]))
                 for r in runs],
        "groups": repeat_groups(runs),
        "skipped": skipped,
    }


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
        depth_svg=Markup(plots.depth_plot(runs)) if runs else None,
        timelines=timelines, trend_svg=Markup(trend) if trend else None,
        thresholds=plots.THRESHOLDS,
        verdict_colours={v: c for v, (_, c) in plots.VERDICT_STYLE.items()})
