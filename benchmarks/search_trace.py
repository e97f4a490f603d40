"""Reads a trace of ``benchmarks/search_trace.mjs``: the page's marks, the main thread's tasks of 8 ms or more
(with their longest parts) and each request's send, response and finish, in ms after navigation start; and
from ``search:start`` to the first result (``woo-search:display``) how long the main thread was busy, and its
thread time (CPU time, the trace's ``tdur``) per kind of work (search20: the main thread was busy nearly all of
that time at 4x, so only less work, not work moved elsewhere on the main thread, brings the first result forward).

Run: python3 benchmarks/search_trace.py trace.json [UNTIL-MS]
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    events = json.loads(open(sys.argv[1], encoding="utf-8").read())
    events = events["traceEvents"] if isinstance(events, dict) else events
    until = float(sys.argv[2]) if len(sys.argv) > 2 else float("inf")
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    main_thread = {k for k, v in threads.items() if v == "CrRendererMain"}
    # Chromium's own pages (the omnibox's WebUI in headless mode) have renderer main threads too, whose
    # tasks would read as the page's: only the renderer that made the page's marks (search20).
    page = {e["pid"] for e in events if e.get("name") == "search:start"}
    if page:
        main_thread = {k for k in main_thread if k[0] in page}
    t0 = min(e["ts"] for e in events if e.get("name") == "navigationStart" and (e["pid"], e["tid"]) in main_thread)
    ms = lambda ts: (ts - t0) / 1000  # noqa: E731
    marks = {e["name"]: round(ms(e["ts"])) for e in events if e.get("cat", "").startswith("blink.user_timing")}
    print("marks:", marks)
    on_main = [e for e in events if (e["pid"], e["tid"]) in main_thread and e.get("ph") == "X"]
    for task in sorted((e for e in on_main if e.get("name") == "RunTask"), key=lambda e: e["ts"]):
        if ms(task["ts"]) > until:
            break
        if task.get("dur", 0) < 8000:
            continue
        parts = [
            e for e in on_main if e is not task and task["ts"] <= e["ts"] <= task["ts"] + task["dur"] and e.get("dur", 0) > 2000
        ]
        described = []
        for e in parts[:6]:
            data = (e.get("args") or {}).get("data") or {}
            where = str(data.get("url") or data.get("functionName") or "").rsplit("/", 1)[-1]
            described.append(f"{e['name']}{f'({where})' if where else ''} {e['dur'] / 1000:.0f}")
        print(f"{ms(task['ts']):7.0f} +{task['dur'] / 1000:4.0f} ms  {', '.join(described)}")
    requests: dict[str, dict] = {}
    for e in events:
        name = e.get("name")
        if name not in ("ResourceSendRequest", "ResourceReceiveResponse", "ResourceFinish"):
            continue
        if page and e["pid"] not in page:  # another renderer's (see above)
            continue
        data = e["args"]["data"]
        r = requests.setdefault(data.get("requestId"), {})
        if name == "ResourceSendRequest":
            r["url"], r["send"] = data["url"].split("?")[0].rsplit("/", 1)[-1] or data["url"], ms(e["ts"])
        elif name == "ResourceReceiveResponse":
            timing = data.get("timing") or {}
            r["response"] = ms(e["ts"])
            r["server"] = timing.get("receiveHeadersEnd", 0) - timing.get("sendStart", 0) if timing else None
        else:
            r["finish"] = ms(e["ts"])
    busy(on_main, events, page)
    print("request                                   sent  response  finished  (server: sent to headers, ms)")
    for r in sorted(requests.values(), key=lambda r: r.get("send", 0)):
        if "url" in r and not r["url"].startswith("data:"):
            server = "" if r.get("server") is None else f"{r['server']:.0f}"
            print(f"{r['url'][:40]:40} {r.get('send', 0):6.0f} {r.get('response', 0):9.0f} {r.get('finish', 0):9.0f}  {server}")


KINDS = {
    "UpdateLayoutTree": "style",
    "Layout": "layout",
    "PrePaint": "paint",
    "Paint": "paint",
    "Layerize": "paint",
    "Commit": "paint",
    "ParseHTML": "HTML",
    "ParseAuthorStyleSheet": "CSS",
    "MinorGC": "GC",
    "MajorGC": "GC",
    "RunMicrotasks": "script",
    "FunctionCall": "script",
    "EvaluateScript": "script",
    "v8.evaluateModule": "script",
    "TimerFire": "script",
    "EventDispatch": "script",
}


def busy(on_main: list, events: list, page: set) -> None:
    """The main thread from search:start to the first result: wall ms in tasks, thread ms, thread ms per kind of
    the tasks' direct parts (what is left: the tasks' own work, mostly handling network responses)."""
    marks = {e["name"]: e["ts"] for e in events if e.get("cat", "").startswith("blink.user_timing") and e["pid"] in page}
    a, b = marks.get("search:start"), marks.get("woo-search:display")
    if a is None or b is None:
        return
    within = lambda e: max(0, min(e["ts"] + e.get("dur", 0), b) - max(e["ts"], a))  # noqa: E731
    tasks = [e for e in on_main if e.get("name") == "RunTask" and within(e) > 0]
    wall = sum(within(e) for e in tasks) / 1000
    thread = sum((e.get("tdur") or 0) * within(e) / max(e.get("dur", 0), 1) for e in tasks) / 1000
    kinds: dict[str, float] = {}
    for task in tasks:
        end = task["ts"] + task.get("dur", 0)
        parts = sorted(
            (e for e in on_main if e is not task and task["ts"] <= e["ts"] < end and a <= e["ts"] < b),
            key=lambda e: (e["ts"], -e.get("dur", 0)),
        )
        covered = -1.0
        for e in parts:  # direct parts only: the first of each span (nested events lie within it)
            if e["ts"] < covered:
                continue
            covered = e["ts"] + e.get("dur", 0)
            kind = KINDS.get(e["name"], "other")
            kinds[kind] = kinds.get(kind, 0.0) + (e.get("tdur") or 0) / 1000
    print(
        f"search:start to first result: {(b - a) / 1000:.0f} ms, main thread busy {wall:.0f} ms, thread time {thread:.0f} ms "
        f"({', '.join(f'{k} {v:.0f}' for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))}, "
        f"the tasks' own {max(0.0, thread - sum(kinds.values())):.0f})"
    )


if __name__ == "__main__":
    main()
