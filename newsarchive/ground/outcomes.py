"""The vocabulary of a crawl: what became of a page, why a request failed, how a site's
run ended. String enums, so that what is stored (`crawl_runs.status`, the `errors` keys,
`pages.flags`) keeps the same words as before they were enums.

They live here, at the bottom, because the archive stores them (`archive/articles.py`
says new/changed/unchanged, `archive/runs.py` closes a dead run as interrupted); the
rules over them (`classify`, `Tally`, `verdict`) are the crawl's, in `crawl/outcomes.py`.
A new outcome, reason or status is added here, and nowhere else."""

from __future__ import annotations

from enum import StrEnum


class PageOutcome(StrEnum):
    """What ingesting one fetched page did (`crawl/ingest.py`'s `Outcome.status`)."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NOT_ARTICLE = "not-article"            # a listing, an error page served with 200...
    UNREADABLE = "unreadable"              # empty, binary, undecodable
    TRUNCATED = "truncated"                # body shorter than its Content-Length
    SUSPECT_TRUNCATED = "suspect-truncated"  # a revisit far shorter, without </html>
    MISSING = "missing"                    # an article without title or body
    CONFLICT = "identity-conflict"         # its URL is another site's article
    OUT_OF_SCOPE = "out-of-scope"          # no URL of the page is the site's own
    EXTRACTOR_ERROR = "extractor-error"    # an extractor bug, or its worker died
    EXTRACTOR_TIMEOUT = "extractor-timeout"
    EXTRACTOR_MEMORY = "extractor-memory"  # past the extraction worker's memory ceiling
    NO_ARTICLE = "no-article"              # nothing stored, for no reason above


STORED = frozenset({PageOutcome.NEW, PageOutcome.CHANGED, PageOutcome.UNCHANGED})
"""The outcomes that stored an article."""


class Reason(StrEnum):
    """Why a request brought no page (the `errors/<kind>-<reason>` counters)."""

    DNS = "dns"                      # the host name does not resolve
    REFUSED = "refused"              # nothing listens (connection refused)
    TIMEOUT = "timeout"
    TLS = "tls"                      # the secure connection could not be made
    CONNECT = "connect"              # any other failure to connect
    HTTP = "http"                    # an error status: counted as `http-404`...
    TOO_LARGE = "too-large"          # over DOWNLOAD_MAXSIZE
    ROBOTS = "robots"                # robots.txt forbids it
    BUDGET = "budget"                # the site's or the run's budget: `budget-pages`...
    OUT_OF_SCOPE = "out-of-scope"    # not on the site's hosts
    PRIVATE_ADDRESS = "private-address"
    REPEATED = "repeated"            # a discovery page already fetched in this run
    SITEMAP_LOOP = "sitemap-loop"    # an index listing itself or an index above it
    SITEMAP_TOO_DEEP = "sitemap-too-deep"  # an index past NEWSARCHIVE_SITEMAP_MAX_DEPTH
    NOT_CAPTURED = "not-captured"    # --replay: the capture has no such page
    ERROR = "error"                  # anything else (the exception's name is logged)

    @property
    def unreachable(self) -> bool:
        """Does this reason say the host itself cannot be reached (so asking it again in
        this run is pointless)?"""
        return self in UNREACHABLE


UNREACHABLE = frozenset({Reason.DNS, Reason.REFUSED, Reason.TIMEOUT, Reason.TLS,
                         Reason.CONNECT})


# What an unreachable host says when every site met it: one headline for crawl and check.
HEADLINES = {
    Reason.DNS: "no site could be reached (DNS lookup failed): are you offline?",
    Reason.TIMEOUT: "no site answered in time (timeout): is the network down or very slow?",
    Reason.REFUSED: "no site accepted a connection (connection refused): offline, or a proxy?",
    Reason.TLS: "no site could open a secure connection (TLS): a proxy, or a wrong clock?",
    Reason.CONNECT: "no site could be connected to: are you offline?",
}


def headline_for(reason: str) -> str:
    """The sentence for a crawl or check in which every site failed for `reason`."""
    return HEADLINES.get(reason, f"every site failed the same way: {reason}")


class RunStatus(StrEnum):
    """How a site's run ended (`crawl_runs.status`), worst last."""

    OK = "ok"
    EMPTY = "empty"              # no article link found: no feed, sitemap or listing known,
    #                              or none answered with a link (nothing failed either)
    DEGRADED = "degraded"        # the drift alarm: articles came out incomplete
    BUDGET = "budget"            # stopped by a budget before it was done
    FAILED = "failed"            # nothing could be fetched
    INTERRUPTED = "interrupted"  # the crawl was stopped (SIGINT, SIGTERM, killed)
