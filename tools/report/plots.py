"""The report's figures as inline SVG strings (matplotlib, Agg backend, no fonts embedded).

Every time axis is in platform seconds (wall seconds / TIME_SCALE), the unit the verdict
thresholds use (docs/verdicts.md). The drawn thresholds come from the platform documents:
60 s and 300 s (verdicts, DELEGATION_TIMEOUT), the 90 s sync budget after which the kickoff is
acknowledged `queued` (platform-api-2026-08.md section 4), the stall watchdog's probe after
12 min and restart 5 min later, and the idle timer's 30 min (section 6).
"""
import io
import re
from datetime import datetime

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.markers import MarkerStyle  # noqa: E402

matplotlib.rcParams.update({"svg.fonttype": "none", "font.size": 9})

THRESHOLDS = (  # (platform seconds, label, line style)
    (60, "60 s: not informative below", ":"),
    (90, "90 s: sync budget (queued ack)", "--"),
    (300, "300 s: DELEGATION_TIMEOUT", ":"),
    (720, "12 min: stall watchdog probe", "--"),
    (1020, "17 min: stall watchdog restart", "--"),
    (1800, "30 min: idle timer", "--"),
)

VERDICT_STYLE = {  # verdict -> (marker, colour)
    "not_informative": ("o", "#9e9e9e"),
    "within_delegation_timeout": ("s", "#1f77b4"),
    "unbounded": ("*", "#d62728"),
    "bounded_by_platform": ("v", "#2ca02c"),
    "bounded_by_agent": ("^", "#9467bd"),
    "agent_failed": ("x", "#8c564b"),
    "kickoff_refused": ("X", "#e377c2"),
    "harness_timeout": ("D", "#ff7f0e"),
    "inconclusive": ("P", "#7f7f7f"),
    "no_verdict": ("d", "#000000"),
}
STATUS_COLOURS = {"online": "#2ca02c", "degraded": "#ff7f0e", "failed": "#d62728",
                  "offline": "#7f7f7f", "paused": "#17becf", "removed": "#000000"}


def plain(text):
    """`text` for matplotlib as literal text: a `$` would otherwise start mathtext, and a
    remote string with an unbalanced one would stop the report."""
    return str(text).replace("$", r"\$")


def verdict_style(verdict):
    return VERDICT_STYLE.get(verdict, ("h", "#bcbd22"))


def to_svg(figure, name):
    """The figure as an <svg> element string (no XML prolog), ids salted by `name` so several
    figures can share one page."""
    matplotlib.rcParams["svg.hashsalt"] = name
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def _draw_thresholds(axes):
    for seconds, label, style in THRESHOLDS:
        axes.axhline(seconds, color="#555555", linestyle=style, linewidth=0.8)
        axes.annotate(label, (1.0, seconds), xycoords=("axes fraction", "data"),
                      xytext=(4, 0), textcoords="offset points", va="center", fontsize=7)


def _median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _line_name(run):
    """A depth plot's line: the scenario, and the fake's profile when known, so runs of
    2026-04 and 2026-08 are never one median (render.group_key)."""
    return " ".join(p for p in (run["scenario"], run.get("profile")) if p)


def _scatter_run(panel, run, x, colour):
    """One run's marker: hollow when its task time is a lower bound. An unfilled marker
    ('x') has no face to hollow out, and matplotlib warns when given edge colours for it, so
    it is drawn in its colour, faded for a lower bound."""
    marker, _ = verdict_style(run["verdict"])
    lower = run["task_secs_lower_bound"]
    if MarkerStyle(marker).is_filled():
        panel.scatter([x], [run["task_platform_secs"]], marker=marker, s=55,
                      facecolors="none" if lower else colour, edgecolors=colour, zorder=3)
    else:
        panel.scatter([x], [run["task_platform_secs"]], marker=marker, s=55, color=colour,
                      alpha=0.45 if lower else 1.0, zorder=3)


