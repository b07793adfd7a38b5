"""The report of `newsarchive check`: what a site's discovery found, which fields its
newest articles filled and from which layer, and a verdict. Plain data and rules, no
Scrapy: the check spider (`spiders/check.py`) fills a `SiteReport` per site.

Verdicts (`judge`), worst first:

- `broken`: nothing of the site could be reached; or no article could be checked
  (discovery found no URL matching the article pattern, or none of the articles could be
  fetched or extracted); or title, body or date with time is missing in half or more of
  the articles checked.
- `degraded`: a core field (title, body, date with time) is missing in some articles; an
  article failed or was not an article; a discovery source failed or found links but none
  matching the article pattern; or, on a site with a platform layout, the body came from
  the generic fallback in more than half of the articles (a sign of layout drift).
- Either way, a site whose discovery did not end within its budget of requests (a
  sitemap index that keeps listing new indexes) is at least `degraded`, and says so
  first: `stopped after 50 requests: discovery did not end`.
- `ok`: none of the above.
- `no pages` (only with `--replay`): nothing of the site is in the captured set. A request
  the capture does not hold is "not captured", neither a success nor a failure, so a site
  with captured pages is judged on those alone (a captured listing whose articles were not
  captured checks discovery only).

Exit status (`exit_status`): 0 when every site is ok (or has no pages), 1 when the worst
is degraded, 2 when a site is broken.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from ..ground.article import Article
from ..ground.outcomes import UNREACHABLE, headline_for

FIELDS = ("title", "sapo", "body", "authors", "date", "section", "tags", "images")
"""The fields reported, as a reader judges an article; `date` is the publication date
*with* its time of day."""
CORE = ("title", "body", "date")
PROVENANCE = {"title": "title", "sapo": "sapo", "body": "body_text", "authors": "authors",
              "date": "published_at", "section": "section", "tags": "tags",
              "images": "images"}
NO_TIME = ("published: date has no time", "published_at: date only")

OK, DEGRADED, BROKEN, NO_PAGES = "ok", "degraded", "broken", "no pages"
EXIT = {OK: 0, NO_PAGES: 0, DEGRADED: 1, BROKEN: 2}

# outcomes of one request
FETCHED, FAILED, NOT_CAPTURED, SKIPPED, NOT_ARTICLE = (
    "ok", "failed", "not captured", "skipped", "not an article")
# why a site's discovery was cut short (NEWSARCHIVE_CHECK_MAX_REQUESTS)
DISCOVERY_ENDLESS = "stopped after {} requests: discovery did not end"


@dataclass
class Source:
    """One discovery page and what it gave."""

    kind: str
    """`rss`, `sitemap`, `index` (a sitemap index: its links are sitemaps), `listing`,
    `home` (a site with no other source) or `captured` (with --replay, not yet read)."""
    url: str
    outcome: str = FETCHED
    found: int = 0
    """Links on it (items, `<loc>`s, `<a href>`s)."""
    matching: int = 0
    """Of those, URLs matching the site's article pattern."""
    reason: str = ""
    cause: str = ""
    """Why it failed, as a `Reason` (`dns`, `http`, `robots`...)."""


@dataclass
class Checked:
    """One article fetched and extracted: each reported field's layer (None: empty)."""

    url: str
    outcome: str = FETCHED
    layers: dict[str, str | None] = field(default_factory=dict)
    reason: str = ""
    cause: str = ""


def layers_of(article: Article) -> dict[str, str | None]:
    """For each of FIELDS, the layer that filled it (`layout:zce`, `jsonld`, `meta`,
    `generic`, `fallback`...), or None when it is empty; a date without a time of day
    counts as empty."""
    out: dict[str, str | None] = {}
    for name, attr in PROVENANCE.items():
        filled = getattr(article, attr) not in (None, "", [])
        out[name] = (article.provenance.get(attr) or "?") if filled else None
    if out["date"] and any(n.startswith(NO_TIME) for n in article.notes):
        out["date"] = None
    return out


