"""Dates as Vietnamese newspapers write them, to aware datetimes in Asia/Ho_Chi_Minh.

Pages write day-first (`07/03/2026 08:47` is 7 March); some CMS meta tags write
month-first US style (OneCMS: `9/5/2026 10:17:01 PM` is 5 September). ISO values win;
for the rest the caller says the order (`dmy` or `mdy`). No guessing library: every
accepted form is listed here and tested.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from . import clock

ICT = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
EARLIEST = datetime(1995, 1, 1, tzinfo=ICT)

_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_NUMERIC = re.compile(
    r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)"
    r"(?:[^\d]{0,12}?(\d{1,2})[:hg](\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?"
)
_TIME_FIRST = re.compile(
    r"(?<!\d)(\d{1,2})[:hg](\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?[^\d]{1,12}?"
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)"
)
_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_EPOCH = re.compile(r"^\s*(\d{10})(\d{3})?\s*$")

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def _build(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0,
           tz: timezone = ICT) -> datetime | None:
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=tz)
    except ValueError:
        return None


def _offset(text: str | None) -> timezone:
    if not text:
        return ICT
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def parse_date(value: str | None, order: str = "dmy") -> tuple[datetime | None, bool]:
    """(`datetime` in ICT, `has_time`) from one date string, or (None, False).

    `order` is how this source writes numeric dates: `dmy` (Vietnamese) or `mdy`.
    A value without a zone is Vietnam time.
    """
    if not value:
        return None, False
    return _parsed(str(value), order)  # a plain str: lxml's would keep their tree cached


@lru_cache(maxsize=256)  # the layers of a page parse the same few strings several times
def _parsed(value: str, order: str) -> tuple[datetime | None, bool]:
    text = " ".join(value.split())
    if m := _ISO.match(text):
        y, mo, d, h, mi, s, tz = m.groups()
        dt = _build(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), _offset(tz))
        return (dt.astimezone(ICT), h is not None) if dt else (None, False)
    if m := _EPOCH.match(text):
        return datetime.fromtimestamp(int(m.group(1)), ICT), True
    m = _NUMERIC.search(text)
    if m and m.group(4) is None and (t := _TIME_FIRST.search(text)):
        h, mi, s, ampm, a, b, y = t.groups()
    elif m:
        a, b, y, h, mi, s, ampm = m.groups()
    if m:
        d, mo = (int(b), int(a)) if order == "mdy" else (int(a), int(b))
        hour = int(h or 0)
        if ampm:
            hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
        dt = _build(int(y), mo, d, hour, int(mi or 0), int(s or 0))
        return dt, dt is not None and h is not None
    if m := _WORDS.search(text):
        return _build(int(m.group(3)), int(m.group(2)), int(m.group(1))), False
    return None, False


def plausible(dt: datetime, now: datetime | None = None) -> bool:
    """Not before 1995 (no Vietnamese news site) and not more than a day after `now`."""
    now = now or clock.now()
    return EARLIEST <= dt <= now + timedelta(days=1)


def iso(dt: datetime) -> str:
    """ISO 8601 in Vietnam time: `2026-03-07T08:47:00+07:00`."""
    return dt.astimezone(ICT).isoformat(timespec="seconds")


def vietnamese(dt: datetime) -> str:
    """`Thứ Bảy, 07/03/2026 08:47`, as the papers print it."""
    t = dt.astimezone(ICT)
    return (f"{WEEKDAYS[t.weekday()]}, {t.day:02d}/{t.month:02d}/{t.year} "
            f"{t.hour:02d}:{t.minute:02d}")


def to_utc_stamp(value: str | None) -> str | None:
    """A page's date (ISO with its +07:00 offset) as the archive's UTC stamp."""
    dt = parse_date(value)[0] if value else None
    return clock.stamp(dt) if dt else None
