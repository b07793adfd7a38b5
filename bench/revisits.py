"""An article page as the revisit schedule fetches it again and again: what changes on a
real news page between two fetches, applied to a captured page (for bench.storage and
the storage tests). Each visit starts
from the one before, so changes accumulate."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

# When the schedule fetches an article (crawl/revisit.py): hourly on its first day,
# daily in its first week, weekly in its first month: 33 fetches.
VISITS = ([timedelta(hours=h) for h in range(24)] + [timedelta(days=d) for d in range(1, 7)]
          + [timedelta(weeks=w) for w in range(1, 4)])

LIST = re.compile(rb"<ul\b[^>]*>((?:(?!</?ul\b).)*?)</ul>", re.S | re.I)
ITEM = re.compile(rb"<li\b.*?</li>", re.S | re.I)
CLOCK = re.compile(rb"\b([01]\d|2[0-3]):([0-5]\d)\b")
PARAGRAPH = re.compile(rb"(<p\b[^>]*>)([^<]{80,})(</p>)", re.I)
DIGITS = re.compile(rb"\d")
END = re.compile(rb"</body>", re.I)


def _most_read(body: bytes, rng: random.Random) -> bytes:
    """The last list of 4-30 items (most-read boxes sit low on the page) reordered."""
    boxes = [m for m in LIST.finditer(body) if 4 <= len(ITEM.findall(m.group(1))) <= 30]
    if not boxes:
        return body
    box = boxes[-1]
    items = ITEM.findall(box.group(1))
    rng.shuffle(items)
    inner = box.group(1)
    first, last = ITEM.search(inner), list(ITEM.finditer(inner))[-1]
    new = inner[:first.start()] + b"\n".join(items) + inner[last.end():]
    return body[:box.start(1)] + new + body[box.end(1):]


def _counters(body: bytes, rng: random.Random) -> bytes:
    """About 1 digit in 200 changed: view counters, cache-busting tokens, ids."""
    digits = [m.start() for m in DIGITS.finditer(body)]
    out = bytearray(body)
    for at in rng.sample(digits, min(len(digits), max(1, len(digits) // 200))):
        out[at] = ord(str(rng.randrange(10)))
    return bytes(out)


def _edit(body: bytes, rng: random.Random) -> bytes:
    """One paragraph of the story edited: a sentence added at its end."""
    found = list(PARAGRAPH.finditer(body))
    if not found:
        return body
    p = rng.choice(found)
    added = f" Cập nhật lúc {rng.randrange(24):02d}:{rng.randrange(60):02d}: thông tin bổ sung."
    return body[:p.end(2)] + added.encode() + body[p.end(2):]


def revisit(body: bytes, at: datetime, rng: random.Random) -> bytes:
    """`body` fetched again at `at`: most-read box reordered, counters and clock times
    changed, a new ad slot id, and one time in eight a paragraph edited."""
    body = _most_read(body, rng)
    body = _counters(body, rng)
    body = CLOCK.sub(at.strftime("%H:%M").encode(), body, count=3)
    slot = f'<div id="div-gpt-ad-{rng.getrandbits(48):012x}-0" class="ad-slot"></div>'
    body = re.sub(rb'<div id="div-gpt-ad-[0-9a-f]+-0" class="ad-slot"></div>', b"", body)
    body = END.sub(lambda _: slot.encode() + b"</body>", body, count=1) if END.search(body) \
        else body + slot.encode()
    if rng.random() < 1 / 8:
        body = _edit(body, rng)
    return body


def schedule(first: bytes, published: datetime, seed: int = 0) -> list[tuple[str, bytes]]:
    """(fetched_at, body) of the 33 fetches of one article, the first as captured."""
    rng, body, out = random.Random(seed), first, []
    for n, after in enumerate(VISITS):
        at = published + after
        if n:
            body = revisit(body, at, rng)
        out.append((at.strftime("%Y-%m-%dT%H:%M:%SZ"), body))
    return out
