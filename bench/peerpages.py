"""The peer pages (`../shared/peer-pages`): other countries' article pages with the
records a per-publisher parser made of them, how a record is scored against one, and
what trafilatura alone makes of a page. Standing on its own (no `tests` import), for
`bench.peers` and the tests alike."""

from __future__ import annotations

import gzip
import json
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("title", "day", "time", "authors", "body")
BODY_F1_RIGHT = 0.9  # a body with this token F1 or more counts as a right check


def peer_pages_dir() -> Path:
    """`$NEWSARCHIVE_PEER_PAGES`, else `../shared/peer-pages` (beside the checkout)."""
    env = os.environ.get("NEWSARCHIVE_PEER_PAGES")
    return Path(env) if env else ROOT.parent / "shared" / "peer-pages"


def real_peer_pages() -> Path | None:
    folder = peer_pages_dir()
    return folder if any(folder.glob("*/meta.info")) else None


@dataclass(frozen=True)
class PeerPage:
    """One saved page: its file (`de/RBB24_2024_04_25.html.gz`), URL and expected record."""

    name: str
    path: Path
    url: str
    expected: dict

    def html(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())


def peer_pages(folder: Path | None = None) -> list[PeerPage]:
    """Every page of every country folder, matched to its publisher's record by the
    record's title, which occurs in the page."""
    folder = folder or peer_pages_dir()
    pages = []
    for info in sorted(folder.glob("*/meta.info")):
        meta = json.loads(info.read_text(encoding="utf-8"))
        for file, row in sorted(meta.items()):
            path = info.parent / file
            publisher = file.split("_")[0]
            records = json.loads((info.parent / f"{publisher}.json").read_text(encoding="utf-8"))
            text = _squash(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
            record = next((r for r in records.values() if _squash(r["title"]) in text),
                          next(iter(records.values())) if len(records) == 1 else None)
            if record is not None:
                pages.append(PeerPage(f"{info.parent.name}/{file}", path, row["url"], record))
    return pages


def _squash(text: str) -> str:
    import html

    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", html.unescape(text))).strip()


def expected_body(record: dict) -> str:
    body = record.get("body") or {}
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += [*section.get("headline", []), *section.get("paragraphs", [])]
    return "\n".join(parts)


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", unicodedata.normalize("NFC", text or "").casefold()))


def token_f1(got: str, want: str) -> float:
    have, need = tokens(got), tokens(want)
    common = sum((have & need).values())
    if not common:
        return 0.0
    precision, recall = common / sum(have.values()), common / sum(need.values())
    return 2 * precision * recall / (precision + recall)


def _when(value: str | None, like: str | None) -> datetime | None:
    """`value` as a datetime, in the offset of `like` when both carry one."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    want = datetime.fromisoformat(like) if like else None
    if want and want.tzinfo and dt.tzinfo:
        dt = dt.astimezone(want.tzinfo)
    return dt


def _names(values) -> set[str]:
    return {_squash(v).casefold() for v in values or [] if v and v.strip()}


def score(got: dict | None, expected: dict) -> dict[str, float | bool]:
    """Checks of one record (`title`, `published_at`, `authors`, `body_text` and `sapo`
    as Article names them; None for a refused page) against the expected record: exact
    title, the day and the time to the minute in the page's own offset, the set of
    authors, and the body's token F1 (lead and body) with `body` true from 0.9."""
    if got is None:
        return {"title": False, "day": False, "time": False, "authors": False,
                "body": False, "f1": 0.0}
    want_date = expected.get("publishing_date")
    want = _when(want_date, None)
    have = _when(got.get("published_at"), want_date)
    has_time = bool(got.get("published_at")) and len(got["published_at"]) > 10
    text = "\n".join(p for p in (got.get("sapo"), got.get("body_text")) if p)
    f1 = token_f1(text, expected_body(expected))
    return {
        "title": _squash(got.get("title") or "") == _squash(expected.get("title") or ""),
        "day": bool(want and have and have.date() == want.date()),
        "time": bool(want and have and have.date() == want.date()
                     and (have.hour, have.minute) == (want.hour, want.minute)
                     and (has_time or (want.hour, want.minute) == (0, 0))),
        "authors": _names(got.get("authors")) == _names(expected.get("authors")),
        "body": f1 >= BODY_F1_RIGHT,
        "f1": f1,
    }


def trafilatura_record(data: bytes, url: str) -> dict:
    """What trafilatura alone makes of a page, in Article field names (for comparison)."""
    import trafilatura

    doc = trafilatura.bare_extraction(data, url=url, with_metadata=True)
    if doc is None:
        return {}
    authors = [a.strip() for a in (doc.author or "").replace(";", ",").split(",") if a.strip()]
    return {"title": doc.title, "sapo": doc.description, "authors": authors,
            "published_at": doc.date, "body_text": doc.text or ""}
