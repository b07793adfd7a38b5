"""What a message on the cluster's Redis may say, checked field by field before anything
is stored: one dataclass per kind (`page`, `touch`, `gone`, `run`), built only from a
JSON object that has exactly its fields, of the right types and sizes, for a site of the
registry and URLs in that site's scope (the rule a lone crawl's scope middleware and the
archive's identity apply). Anything else is `Rejected`, with a `Flaw`."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ...archive.identity import in_scope
from ...archive.runs import RUN_COUNTERS
from ...ground import clock
from ...ground.article import Article
from ...ground.controls import web_url
from ...ground.outcomes import STORED, PageOutcome
from ...ground.page import Page
from ...sites import Registry, Site
from ..ingest import BLOCKING, Reading
from ..settings import DOWNLOAD_MAXSIZE


class Flaw(StrEnum):
    """Why a message was refused (counted under this name, in the writer's counts and
    the worker's stats, and in `newsarchive:refused`)."""

    UNSIGNED = "unsigned"
    BAD_SIGNATURE = "bad-signature"
    MALFORMED = "malformed"          # not JSON, a field missing, unknown, mistyped
    UNKNOWN_SITE = "unknown-site"    # not a registry id
    OUT_OF_SCOPE = "out-of-scope"    # a URL outside the site's hosts
    WRONG_SITE = "wrong-site"        # an article labelled with another paper
    NOT_HTTP = "not-http"            # a URL that is no http(s) link
    TOO_LARGE = "too-large"          # a body over the crawl's size cap, a field too long


class Rejected(Exception):
    def __init__(self, reason: Flaw, worker: str = "?", detail: str = "") -> None:
        super().__init__(f"{reason}{': ' + detail if detail else ''}")
        self.reason, self.worker, self.detail = reason, worker, detail


URL_MAX = 2048
NAME_MAX = 100
COUNT_MAX = 10**12
REASON = re.compile(r"\w[\w .+/:-]{0,79}")  # `http-404`, `missing title+body`: no markup
B64_MAX = (DOWNLOAD_MAXSIZE + 2) // 3 * 4
MESSAGE_MAX = 2 * B64_MAX  # the page, base64, and what was read from it: never more
GONE = (404, 410)
FAILURES = frozenset(PageOutcome) - STORED  # what a worker's extraction may say of a page
# An Article's fields: (type, longest text or list, longest item of a list).
ARTICLE = {"url": (str, URL_MAX), "site": (str, NAME_MAX), "title": (str, 2000),
           "sapo": (str, 20_000), "body_text": (str, DOWNLOAD_MAXSIZE),
           "body_html": (str, DOWNLOAD_MAXSIZE), "authors": (list, 50, 200),
           "source": (str, 200), "published_at": (str, 40), "modified_at": (str, 40),
           "section": (str, 200), "tags": (list, 100, 200), "images": (list, 500, 0),
           "language": (str, 16), "provenance": (dict, 50, 100), "notes": (list, 100, 2000),
           "extractor_version": (str, 32)}
OPTIONAL = {"title", "sapo", "source", "published_at", "modified_at", "section", "language"}


def _fields(data: Any, required: set[str], optional: frozenset[str] = frozenset(),
            where: str = "message") -> dict[str, Any]:
    if not isinstance(data, dict):
        raise Rejected(Flaw.MALFORMED, detail=f"{where} is not an object")
    if missing := required - data.keys():
        raise Rejected(Flaw.MALFORMED, detail=f"{where} lacks {', '.join(sorted(missing))}")
    if unknown := data.keys() - required - optional:
        raise Rejected(Flaw.MALFORMED,
                      detail=f"{where} has unknown {', '.join(sorted(map(str, unknown)))[:200]}")
    return data


def _text(value: Any, name: str, limit: int, none: bool = False) -> str | None:
    if value is None and none:
        return None
    if not isinstance(value, str):
        raise Rejected(Flaw.MALFORMED, detail=f"{name} is not text")
    if len(value) > limit:
        raise Rejected(Flaw.TOO_LARGE, detail=f"{name} is {len(value)} characters "
                                                f"(limit {limit})")
    return value


def _int(value: Any, name: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise Rejected(Flaw.MALFORMED, detail=f"{name} is not a whole number "
                                                f"from {low} to {high}")
    return value


def _list(value: Any, name: str, limit: int) -> list:
    if not isinstance(value, list):
        raise Rejected(Flaw.MALFORMED, detail=f"{name} is not a list")
    if len(value) > limit:
        raise Rejected(Flaw.TOO_LARGE, detail=f"{name} has {len(value)} items "
                                                f"(limit {limit})")
    return value


def _stamp(value: Any, name: str, none: bool = False) -> str | None:
    text = _text(value, name, 40, none)
    if text is not None:
        try:
            clock.parse_stamp(text)
        except ValueError:
            raise Rejected(Flaw.MALFORMED, detail=f"{name} is not an ISO 8601 time") \
                from None
    return text


def _site(value: Any, registry: Registry) -> Site:
    if not isinstance(value, str) or value not in registry:
        raise Rejected(Flaw.UNKNOWN_SITE, detail=f"site {str(value)[:80]!r}")
    return registry.get(value)


def _url(value: Any, name: str, site: Site) -> str:
    url = _text(value, name, URL_MAX)
    if not web_url(url):
        raise Rejected(Flaw.NOT_HTTP, detail=f"{name} {url[:200]!r}")
    if not in_scope(url, site.all_hosts):
        raise Rejected(Flaw.OUT_OF_SCOPE, detail=f"{name} {url[:200]} is not {site.id}'s")
    return url


def _worker(value: Any) -> str:
    name = _text(value, "worker", NAME_MAX)
    if not name.isprintable():
        raise Rejected(Flaw.MALFORMED, detail="worker is not printable")
    return name


def _article(data: Any, site: Site) -> Article:
    got = _fields(data, set(ARTICLE) - OPTIONAL, frozenset(OPTIONAL), "article")
    for name, (kind, limit, *item) in ARTICLE.items():
        value = got.get(name)
        if kind is str:
            _text(value, name, limit, none=name in OPTIONAL)
        elif kind is list:
            for v in _list(value, name, limit):
                if name == "images":
                    image = _fields(v, {"url"}, frozenset({"caption"}), "image")
                    _text(image.get("caption"), "image caption", 2000, none=True)
                    if not web_url(_text(image["url"], "image url", URL_MAX)):
                        raise Rejected(Flaw.NOT_HTTP, detail="an image url")
                else:
                    _text(v, name, item[0])
        elif not isinstance(value, dict) or len(value) > limit or not all(
                isinstance(k, str) and isinstance(v, str) and len(k) + len(v) <= item[0]
                for k, v in value.items()):
            raise Rejected(Flaw.MALFORMED, detail=f"{name} is not a small text map")
    for name in ("published_at", "modified_at"):
        _stamp(got.get(name), name, none=True)
    if got["site"] != site.id:
        raise Rejected(Flaw.WRONG_SITE, detail=f"an article of {got['site'][:80]!r} "
                                                f"sent for {site.id}")
    _url(got["url"], "article url", site)
    return Article.from_dict(got)


@dataclass
class PageItem:
    """A fetched page, and for an article page what the worker's extraction made of it
    (its places are not taken: the writer tags them)."""

    site: Site
    worker: str
    page: Page
    aliases: list[str]
    truncated: bool
    reading: Reading | None

    @classmethod
    def parse(cls, data: dict[str, Any], registry: Registry) -> PageItem:
        _fields(data, {"kind", "site", "worker", "aliases", "truncated", "page"},
                frozenset({"reading"}))
        site = _site(data["site"], registry)
        raw = _fields(data["page"], {"url", "status", "headers", "fetched_at", "kind",
                                     "body"}, where="page")
        url = _url(raw["url"], "page url", site)
        headers = raw["headers"]
        if not isinstance(headers, dict) or len(headers) > 100 or not all(
                isinstance(k, str) and isinstance(v, str) and len(k) <= 200
                and len(v) <= 8192 for k, v in headers.items()):
            raise Rejected(Flaw.MALFORMED, detail="headers are not a small text map")
        if raw["kind"] not in ("article", "discovery"):
            raise Rejected(Flaw.MALFORMED, detail="page kind is not article or discovery")
        body64 = _text(raw["body"], "body", 10**12)
        if len(body64) > B64_MAX:
            raise Rejected(Flaw.TOO_LARGE, detail=f"body of about {len(body64) * 3 // 4} "
                                                    f"bytes (limit {DOWNLOAD_MAXSIZE})")
        try:
            body = base64.b64decode(body64, validate=True)
        except (binascii.Error, ValueError):
            raise Rejected(Flaw.MALFORMED, detail="body is not base64") from None
        page = Page(url=url, body=body, status=_int(raw["status"], "status", 100, 599),
                    headers=headers, fetched_at=_stamp(raw["fetched_at"], "fetched_at", True),
                    kind=raw["kind"])
        aliases = [_url(a, "alias", site) for a in _list(data["aliases"], "aliases", 20)]
        if not isinstance(data["truncated"], bool):
            raise Rejected(Flaw.MALFORMED, detail="truncated is not true or false")
        reading = None
        if data.get("reading") is not None:
            if page.kind != "article":
                raise Rejected(Flaw.MALFORMED, detail="a reading of a discovery page")
            got = _fields(data["reading"], {"article", "failure", "detail", "missing"},
                          where="reading")
            failure = _text(got["failure"], "failure", 40, none=True)
            if failure is not None and failure not in FAILURES:
                raise Rejected(Flaw.MALFORMED, detail="failure is not a page outcome")
            missing = _list(got["missing"], "missing", 3)
            if not set(missing) <= {*BLOCKING, "date"}:
                raise Rejected(Flaw.MALFORMED, detail="missing names unknown fields")
            article = None if got["article"] is None else _article(got["article"], site)
            reading = Reading(article=article,
                              failure=None if failure is None else PageOutcome(failure),
                              detail=_text(got["detail"], "detail", 2000), missing=missing)
        if (page.kind == "article") != (reading is not None):
            raise Rejected(Flaw.MALFORMED, detail="an article page comes with its reading, "
                                                    "a discovery page without")
        return cls(site, _worker(data["worker"]), page, aliases, data["truncated"], reading)


@dataclass
class Seen:
    """`touch`: an archived article answered 304; `gone`: it answered 404 or 410."""

    kind: str
    site: Site
    worker: str
    url: str
    seen_at: str
    status: int | None = None

    @classmethod
    def parse(cls, data: dict[str, Any], registry: Registry) -> Seen:
        gone = data.get("kind") == "gone"
        _fields(data, {"kind", "site", "worker", "url", "seen_at", *(["status"] if gone
                                                                    else [])})
        site = _site(data["site"], registry)
        status = None
        if gone and data["status"] not in GONE:
            raise Rejected(Flaw.MALFORMED, detail="a gone status is not 404 or 410")
        if gone:
            status = data["status"]
        return cls(data["kind"], site, _worker(data["worker"]),
                   _url(data["url"], "url", site), _stamp(data["seen_at"], "seen_at"), status)


@dataclass
class RunReport:
    """A worker's round of a site: its counters, and whether the worker was stopped
    before the site was done (the writer decides the run's status)."""

    site: Site
    worker: str
    started_at: str
    counts: dict[str, int]
    errors: dict[str, int]
    interrupted: bool = False

    @classmethod
    def parse(cls, data: dict[str, Any], registry: Registry) -> RunReport:
        _fields(data, {"kind", "site", "worker", "started_at", "counts", "errors"},
                frozenset({"interrupted"}))  # optional: a worker of an earlier version
        interrupted = data.get("interrupted", False)
        if not isinstance(interrupted, bool):
            raise Rejected(Flaw.MALFORMED, detail="interrupted is not true or false")
        site = _site(data["site"], registry)
        counts, errors = data["counts"], data["errors"]
        if not isinstance(counts, dict) or not counts.keys() <= set(RUN_COUNTERS):
            raise Rejected(Flaw.MALFORMED, detail=f"counts are not {', '.join(RUN_COUNTERS)}")
        if not isinstance(errors, dict) or len(errors) > 100 or not all(
                isinstance(k, str) and REASON.fullmatch(k) for k in errors):
            raise Rejected(Flaw.MALFORMED, detail="errors are not reasons")
        return cls(site, _worker(data["worker"]), _stamp(data["started_at"], "started_at"),
                   {k: _int(v, k, 0, COUNT_MAX) for k, v in counts.items()},
                   {k: _int(v, k, 0, COUNT_MAX) for k, v in errors.items()}, interrupted)

    def message(self) -> dict[str, Any]:
        """The message a worker sends for this round."""
        return {"kind": "run", "site": self.site.id, "worker": self.worker,
                "started_at": self.started_at, "counts": self.counts, "errors": self.errors,
                "interrupted": self.interrupted}


KINDS = {"page": PageItem.parse, "touch": Seen.parse, "gone": Seen.parse,
         "run": RunReport.parse}


WORKER = re.compile(rb'"worker"\s*:\s*"([^"\\]{1,80})"')


def claimed_worker(raw: bytes) -> str:
    """The worker a refused message names (for the log line only: it proves nothing)."""
    found = WORKER.search(raw)
    name = found.group(1).decode("utf-8", "replace") if found else ""
    return "".join(c for c in name if c.isprintable()) or "?"


def check_size(raw: bytes) -> None:
    """Refuse a message too big to be one before it is even verified or parsed."""
    if len(raw) > MESSAGE_MAX:
        raise Rejected(Flaw.TOO_LARGE, claimed_worker(raw[:4096]),
                      f"a message of {len(raw)} bytes (limit {MESSAGE_MAX})")


def parse(data: dict[str, Any], registry: Registry) -> PageItem | Seen | RunReport:
    """The checked item `data` says, or `Rejected` (with the worker it names)."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in KINDS:
        raise Rejected(Flaw.MALFORMED, _named(data), "no known kind")
    try:
        return KINDS[kind](data, registry)
    except Rejected as exc:
        exc.worker = _named(data)
        raise


def _named(data: dict[str, Any]) -> str:
    name = data.get("worker") if isinstance(data, dict) else None
    if not isinstance(name, str):
        return "?"
    return "".join(c for c in name[:NAME_MAX] if c.isprintable()) or "?"
