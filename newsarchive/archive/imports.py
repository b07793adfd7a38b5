"""Import: what `newsarchive export --format jsonl` writes (articles with their history)
and what `newsarchive extract` prints (one Article per line, or the pretty-printed single
Article, or several of those one after another).

Every record is read and checked (`record_checks`) before anything of it is written, so a
bad line is either skipped and reported (`line N: reason`) while the good ones are
imported, or, with `strict`, refuses the whole import. Text goes through `clean_text` like
any other way in: a lone surrogate (a JSON `\ud800` escape without its pair), a
noncharacter or a control character in a text field is removed and the record counted
`cleaned`; in a `url` or `site`, where it changes what the record is, the line is bad.

The places an article names are restored from an exported record's `places`; a record
without them (what `extract` prints, an older export) is tagged by the `tag` function the
caller gives (the tagger sits above the archive). Each stored article is counted by what
it did to the archive: new, changed, or unchanged (an import done twice changes nothing)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..ground.article import Article
from ..ground.clock import stamp
from ..ground.controls import web_url, without_controls
from ..ground.outcomes import PageOutcome
from . import record_checks as check
from .archive import Archive
from .articles import content_hash
from .db import discard
from .places import COLUMNS as PLACE_COLUMNS
from .record_checks import BadRecord

Tagger = Callable[[Article], list[dict] | None]
"""The places an article names, as `article_places` rows (None: not known)."""

EXPECTED = ("expected what `newsarchive export --format jsonl` writes or an Article as "
            "`newsarchive extract` prints it")  # said once after the bad lines


@dataclass
class Report:
    """What an import did: `counts` (`articles` stored, `refused-url`, `bad`,
    `cleaned`), what the stored ones did (`outcomes`: new, changed, unchanged) and the
    bad records as (line, reason), in file order."""

    counts: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    bad: list[tuple[int, str]] = field(default_factory=list)
    created: bool = False  # the import made the archive (`import_into`)


def import_records(archive: Archive, lines: Iterable[bytes], strict: bool = False,
                   tag: Tagger | None = None) -> Report:
    """Store every good record of `lines` (bytes, as read from a binary file) in one
    transaction. A bad record is counted and reported; with `strict` it raises
    BadRecord (`line N: reason`) and nothing is imported. A record whose URL is not
    http(s) is refused and counted (`refused-url`); one whose text had to be cleaned is
    stored clean and counted (`cleaned`). `tag` gives the places of a record that
    carries none."""
    report = Report()
    with archive.conn:
        for number, parsed in _objects(lines):
            try:
                store, cleaned = _plan(parsed)
            except BadRecord as exc:
                if strict:
                    raise BadRecord(f"line {number}: {exc}") from None
                report.bad.append((number, str(exc)))
                report.counts["bad"] += 1
                continue
            outcome = store(archive, tag)
            report.counts["articles" if outcome else "refused-url"] += 1
            if outcome:
                report.outcomes[outcome] += 1
            if outcome and cleaned:
                report.counts["cleaned"] += 1
    return report


def import_into(path: str | Path, lines: Iterable[bytes], strict: bool = False,
                tag: Tagger | None = None) -> Report:
    """`import_records` into the archive at `path`, created if nothing is there; an
    archive the import created is removed again when no article was stored in it (nor
    refused by `strict`'s BadRecord): a failed import leaves no empty archive behind."""
    created = not Path(path).exists()
    archive = Archive(path)
    report = None
    try:
        report = import_records(archive, lines, strict=strict, tag=tag)
        report.created = created
        return report
    finally:
        archive.close()
        if created and not (report and report.counts.get("articles")):
            discard(path)


def import_jsonl(archive: Archive, lines: Iterable[str]) -> Counter:
    """Strict import of text lines (the export format, as the library's tests use it)."""
    return import_records(archive, (line.encode("utf-8") for line in lines), strict=True).counts


def _objects(lines: Iterable[bytes]) -> Iterator[tuple[int, dict | BadRecord]]:
    """(line number, JSON object or BadRecord) per record: one per line, or an object
    pretty-printed from a line `{` to a line `}` (how `extract` prints)."""
    pending: list[bytes] = []
    start = 0
    for number, raw in enumerate(lines, 1):
        if pending:
            pending.append(raw)
            if raw.rstrip(b"\r\n") == b"}":
                yield start, _parse(b"".join(pending))
                pending = []
        elif raw.strip() == b"{":
            pending, start = [raw], number
        elif raw.strip():
            yield number, _parse(raw)
    if pending:
        yield start, BadRecord("a JSON object that never ends")


def _parse(raw: bytes) -> dict | BadRecord:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadRecord(f"not UTF-8 text ({exc.reason})")
    try:
        value = json.loads(text)
    except ValueError:
        return BadRecord("not JSON")
    return value if isinstance(value, dict) else BadRecord("not a JSON object")


Store = Callable[[Archive, Tagger | None], str | None]
"""Stores one checked record: what it did to the archive (a PageOutcome: new, changed,
unchanged, or why nothing was stored), None when refused for its URL."""


def _plan(parsed: dict | BadRecord) -> tuple[Store, bool]:
    """Check a record completely: what stores it, and whether its text was cleaned;
    BadRecord when it is not a record."""
    if isinstance(parsed, BadRecord):
        raise parsed
    if "article" in parsed:
        return _exported(parsed)
    if "url" in parsed:
        return _extracted(parsed)
    raise BadRecord("no 'article' or 'url' key")


def _clean(art: Article) -> tuple[Article, bool]:
    clean = without_controls(art)
    return clean, clean is not art


def _places(record: dict) -> list[dict] | None:
    """An exported record's `places` (rows of `article_places`), checked; None when the
    record has none."""
    rows = record.get("places")
    if rows is None:
        return None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise BadRecord(f"places: {check.kind(rows)}, not a list of objects")
    for row in rows:
        if unknown := set(row) - set(PLACE_COLUMNS):
            raise BadRecord(f"places: unknown field {sorted(unknown)[0]!r}")
        if not isinstance(row.get("as_written"), str):
            raise BadRecord("places: a place without its 'as_written' text")
    return rows


def _keep_places(archive: Archive, article_id: int, art: Article, rows: list[dict] | None,
                 tag: Tagger | None) -> None:
    """The article's places: the record's, else tagged now (when a tagger is given)."""
    if rows is None and tag is not None:
        rows = tag(art)
    if rows is not None:
        archive.places.replace(article_id, rows)


def _extracted(data: dict) -> tuple[Store, bool]:
    """An Article as `extract` prints it: stored as seen now."""
    art, cleaned = _clean(check.article(data))

    def store(archive: Archive, tag: Tagger | None) -> str | None:
        if not web_url(art.url):
            return None
        outcome, article_id, _ = archive.articles.upsert(art, stamp(), None, None)
        if article_id is not None:
            _keep_places(archive, article_id, art, None, tag)
        return outcome
    return store, cleaned


def _exported(record: dict) -> tuple[Store, bool]:
    """An exported record: each version stored at the time it was seen, then the article
    as last seen, so that an import into an empty archive gives back what was exported."""
    final, cleaned = _clean(check.article(record["article"], "article: "))
    first, last, changed = (check.stamp(record, name) for name in check.STAMPS)
    versions = []
    for v in check.versions(record):
        art, again = _clean(check.article(record["article"] | {
            k: v[k] for k in ("title", "sapo", "body_text")}, "article: "))
        versions.append((art, v["seen_at"], v.get("version")))
        cleaned = cleaned or again
    aliases = [key for key in check.url_keys(record) if web_url(key)]
    places = _places(record)

    def store(archive: Archive, tag: Tagger | None) -> str | None:
        if not web_url(final.url):
            return None
        known = archive.articles.find(final.url)
        stored = dict(archive.conn.execute(
            "SELECT version, content_hash FROM article_versions WHERE article_id = ?",
            (known["id"],))) if known else {}
        outcomes = set()
        for art, seen_at, number in versions:
            # every version, A -> B -> A -> B included; one already stored as that
            # version (an import done twice) is not added again
            if stored.get(number) != content_hash(art):
                outcomes.add(archive.articles.upsert(art, seen_at, None, None).outcome)
        outcome, article_id, _ = archive.articles.upsert(final, last, None, None)
        if article_id is None:
            return outcome
        outcome = (PageOutcome.NEW if known is None else
                   PageOutcome.CHANGED if outcomes - {PageOutcome.UNCHANGED}
                   or outcome != PageOutcome.UNCHANGED else PageOutcome.UNCHANGED)
        archive.conn.executemany(  # URL aliases; one that is another article's stays so
            "INSERT OR IGNORE INTO article_urls (url_key, article_id) VALUES (?, ?)",
            [(key, article_id) for key in aliases])
        archive.conn.execute(
            "UPDATE articles SET first_seen = MIN(first_seen, ?), last_seen = ?, "
            "last_changed = ? WHERE id = ?", (first, last, changed, article_id))
        _keep_places(archive, article_id, final, places, tag)
        return outcome
    return store, cleaned