@dataclass
class SiteReport:
    """Everything `check` learnt about one site."""

    site: str
    name: str
    confidence: str = ""
    platform: str | None = None
    asked: int = 5
    replay: bool = False
    sources: list[Source] = field(default_factory=list)
    articles: list[Checked] = field(default_factory=list)
    discovered: int = 0
    """Distinct article URLs all sources gave."""
    uncaptured: int = 0
    """With --replay: discovered articles the capture does not hold."""
    stopped: str = ""
    """Why discovery was stopped before it ended (its budget of requests), or empty."""

    @property
    def extracted(self) -> list[Checked]:
        return [a for a in self.articles if a.outcome == FETCHED]

    def shares(self) -> dict[str, dict[str, Any]]:
        """Per field: filled (count), of (articles extracted), layers (count per layer)."""
        done = self.extracted
        out = {}
        for name in FIELDS:
            used = Counter(a.layers.get(name) for a in done if a.layers.get(name))
            out[name] = {"filled": sum(used.values()), "of": len(done),
                         "layers": dict(used.most_common())}
        return out

    def verdict(self) -> tuple[str, list[str]]:
        return judge(self)

    def to_dict(self) -> dict[str, Any]:
        verdict, reasons = self.verdict()
        return {"site": self.site, "name": self.name, "confidence": self.confidence,
                "platform": self.platform, "verdict": verdict, "reasons": reasons,
                "replay": self.replay, "discovered": self.discovered,
                "uncaptured": self.uncaptured, "stopped": self.stopped, "asked": self.asked,
                "sources": [asdict(s) for s in self.sources],
                "articles": [asdict(a) for a in self.articles], "fields": self.shares()}


def _reason(items: list) -> str:
    """The commonest failure reason of `items`, with how many share it."""
    reason, n = Counter(i.reason or "error" for i in items).most_common(1)[0]
    return reason if n == len(items) else f"{reason} ({n} of {len(items)})"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def judge(report: SiteReport) -> tuple[str, list[str]]:
    """(verdict, reasons): the rules in this module's docstring."""
    verdict, reasons = _judge(report)
    if not report.stopped:
        return verdict, reasons
    return (DEGRADED if verdict in (OK, NO_PAGES) else verdict), [report.stopped, *reasons]


def _judge(report: SiteReport) -> tuple[str, list[str]]:
    tried = [x for x in [*report.sources, *report.articles]
             if x.outcome not in (NOT_CAPTURED, SKIPPED)]
    if not tried:
        if report.replay:
            return NO_PAGES, ["nothing of this site is in the captured pages"]
        return BROKEN, ["nothing to fetch: no feed, sitemap, listing or home page"]
    failed = [x for x in tried if x.outcome == FAILED]
    if len(failed) == len(tried):
        skipped = sum(x.outcome == SKIPPED for x in report.sources)
        return BROKEN, [f"unreachable: {_reason(failed)} ({_n(len(failed), 'request')} "
                        "failed" + (f", {skipped} not tried)" if skipped else ")")]
    done = report.extracted
    bad = [a for a in report.articles if a.outcome in (FAILED, NOT_ARTICLE)]
    if not done:
        if bad:
            return BROKEN, [f"no article could be checked: {_reason(bad)}"]
        if report.discovered == 0:
            links = sum(s.found for s in report.sources)
            return BROKEN, [f"no article URLs found: {links} links in "
                            f"{len(report.sources)} sources, none matching the article "
                            "pattern"]
        if report.replay:
            return OK, [f"{report.discovered} article URLs found, none captured: fields "
                        "not checked"]
        return BROKEN, ["no article could be checked"]
    reasons_broken, reasons_degraded = [], []
    shares = report.shares()
    for name in CORE:
        filled, of = shares[name]["filled"], shares[name]["of"]
        if filled < of:
            what = "date with time" if name == "date" else name
            line = f"{what} missing in {of - filled} of {of} articles"
            (reasons_broken if filled * 2 <= of else reasons_degraded).append(line)
    if bad:
        reasons_degraded.append(f"{len(bad)} of {len(report.articles)} articles failed: "
                                f"{_reason(bad)}")
    for s in report.sources:
        if s.outcome == FAILED:
            reasons_degraded.append(f"{s.kind} {s.url} failed: {s.reason}")
        elif s.outcome == FETCHED and s.reason:  # an index listing itself, or too deep
            reasons_degraded.append(f"{s.kind} {s.url}: {s.reason}")
        elif s.outcome == FETCHED and s.found and not s.matching and s.kind != "index":
            reasons_degraded.append(f"{s.kind} {s.url}: {s.found} links, none matching the "
                                    "article pattern")
    fallback = shares["body"]["layers"].get("fallback", 0)
    if report.platform and fallback * 2 > len(done):
        reasons_degraded.append(f"body from the generic fallback in {fallback} of "
                                f"{len(done)} articles: has the {report.platform} layout "
                                "drifted?")
    if reasons_broken:
        return BROKEN, reasons_broken + reasons_degraded
    if reasons_degraded:
        return DEGRADED, reasons_degraded
    return OK, []


