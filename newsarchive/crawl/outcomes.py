"""The crawl's rules over its vocabulary (`ground/outcomes.py`): why a request failed
(`classify`, the one place that reads Scrapy's and Twisted's exceptions, as
kingfisher-collect has one place for HTTP errors), what a site's run counted (`Tally`),
and how the run ended (`verdict`, with the layout-drift alarm). The lone crawl's run
bookkeeping and the cluster's writer both call `verdict`, so the same counts give the
same status and alarm whichever recorded them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from ..archive.runs import RUN_COUNTERS
from ..ground.outcomes import STORED, Reason, RunStatus
from .stats import site_counts, site_errors, stat

__all__ = ["Cause", "RequestRefused", "Tally", "Verdict", "classify", "verdict"]


class RequestRefused(IgnoreRequest):
    """A request one of our middlewares refused, and counted, for `reason` (scope,
    budget, an unreachable host, a page not captured); never a robots.txt refusal."""

    def __init__(self, reason: Reason, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Cause:
    """Why one request brought no page: a reason and, for some, a detail (the HTTP
    status, which budget ran out, the exception's name)."""

    reason: Reason
    detail: str = ""

    @property
    def key(self) -> str:
        """The name it is counted under: `dns`, `http-404`, `budget-pages`, or the
        exception's name for an unknown one."""
        if self.reason is Reason.ERROR:
            return self.detail or str(self.reason)
        keyed = self.reason in (Reason.HTTP, Reason.BUDGET) and self.detail
        return f"{self.reason}-{self.detail}" if keyed else str(self.reason)

    @property
    def text(self) -> str:
        """What it says to someone not reading Scrapy's log (`newsarchive check`)."""
        said = TEXT.get(self.reason, str(self.reason))
        return f"{said} {self.detail}".strip() if self.reason in DETAILED else said

    @property
    def unreachable(self) -> bool:
        return self.reason.unreachable


TEXT = {Reason.DNS: "host name not found", Reason.REFUSED: "connection refused",
        Reason.TIMEOUT: "timed out", Reason.TLS: "secure connection failed",
        Reason.CONNECT: "cannot connect", Reason.HTTP: "http",
        Reason.TOO_LARGE: "too large", Reason.ROBOTS: "forbidden by robots.txt",
        Reason.BUDGET: "over budget:", Reason.REPEATED: "fetched already in this run",
        Reason.NOT_CAPTURED: "not captured", Reason.ERROR: ""}
DETAILED = (Reason.HTTP, Reason.BUDGET, Reason.ERROR)

def classify(error: BaseException | Failure) -> Cause:
    """Why a request failed, from its exception or Twisted failure."""
    exc = error.value if isinstance(error, Failure) else error
    if isinstance(exc, RequestRefused):
        return Cause(exc.reason, exc.detail)
    if isinstance(exc, HttpError):
        return Cause(Reason.HTTP, str(exc.response.status))
    if _decompressed_too_large(exc):  # a gzip bomb, refused as it expanded
        return Cause(Reason.TOO_LARGE)
    if isinstance(exc, IgnoreRequest):  # what remains of them: robots.txt said no
        return Cause(Reason.ROBOTS)
    if isinstance(exc, DNSLookupError | CannotResolveHostError):
        return Cause(Reason.DNS)
    if isinstance(exc, TimeoutError | TCPTimedOutError | DownloadTimeoutError):
        return Cause(Reason.TIMEOUT)
    if isinstance(exc, ConnectionRefusedError | DownloadConnectionRefusedError):
        return Cause(Reason.REFUSED)
    if isinstance(exc, DownloadCancelledError):  # how Scrapy stops a body over its maxsize
        return Cause(Reason.TOO_LARGE)
    if _tls(exc):
        return Cause(Reason.TLS)
    if isinstance(exc, ConnectError | DownloadFailedError):
        return Cause(Reason.CONNECT)
    return Cause(Reason.ERROR, type(exc).__name__)


def _decompressed_too_large(exc: BaseException) -> bool:
    """A body that expanded past DOWNLOAD_MAXSIZE: Scrapy's HttpCompressionMiddleware
    refuses it with an IgnoreRequest, as robots.txt does, raised from its
    _DecompressionMaxSizeExceeded (a private class: known here by name only)."""
    return isinstance(exc, IgnoreRequest) and \
        type(exc.__cause__).__name__ == "_DecompressionMaxSizeExceeded"


def _tls(exc: BaseException | None) -> bool:
    """An OpenSSL error anywhere in the chain (Twisted keeps them in `reasons`)."""
    from OpenSSL.SSL import Error as SSLError

    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, SSLError):
            return True
        reasons = getattr(exc, "reasons", None) or []
        if any(isinstance(r, Failure) and r.check(SSLError) for r in reasons):
            return True
        exc, seen = exc.__cause__, seen + 1
    return False


