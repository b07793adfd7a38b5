from datetime import datetime

import pytest

from newsarchive.ground.dates import ICT, iso, parse_date, plausible, vietnamese


@pytest.mark.parametrize(
    "raw, order, expected, has_time",
    [
        ("2026-03-07T00:05:00+07:00", "dmy", "2026-03-07T00:05:00+07:00", True),
        ("2025-06-17T13:43:02+0700", "dmy", "2025-06-17T13:43:02+07:00", True),
        ("2026-03-07T08:52:11.000 +07:00", "dmy", "2026-03-07T08:52:11+07:00", True),
        ("2026-03-07T01:00:00Z", "dmy", "2026-03-07T08:00:00+07:00", True),
        ("2026-03-07T00:01:00", "dmy", "2026-03-07T00:01:00+07:00", True),  # no zone: ICT
        ("2026-01-08", "dmy", "2026-01-08T00:00:00+07:00", False),
        ("07/03/2026 08:47", "dmy", "2026-03-07T08:47:00+07:00", True),  # day first
        ("9/5/2026 10:17:01 PM", "mdy", "2026-09-05T22:17:01+07:00", True),  # OneCMS meta
        ("9/5/2026 10:17:01 PM", "dmy", "2026-05-09T22:17:01+07:00", True),
        ("05/09/2026 - 22:17", "dmy", "2026-09-05T22:17:00+07:00", True),
        ("15-01-2024 13:04", "dmy", "2024-01-15T13:04:00+07:00", True),
        ("Thứ bảy, 7/3/2026, 00:05 (GMT+7)", "dmy", "2026-03-07T00:05:00+07:00", True),
        ("07-03-2026 - 00:01 AM", "dmy", "2026-03-07T00:01:00+07:00", True),
        ("12:30 AM 01/02/2026", "dmy", "2026-02-01T00:30:00+07:00", True),
        ("Thứ Bảy, 07/03/2026 - 08:52", "dmy", "2026-03-07T08:52:00+07:00", True),
        ("Cập nhật ngày 7 tháng 3 năm 2026", "dmy", "2026-03-07T00:00:00+07:00", False),
        ("1772816700", "dmy", "2026-03-07T00:05:00+07:00", True),
    ],
)
def test_parse_date(raw, order, expected, has_time):
    dt, timed = parse_date(raw, order)
    assert iso(dt) == expected
    assert timed is has_time


@pytest.mark.parametrize("raw", ["", None, "hôm qua", "31/02/2026 10:00", "2026-13-01"])
def test_unreadable_dates_are_none(raw):
    assert parse_date(raw) == (None, False)


def test_plausible_rejects_future_and_prehistory():
    now = datetime(2026, 3, 7, tzinfo=ICT)
    assert plausible(datetime(2026, 3, 7, 23, tzinfo=ICT), now)
    assert not plausible(datetime(2026, 3, 9, tzinfo=ICT), now)
    assert not plausible(datetime(1970, 1, 1, tzinfo=ICT), now)


def test_vietnamese_style():
    assert vietnamese(parse_date("2026-03-07T08:47:00+07:00")[0]) == "Thứ Bảy, 07/03/2026 08:47"
    assert vietnamese(parse_date("2026-03-08T01:00:00Z")[0]) == "Chủ Nhật, 08/03/2026 08:00"