def depth_plot(runs):
    """Task platform seconds against depth, one panel per variant, one line per scenario
    (median over repeats), each run a marker shaped by its verdict; hollow = lower bound (the
    test ended while the task ran)."""
    variants = sorted({r["variant"] for r in runs})
    figure, panels = plt.subplots(1, len(variants), figsize=(7.5 * len(variants), 4.2),
                                  squeeze=False)
    for panel, variant in zip(panels[0], variants):
        mine = [r for r in runs if r["variant"] == variant and r["task_platform_secs"]]
        scenarios = sorted({_line_name(r) for r in mine})
        for index, scenario in enumerate(scenarios):
            colour = f"C{index % 10}"
            # A small sideways offset per scenario keeps equal times apart.
            shift = (index - (len(scenarios) - 1) / 2) * 0.08
            points = [r for r in mine if _line_name(r) == scenario and r["depth"] is not None]
            depths = sorted({r["depth"] for r in points})
            medians = [_median([r["task_platform_secs"] for r in points if r["depth"] == d])
                       for d in depths]
            panel.plot([d + shift for d in depths], medians, color=colour, linewidth=1,
                       label=plain(scenario))
            for run in points:
                _scatter_run(panel, run, run["depth"] + shift, colour)
        _draw_thresholds(panel)
        panel.set(title=plain(f"{variant}: task time by depth"), xlabel="synthesis depth",
                  ylabel="task (platform seconds, log scale)", yscale="log", ylim=(10, 2600))
        panel.set_xticks(sorted({r["depth"] for r in mine if r["depth"] is not None}) or [1])
        panel.grid(True, axis="y", which="major", alpha=0.3)
        _verdict_legend(panel, {r["verdict"] for r in mine})
    return to_svg(figure, "depth")


def _verdict_legend(panel, verdicts, below=0.16):
    """Legend of the lines and of the verdict markers, `below` axes heights under the plot."""
    handles, labels = panel.get_legend_handles_labels()
    for verdict in sorted(verdicts):
        marker, _ = verdict_style(verdict)
        handles.append(plt.Line2D([], [], marker=marker, linestyle="", color="#333333"))
        labels.append(plain(verdict))
    panel.legend(handles, labels, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -below),
                 ncol=4)


