"""The crawl summary a user reads: one row per site with the reasons it failed, and a
headline when every site failed the same way (usually: no network)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..ground.outcomes import STORED, Reason, RunStatus, headline_for

# `found`: article links discovered; `disc-fail`: feeds, sitemaps and listings that failed
# (discovery); `art-fail`: article pages that failed. README explains each column.
COLUMNS = (("site", 20), ("status", 11), ("finished", 20), ("found", 6), ("new", 5),
           ("changed", 7), ("same", 5), ("disc-fail", 9), ("art-fail", 8), ("fallback", 8))


def reasons(errors: str | Mapping[str, int] | None) -> Counter:
    """`{"discovery-dns": 19, "article-http-404": 77}` (or its JSON) -> counts by reason,
    with article failures named as such: `dns`, `article http-404`."""
    if isinstance(errors, str):
        try:
            errors = json.loads(errors or "{}")
        except ValueError:
            errors = {}
    counts: Counter = Counter()
    for key, n in (errors or {}).items():
        kind, _, reason = key.partition("-") if key.startswith(
            ("discovery-", "article-")) else ("", "", key)
        counts[_plain(reason) if kind != "article" else f"article {_plain(reason)}"] += n
    return counts


def _plain(reason: str) -> str:
    """Reasons recorded by older versions under an exception's name."""
    return {"ConnectionRefusedError": "refused", "DownloadConnectionRefusedError": "refused",
            "TCPTimedOutError": "timeout"}.get(reason, reason)


def reason_text(errors: str | Mapping[str, int] | None) -> str:
    """`dns ×19`, `article http-404 ×77, timeout`: most frequent first."""
    return ", ".join(f"{r} ×{n}" if n > 1 else r
                     for r, n in reasons(errors).most_common())


def table(rows: list[Mapping[str, Any]]) -> list[str]:
    """The summary table's lines: header, then a row per site (and its alarm)."""
    lines = [" ".join(f"{name:{'' if name in ('site', 'status', 'finished') else '>'}{w}}"
                      for name, w in COLUMNS) + " reason"]
    for r in rows:
        discovery, article = split_failures(r)
        lines.append(f"{r['site']:20} {r['status'] or 'running':11} "
                     f"{(r['finished_at'] or '-'):20} {r['discovered']:6} {r['new']:5} "
                     f"{r['changed']:7} {r['unchanged']:5} {discovery:9} {article:8} "
                     f"{r['fallback']:8} {reason_text(r.get('errors')) or _quiet(r)}")
        if r.get("alarm"):
            examples = json.loads(r.get("examples") or "[]")
            lines.append(f"    ALARM: {r['alarm']}; e.g. {', '.join(examples)}")
    return lines


def _quiet(row: Mapping[str, Any]) -> str:
    """The reason column of a run without failures: why an `empty` one found nothing."""
    if row["status"] == RunStatus.EMPTY:
        return "no article link found (no feed, sitemap or listing known?)"
    return "-"


def split_failures(row: Mapping[str, Any]) -> tuple[int, int]:
    """(discovery failures, article failures) of a run: the `discovery-*` reasons, and
    the rest of `failed` (article fetches, and pages stored as not articles, truncated...)."""
    errors = row.get("errors")
    if isinstance(errors, str):
        try:
            errors = json.loads(errors or "{}")
        except ValueError:
            errors = {}
    discovery = sum(n for k, n in (errors or {}).items() if k.startswith("discovery-"))
    return discovery, max(0, int(row.get("failed") or 0) - discovery)


def as_json(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Runs as `status --json` gives them: the JSON text stored in `errors` and
    `examples` as JSON, not as strings of it, and the failures split as the table does
    (`failed_discovery`, `failed_articles`)."""
    shown = []
    for row in rows:
        discovery, articles = split_failures(row)
        shown.append({**row, "failed_discovery": discovery, "failed_articles": articles,
                      "errors": json.loads(row["errors"] or "{}"),
                      "examples": json.loads(row["examples"] or "[]")})
    return shown


def headline(rows: list[Mapping[str, Any]]) -> str | None:
    """One sentence when every site that had something to fetch failed for the same
    reason, else None (a site with no feed, sitemap or listing fetched nothing)."""
    rows = [r for r in rows if r["status"] == RunStatus.FAILED or any(
        r.get(k) for k in ("discovered", *STORED, "failed"))]
    if not rows or any(r["status"] != RunStatus.FAILED for r in rows):
        return None
    main = {_main(reasons(r.get("errors"))) for r in rows}
    if len(main) != 1 or None in main:
        return None
    return headline_for(main.pop())


# After a headline that says the network is missing: how to see the tool work anyway.
OFFLINE = {Reason.DNS, Reason.TIMEOUT, Reason.REFUSED, Reason.CONNECT}
OFFLINE_NEXT = ("to try it without a network, crawl captured pages instead: newsarchive "
                "crawl --all --replay FOLDER (a folder with manifest.csv, such as "
                "../shared/fixtures beside a development checkout, or a WARC export)")


def next_step(rows: list[Mapping[str, Any]]) -> str | None:
    """What a newcomer whose every site failed for want of a network can do next."""
    said = headline(rows)
    return OFFLINE_NEXT if said and said in {headline_for(r) for r in OFFLINE} else None


def _main(counts: Counter) -> str | None:
    """The most frequent reason, whether discovery or article pages met it."""
    plain: Counter = Counter()
    for reason, n in counts.items():
        plain[reason.removeprefix("article ")] += n
    return plain.most_common(1)[0][0] if plain else None
