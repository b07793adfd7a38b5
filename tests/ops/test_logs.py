"""The error log an internal error's traceback is appended to."""

from __future__ import annotations

from newsarchive.ops.logs import append_traceback


def _failure() -> BaseException:
    try:
        raise RuntimeError("the registry is broken")
    except RuntimeError as exc:
        return exc


def test_tracebacks_are_appended_to_the_error_log(tmp_path, monkeypatch):
    log = tmp_path / "errors.log"
    monkeypatch.setenv("NEWSARCHIVE_ERROR_LOG", str(log))
    assert append_traceback(_failure()) == str(log)
    assert append_traceback(_failure()) == str(log)
    text = log.read_text(encoding="utf-8")
    assert text.count("Traceback (most recent call last)") == 2
    assert text.count("RuntimeError: the registry is broken") == 2
    assert text.startswith("--- 20")


def test_an_unwritable_error_log_is_said_not_raised(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSARCHIVE_ERROR_LOG", str(tmp_path / "no-such-folder" / "e.log"))
    assert append_traceback(_failure()) == "nowhere: the error log could not be written"
