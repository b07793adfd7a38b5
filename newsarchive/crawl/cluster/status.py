"""`newsarchive cluster status`: workers, leases, queues, items waiting for the writer,
items refused, rounds a stopped worker left unfinished. Heartbeats and those notes are
not signed (they only inform): one that cannot be read is shown as such, and nothing
read here reaches the terminal with control characters."""

from __future__ import annotations

import json
import time
from typing import Any

from ...ground.controls import strip_controls
from . import (
    FAILED,
    FAILED_MAX,
    INTERRUPTED_ROUNDS,
    ITEMS,
    PREFIX,
    PROCESSING,
    REFUSED,
    WORKERS,
    WRITER,
    key,
)


def _heartbeat(raw: bytes | None, now: float) -> dict[str, Any] | None:
    try:
        info = json.loads(raw) if raw else None
        if info is not None:
            info["age"] = round(now - float(info.pop("seen")), 1)
            info["sites"] = [str(site) for site in info.get("sites") or []]
            info.setdefault("pushed", 0)
            info["counts"] = dict(info.get("counts") or {})
            info.setdefault("writer", "?")
        return info
    except (ValueError, TypeError, KeyError, AttributeError):
        return {"unreadable": True, "age": -1, "sites": [], "pushed": 0, "counts": {},
                "writer": "?"}


def _interrupted(raw: bytes, now: float) -> dict[str, Any]:
    """A round a stopped worker noted (`worker.interrupt_site`), or `unreadable`."""
    try:
        note = json.loads(raw)
        return {"worker": str(note["worker"]), "age": round(now - float(note["at"]), 1),
                "signal": str(note["signal"]), "queued": int(note["queued"])}
    except (ValueError, TypeError, KeyError):
        return {"worker": "?", "age": -1, "signal": "unreadable", "queued": 0}


def status(client) -> dict[str, Any]:
    now = time.time()
    workers = {w.decode(errors="replace"): _heartbeat(v, now)
               for w, v in client.hgetall(WORKERS).items()}
    leases, queues = {}, {}
    for name in client.scan_iter(match=key("lease", "*")):
        site = name.decode(errors="replace").rsplit(":", 1)[1]
        holder = client.get(name)
        if holder:
            leases[site] = {"worker": holder.decode(errors="replace"),
                            "ttl_ms": client.pttl(name)}
    for name in client.scan_iter(match=key("requests", "*")):
        queues[name.decode(errors="replace").rsplit(":", 1)[1]] = client.zcard(name)
    writer = client.get(WRITER)
    return {"workers": workers, "leases": leases, "requests": queues,
            "items": client.llen(ITEMS), "processing": client.llen(PROCESSING),
            "failed": client.llen(FAILED), "failed_max": FAILED_MAX,
            "refused": {k.decode(errors="replace"): int(v)
                        for k, v in client.hgetall(REFUSED).items()},
            "done": sorted(n.decode(errors="replace").rsplit(":", 1)[1]
                           for n in client.scan_iter(match=key("done", "*"))),
            "interrupted": {k.decode(errors="replace"): _interrupted(v, now)
                            for k, v in client.hgetall(INTERRUPTED_ROUNDS).items()},
            "writer": _heartbeat(writer, now), "prefix": PREFIX}


def text(s: dict[str, Any]) -> str:
    lines = [f"items waiting for the writer: {s['items']}, being stored: {s['processing']}, "
             f"failed: {s['failed']} (newest {s['failed_max']} kept)"]
    if s["refused"]:
        lines.append("refused: " + ", ".join(f"{k} {v}" for k, v in
                                             sorted(s["refused"].items())))
    w = s["writer"]
    lines.append(f"writer: {w['writer']} {dict(w['counts'])}" if w else "writer: none")
    lines.append(f"workers: {len(s['workers'])}")
    for name, info in sorted(s["workers"].items()):
        sites = ",".join(info["sites"]) or "-"
        lines.append(f"  {name:28} seen {info['age']:>5} s ago  sites {sites}  "
                     f"pushed {info['pushed']}")
    lines.append(f"leases: {len(s['leases'])}")
    for site, lease in sorted(s["leases"].items()):
        expires = lease["ttl_ms"] / 1000
        lines.append(f"  {site:20} {lease['worker']:28} expires in {expires:.0f} s")
    waiting = {k: v for k, v in s["requests"].items() if v}
    lines.append(f"queued requests: {sum(waiting.values())}"
                 + "".join(f"\n  {site:20} {n}" for site, n in sorted(waiting.items())))
    if s["done"]:
        lines.append("finished this round: " + ", ".join(s["done"]))
    if s["interrupted"]:
        lines.append(f"interrupted rounds: {len(s['interrupted'])} (resumed by the next "
                     "worker to lease the site)")
    for site, note in sorted(s["interrupted"].items()):
        lines.append(f"  {site:20} {note['worker']:28} {note['signal']} {note['age']:.0f} s "
                     f"ago, {note['queued']} requests left")
    return "\n".join(strip_controls(line, keep_lines=False)
                     for line in "\n".join(lines).split("\n"))