def _parse_ts(text):
    try:
        return datetime.strptime(str(text), "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
    except ValueError:
        return None


_ROWS = ("harness", "platform", "status", "cleanup")
_PLATFORM_ACTION = re.compile(r"platform_action|stall|restart|requeue|re_dispatch|redispatch|"
                              r"liveness|header_timeout|terminated|ceiling")


def _event_row(event):
    """(row, label) where an event goes on the timeline, or None to leave it out."""
    name, data = event.get("event", ""), event.get("data") or {}
    data = data if isinstance(data, dict) else {}
    if name == "a2a_kickoff_sent":
        return "harness", "kickoff"
    if name == "a2a_response_observed":
        if data.get("outcome") in ("no_response", "timeout", "harness_timeout"):
            return "harness", "harness timeout (no answer)"
        queued = data.get("outcome") == "queued" or str(data.get("http_status")) == "202"
        return "harness", "queued ack" if queued else f"answer {data.get('http_status', '')}"
    if "queued" in name:
        return "harness", "queued ack"
    if name in ("task_completed", "task_ended", "task_end", "task_finished"):
        return "harness", "task end"
    if "timeout" in name and "platform" not in name:
        return "harness", "harness timeout"
    if name.startswith("cleanup"):
        return "cleanup", name.replace("cleanup_", "")
    if _PLATFORM_ACTION.search(name) or data.get("platform_action"):
        return "platform", name
    return None


def _event_seconds(event, kickoff_ts, scale):
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    # Platform seconds as recorded; -1 is the harness's "unknown" (platform_task_secs).
    for key in ("at_platform_secs", "platform_task_secs", "platform_secs"):
        value = data.get(key)
        if isinstance(value, (int, float)) and value >= 0 and event.get("event") != "verdict":
            return float(value)
    stamp = _parse_ts(event.get("ts"))
    if stamp is None or kickoff_ts is None or not scale:
        return None
    return (stamp - kickoff_ts) / scale


def timeline(run):
    """One run's events on a platform-seconds axis since the kickoff: harness actions
    (kickoff, queued ack, answer, task end, harness timeout), platform actions, the
    PM's status samples coloured by status, and cleanup. None when the run has no kickoff."""
    events = run["events"]
    kickoff = next((e for e in events if e.get("event") == "a2a_kickoff_sent"), None)
    if kickoff is None:
        return None
    scale = run["time_scale"] or next((e["data"].get("time_scale") for e in events
                                       if e.get("event") == "run_started"
                                       and isinstance(e.get("data"), dict)), None)
    kickoff_ts = _parse_ts(kickoff.get("ts"))
    figure, axes = plt.subplots(figsize=(9, 1.9))
    statuses = {}
    for event in events:
        seconds = _event_seconds(event, kickoff_ts, scale)
        if seconds is None:
            continue
        if event.get("event") == "status_sample":
            status = str(event["data"].get("status", "?"))
            statuses.setdefault(status, []).append(seconds)
            continue
        placed = _event_row(event)
        if placed:
            row, label = placed
            axes.scatter([seconds], [_ROWS.index(row)], marker="|", s=160, color="#333333")
            axes.annotate(plain(label), (seconds, _ROWS.index(row)), xytext=(2, 5),
                          textcoords="offset points", fontsize=7, rotation=20)
    for status, seconds in sorted(statuses.items()):
        axes.scatter(seconds, [_ROWS.index("status")] * len(seconds), s=14, label=plain(status),
                     color=STATUS_COLOURS.get(status, "#bcbd22"))
    if run["outcome"] in ("timed_out", "crashed", "unfinished"):
        axes.annotate(f"test {run['outcome'].replace('_', ' ')}: evidence ends here",
                      (1.0, 0.02), xycoords="axes fraction", ha="right", fontsize=7,
                      color="#d62728")
    axes.set_yticks(range(len(_ROWS)))
    axes.set_yticklabels(_ROWS)
    axes.set_ylim(-0.6, len(_ROWS) - 0.2)
    axes.set_xlabel("platform seconds since kickoff")
    axes.grid(True, axis="x", alpha=0.3)
    if statuses:
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), title="status")
    return to_svg(figure, f"timeline-{run['name']}-{run['location']}")


def trend_plot(history):
    """Task platform seconds per night for each (variant, scenario, depth), markers by verdict.
    `history` is the nightly history's entries (history.py), oldest first."""
    nights = sorted({h["night"] for h in history})
    if not nights:
        return None
    figure, axes = plt.subplots(figsize=(9, 3.8))
    keys = sorted({(h["variant"], h["scenario"], h["depth"] or 0) for h in history})
    for index, key in enumerate(keys):
        entries = [h for h in history if (h["variant"], h["scenario"], h["depth"] or 0) == key
                   and h.get("task_platform_secs")]
        xs = [nights.index(h["night"]) for h in entries]
        colour = f"C{index % 10}"
        axes.plot(xs, [h["task_platform_secs"] for h in entries], color=colour, linewidth=0.8,
                  label=plain(f"{key[0]} {key[1]} depth {key[2]}"))
        for x, entry in zip(xs, entries):
            axes.scatter([x], [entry["task_platform_secs"]], color=colour, s=40, zorder=3,
                         marker=verdict_style(entry["verdict"])[0])
    _draw_thresholds(axes)
    axes.set(yscale="log", ylim=(10, 2600), xlabel="night", ylabel="task (platform seconds)",
             title="task time and verdict, night by night")
    axes.set_xticks(range(len(nights)))
    axes.set_xticklabels([plain(n) for n in nights], rotation=30, ha="right", fontsize=7)
    _verdict_legend(axes, {h["verdict"] for h in history}, below=0.32)
    return to_svg(figure, "trend")