def unreachable(report: SiteReport) -> str | None:
    """The reason (`dns`, `refused`, `timeout`...) when every request tried for the site
    failed because its host cannot be reached, else None."""
    tried = [x for x in [*report.sources, *report.articles]
             if x.outcome not in (NOT_CAPTURED, SKIPPED)]
    causes = {x.cause for x in tried}
    if not tried or any(x.outcome != FAILED for x in tried) or len(causes) != 1:
        return None
    cause = causes.pop()
    return cause if cause in UNREACHABLE else None


def headline(reports: list[SiteReport]) -> str | None:
    """One sentence when no site could be reached, all for the same reason (offline)."""
    tried = [r for r in reports if r.verdict()[0] != NO_PAGES]
    causes = {unreachable(r) for r in tried}
    if not tried or len(causes) != 1 or None in causes:
        return None
    return headline_for(causes.pop())


def exit_status(reports: list[SiteReport]) -> int:
    """0 all ok (or no pages), 1 the worst is degraded, 2 a site is broken."""
    return max((EXIT[r.verdict()[0]] for r in reports), default=0)


def _count(source: Source) -> str:
    if source.outcome != FETCHED:
        return source.outcome + (f": {source.reason}" if source.reason else "")
    return f"{source.found} links, {source.matching} articles" + (
        f" ({source.reason})" if source.reason else "")


def render(reports: list[SiteReport]) -> str:
    """The report as text, one block per site and a summary line."""
    lines: list[str] = []
    for r in reports:
        verdict, reasons = r.verdict()
        head = f"{r.site} ({r.name}; {r.platform or 'no layout'}, {r.confidence}): "
        if verdict == NO_PAGES:
            lines.append(f"{head}no pages (nothing of it is captured)")
            continue
        lines.append(head + verdict.upper() + (f": {reasons[0]}" if reasons else ""))
        lines += [f"  ! {reason}" for reason in reasons[1:]]
        if unreachable(r):  # the head line says it all
            continue
        for s in r.sources:
            if s.outcome != SKIPPED:
                lines.append(f"  {s.kind:8} {_count(s):28} {s.url}")
        if not (r.discovered or r.articles):
            continue
        extra = f" ({r.uncaptured} not captured)" if r.replay and r.uncaptured else ""
        lines.append(f"  articles: {r.discovered} found{extra}; {len(r.articles)} fetched "
                     f"(asked for {r.asked}), {len(r.extracted)} extracted")
        for a in r.articles:
            if a.outcome != FETCHED:
                lines.append(f"    {a.outcome}: {a.url} ({a.reason})")
        if r.extracted:
            for name, share in r.shares().items():
                used = ", ".join(f"{layer} {n}" for layer, n in share["layers"].items())
                pct = 100 * share["filled"] // share["of"]
                lines.append(f"    {name:8} {share['filled']}/{share['of']} {pct:3}%  "
                             f"{used or '-'}")
    tally = Counter(r.verdict()[0] for r in reports)
    lines.append(", ".join(f"{n} {v}" for v, n in sorted(tally.items())) +
                 f" ({len(reports)} sites)")
    if said := headline(reports):
        lines.append(f"newsarchive: {said}")
    return "\n".join(lines)