# -- a site's run --------------------------------------------------------------------------

MIN_ARTICLES = 5      # fewer fetched articles say nothing about drift either way
MIN_SHARE = 0.5       # at least half the articles incomplete or from the fallback...
MIN_JUMP = 0.3        # ...and 30 points worse than the site's recent average


@dataclass
class Tally:
    """What one site's run counted: `counts` (`RUN_COUNTERS`), failures by reason key, the
    archived articles it skipped (not due), whether the whole run hit its budget."""

    counts: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    run_budget: bool = False

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any], site: str) -> Tally:
        """A site's tally from the crawler's stats (`crawl/stats.py`'s keys)."""
        return cls(site_counts(stats, site, RUN_COUNTERS), site_errors(stats, site),
                   stats.get(stat(site, "skipped"), 0),
                   bool(stats.get("newsarchive/budget")))

    def count(self, name: str) -> int:
        return int(self.counts.get(name) or 0)

    @property
    def fetched(self) -> int:
        """Articles stored, new, changed or the same."""
        return sum(self.count(outcome) for outcome in STORED)

    @property
    def over_budget(self) -> bool:
        return self.run_budget or any(k.startswith(f"{Reason.BUDGET}-") for k in self.errors)


@dataclass(frozen=True)
class Verdict:
    status: RunStatus
    alarm: str | None = None


def verdict(tally: Tally, history: list[Mapping[str, Any]],
            interrupted: bool = False) -> Verdict:
    """How a site's run ended, worst last: `failed` when it failed and fetched nothing
    (and skipped nothing), `budget` when a budget stopped it, `degraded` when the drift
    alarm rings against `history` (the site's earlier runs, newest first), `interrupted`
    when the crawl was stopped before the site was done; `empty` when nothing failed but
    no article link was found (a paper with no feed, sitemap or listing known is not
    `ok`); else `ok`. The alarm sentence is kept whatever the status."""
    status = RunStatus.OK
    if not (tally.count("discovered") or tally.fetched or tally.skipped
            or tally.count("failed") or tally.errors or tally.run_budget):
        status = RunStatus.EMPTY
    if tally.count("failed") and not tally.fetched and not tally.skipped:
        status = RunStatus.FAILED
    if tally.over_budget:
        status = RunStatus.BUDGET
    alarm = drift(tally.counts, history)
    if alarm:
        status = RunStatus.DEGRADED
    if interrupted:
        status = RunStatus.INTERRUPTED
    return Verdict(status, alarm)


def bad_share(run: Mapping[str, Any]) -> float | None:
    """Share of a run's extracted article pages that were incomplete (or not recognised
    as articles) or needed the generic fallback; None for too few to tell."""
    extracted = run.get("extracted") or 0
    if extracted < MIN_ARTICLES:
        return None
    return min(1.0, ((run.get("missing") or 0) + (run.get("fallback") or 0)) / extracted)


def drift(current: Mapping[str, Any], history: list[Mapping[str, Any]]) -> str | None:
    """The layout-drift alarm: when a paper redesigns its site, our layout stops matching
    and articles come out without title, date or body, or from the generic fallback.
    A sentence when the share of such articles jumps against the site's recent runs."""
    now = bad_share(current)
    if now is None or now < MIN_SHARE:
        return None
    before = [s for s in (bad_share(r) for r in history) if s is not None]
    baseline = fmean(before) if before else 0.0
    if now - baseline < MIN_JUMP:
        return None
    return (f"{now:.0%} of articles incomplete or from the generic fallback "
            f"(recent runs: {baseline:.0%}); the site's layout has probably changed")

