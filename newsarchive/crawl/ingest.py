"""One path from a fetched page to the archive, for the crawl and for `reparse`: extract,
check, store, and say what happened as a typed Outcome."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ..archive import Archive
from ..archive.gone import MOVED
from ..archive.stories import Signed
from ..extract import ExtractError, NotAnArticle, extract
from ..ground.article import Article
from ..ground.clock import stamp
from ..ground.cpuparts import part
from ..ground.outcomes import STORED, PageOutcome
from ..ground.page import Page
from ..places import tag
from ..sites import Site

log = logging.getLogger(__name__)

# A page cut short: `truncated` when its body is shorter than its Content-Length;
# `suspect-truncated` when an honest-looking revisit is much shorter than the stored
# version and lacks the page's closing markup (`cut_short`). Either is kept flagged,
# creates no version and is fetched again next time.
SHORTER = 0.6  # a revisit under this share of the stored text is suspect...
CLOSING = re.compile(rb"</html\s*>", re.IGNORECASE)  # ...unless the page is complete
CUT = frozenset({PageOutcome.TRUNCATED, PageOutcome.SUSPECT_TRUNCATED})
# Fields readers judge first: without title or body an article is not stored (an error
# page served with status 200, or a layout that no longer matches, must not overwrite
# a good version); without a date it is stored and counted.
BLOCKING = ("title", "body")


@dataclass
class Reading:
    """What extraction made of a page, before anything is stored."""

    article: Article | None = None
    failure: PageOutcome | None = None  # not-article, unreadable, extractor-error...
    detail: str = ""
    missing: list[str] = field(default_factory=list)
    places: list[dict] | None = None  # rows for the archive, tagged where it was read
    signed: Signed | None = None  # the body's story signature, computed where it was read
    cpu: dict[str, float] | None = None  # a worker's CPU by part (ground/cpuparts.py), if on

    @property
    def storable(self) -> bool:
        return self.article is not None and not set(self.missing) & set(BLOCKING)

    @property
    def fallback(self) -> bool:
        return bool(self.article and self.article.provenance.get("body_text") == "fallback")


@dataclass
class Outcome:
    """What ingesting one page did: `status` is new/changed/unchanged when an article was
    stored, else the reason it was not (`not-article`, `unreadable`, `extractor-error`,
    `missing`...). `flags` is what the raw page was kept with."""

    status: PageOutcome
    reading: Reading
    page_id: int | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        return self.status in STORED

    @property
    def counter(self) -> str:
        """The name it is counted under: the status, but `missing title+body` says what
        is missing."""
        if self.status is PageOutcome.MISSING and self.flags:
            return next(f for f in self.flags if f.startswith("missing "))
        return str(self.status)

    @property
    def incomplete(self) -> bool:
        """Not an article, or an article without a field readers judge first."""
        return self.reading.failure == PageOutcome.NOT_ARTICLE or bool(self.reading.missing)


def read(page: Page, site: Site | None, places: bool = True) -> Reading:
    """Extract, check and (unless `places` is False: a cluster worker, whose writer tags
    them) tag the places of one page; never raises (an extractor bug is a failure). All
    of it is CPU work, done in the extraction pool during a crawl."""
    try:
        article = extract(page.body, page.url, site=site,
                          content_type=(page.headers or {}).get("content-type"))
    except NotAnArticle as exc:
        log.info("%s: %s", page.url, exc)
        return Reading(failure=PageOutcome.NOT_ARTICLE, detail=exc.reason)
    except ExtractError as exc:
        log.warning("%s unreadable: %s", page.url, exc)
        return Reading(failure=PageOutcome.UNREADABLE, detail=str(exc))
    except MemoryError:
        log.error("%s: out of memory extracting the page", page.url)
        return Reading(failure=PageOutcome.EXTRACTOR_MEMORY, detail="out of memory")
    except Exception as exc:  # an extractor bug must not stop the crawl
        log.exception("extractor failed on %s", page.url)
        return Reading(failure=PageOutcome.EXTRACTOR_ERROR,
                       detail=f"{type(exc).__name__}: {exc}")
    if site is not None:
        article.site = site.id  # a redirect to another host keeps the registry's id
    missing = [name for name, value in (("title", article.title), ("body", article.body_text),
                                        ("date", article.published_at)) if not value]
    if missing:
        log.warning("%s: missing %s", page.url, ", ".join(missing))
    reading = Reading(article=article, missing=missing)
    if places and reading.storable:  # CPU work of the pool, not of the storing process
        with part("tag"):
            reading.places = places_of(article, site)
        with part("sign"):
            reading.signed = Signed.of(article.body_text)
    return reading


def flags_of(reading: Reading, truncated: bool | str = False) -> list[str]:
    """What is wrong with a page, as kept in `pages.flags`, most telling first
    (`truncated`: True for a Content-Length truncation, or the outcome itself)."""
    flags = [PageOutcome.TRUNCATED.value if truncated is True else str(truncated)] \
        if truncated else []
    if reading.failure:  # a refused page keeps the detector's reasons (a drift shows)
        flags.append(f"{reading.failure}: {reading.detail}" if reading.detail
                     else str(reading.failure))
    if reading.missing:
        flags.append("missing " + "+".join(reading.missing))
    return flags


def ingest(archive: Archive, page: Page, site: Site | None, *,
           aliases: list[str] | None = None, truncated: bool = False) -> Outcome:
    """Keep a fetched page and the article read from it, in one transaction. A page that
    is no article, or lacks title or body, is kept (flagged) without an article. So is a
    `truncated` page (a body shorter than its Content-Length) and a `suspect-truncated`
    one (see `cut_short`): a cut page never creates an article or a version, nor
    replaces stored text; it counts as failed and the URL is fetched again on the next
    crawl (its article's `last_seen` is not touched, nor are its validators used)."""
    return keep(archive, page, read(page, site), site=site, aliases=aliases,
                truncated=truncated)


def keep(archive: Archive, page: Page, reading: Reading, *, site: Site | None = None,
         aliases: list[str] | None = None, truncated: bool | str = False) -> Outcome:
    """Store a page and what `read` made of it (read here, or on a cluster worker), with
    the places it names (`site` settles names shared across provinces)."""
    if not truncated and cut_short(archive, page, reading, aliases):
        truncated = PageOutcome.SUSPECT_TRUNCATED
        log.warning("%s: much shorter than its stored version and no closing </html>: "
                    "kept as %s, no version", page.url, truncated)
    flags = flags_of(reading, truncated)
    page.flags = "; ".join(flags) or None
    article = reading.article if reading.storable and not truncated else None
    status, page_id, conflicts = archive.store_page(page, article, aliases,
                                                    _places(reading, article, site),
                                                    site.all_hosts if site else None,
                                                    reading.signed)
    _note_conflicts(archive, status, page_id, flags, conflicts)
    if reading.failure == PageOutcome.NOT_ARTICLE:  # an archived article redirected to a home page
        for url in aliases or []:
            archive.gone.mark(url, MOVED, page.fetched_at or stamp())
    return Outcome(PageOutcome(status) if status else _reason(flags), reading, page_id,
                   flags)


def cut_short(archive: Archive, page: Page, reading: Reading,
              aliases: list[str] | None = None) -> bool:
    """A revisit cut short behind an honest Content-Length: its body text is under
    SHORTER of the stored version's and the page lacks its closing `</html>` (no layout
    declares another end marker). An edit that removes a paragraph leaves the page
    complete, so it still makes a version."""
    article = reading.article
    if not reading.storable or article is None or CLOSING.search(page.body):
        return False
    stored = archive.articles.text_length([page.url, *(aliases or []), article.url])
    return bool(stored) and len(article.body_text) < SHORTER * stored


def _note_conflicts(archive: Archive, status: str | None, page_id: int | None,
                    flags: list[str], conflicts: tuple[str, ...]) -> None:
    """An identity conflict (or a page with no URL of its site) is kept in the page's
    flags; `status` says it to the counters, the `conflicts` (aliases refused) say it
    in the flags."""
    if status in (PageOutcome.CONFLICT, PageOutcome.OUT_OF_SCOPE):
        flags.append(status)
    elif conflicts:
        flags.append(f"{PageOutcome.CONFLICT}: " + " ".join(conflicts))
    else:
        return
    if page_id is not None:
        archive.pages.flag(page_id, "; ".join(flags))


def reingest(archive: Archive, page: Page, site: Site | None) -> Outcome:
    """Read a page kept earlier (`page.id`) again and store what it now gives; a version
    is added only where the content really changed. A page kept as truncated is never
    stored as an article."""
    reading = read(page, site)
    truncated = is_truncated(page.flags)
    flags = flags_of(reading, truncated)
    if truncated:
        return Outcome(PageOutcome.TRUNCATED, reading, page.id, flags)
    if reading.failure == PageOutcome.UNREADABLE:
        archive.pages.flag(page.id, flags[0])
    if not reading.storable:
        return Outcome(_reason(flags), reading, page.id, flags)
    places = _places(reading, reading.article, site)
    with archive.conn:
        status, article_id, _ = archive.articles.upsert(reading.article, page.fetched_at,
                                                        page.url, page.id,
                                                        site.all_hosts if site else None)
        if article_id is not None:
            archive.places.replace(article_id, places or [])
    if status in (PageOutcome.CONFLICT, PageOutcome.OUT_OF_SCOPE):
        flags.append(status)
    return Outcome(PageOutcome(status), reading, page.id, flags)


def is_truncated(flags: str | None) -> bool:
    """Whether a page's `pages.flags` say its body was (or seems) cut short."""
    return bool(CUT & set((flags or "").split("; ")))


def places_of(article: Article | None, site: Site | None) -> list[dict] | None:
    """The places `article` names, as rows for the archive; never raises (a tagger bug
    must not lose the article: it is stored without places, and logged)."""
    if article is None:
        return None
    try:
        return [t.row() for t in tag(article, site)]
    except Exception:
        log.exception("place tagging failed on %s", article.url)
        return []


def _places(reading: Reading, article: Article | None, site: Site | None) -> list[dict] | None:
    """The places `read` tagged, else (a reading from elsewhere) tagged now."""
    if article is None:
        return None
    return reading.places if reading.places is not None else places_of(article, site)


def _reason(flags: list[str]) -> PageOutcome:
    """Why no article was stored, from the page's first flag."""
    if not flags:
        return PageOutcome.NO_ARTICLE
    first = flags[0].split(":")[0]
    return PageOutcome.MISSING if first.startswith("missing ") else PageOutcome(first)
