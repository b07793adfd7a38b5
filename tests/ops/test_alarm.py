"""The drift alarm (`crawl --on-alarm COMMAND`), run by the library for each degraded
site: the message on standard input and in NEWSARCHIVE_ALARM_* variables."""

from __future__ import annotations

import json

from newsarchive.ops.alarm import raise_alarms, run_alarm


def _row(site: str, status: str) -> dict:
    return {"site": site, "status": status, "alarm": "no title on 8 of 10 pages",
            "examples": json.dumps([f"https://{site}.vn/bai-1.html",
                                    f"https://{site}.vn/bai-2.html"])}


def test_the_alarm_runs_once_per_degraded_site_with_the_message(tmp_path):
    out = tmp_path / "alarm.txt"
    hook = (f'cat >> {out}; echo "[$NEWSARCHIVE_ALARM_SITE|$NEWSARCHIVE_ALARM_MESSAGE|'
            f'$NEWSARCHIVE_ALARM_EXAMPLES]" >> {out}')
    rows = [_row("baonghean", "ok"), _row("baohatinh", "degraded"),
            _row("baolaocai", "failed"), _row("baocantho", "degraded")]
    assert raise_alarms(hook, rows) == ["baohatinh", "baocantho"]
    written = out.read_text(encoding="utf-8")
    assert written.count("newsarchive: layout drift on") == 2
    assert ("newsarchive: layout drift on baohatinh: no title on 8 of 10 pages\n"
            "https://baohatinh.vn/bai-1.html\nhttps://baohatinh.vn/bai-2.html") in written
    assert ("[baocantho|no title on 8 of 10 pages|https://baocantho.vn/bai-1.html "
            "https://baocantho.vn/bai-2.html]") in written
    assert "baonghean" not in written and "baolaocai" not in written


def test_a_failing_hook_gives_its_status_and_does_not_raise(tmp_path):
    assert run_alarm("cat > /dev/null; exit 3", _row("baonghean", "degraded")) == 3
    assert raise_alarms("exit 1", [_row("baonghean", "ok")]) == []
