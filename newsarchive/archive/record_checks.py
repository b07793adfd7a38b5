"""What an imported record must be, checked field by field before anything is stored:
each failure is a `BadRecord` whose message says, in words, which field and what is
wrong with it (`'title' is a number, not text`)."""

from __future__ import annotations

from typing import Any

from ..ground.article import Article
from ..ground.clock import parse_stamp
from ..ground.controls import clean_text

REQUIRED = ("url", "site")  # non-empty text
TEXTS = ("body_text", "body_html", "extractor_version")  # text (null: the default)
OPTIONAL_TEXTS = ("title", "sapo", "source", "published_at", "modified_at", "section",
                  "language")  # text or null
LISTS = ("authors", "tags", "notes")  # lists of text (null: none)
STAMPS = ("first_seen", "last_seen", "last_changed")  # an exported record's times


class BadRecord(ValueError):
    """A record of an import that is neither an exported record nor an Article."""


def kind(value: Any) -> str:
    """A JSON value's type in words."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return {str: "text", list: "a list", dict: "an object", type(None): "null"}.get(
        type(value), type(value).__name__)


def article(data: Any, where: str = "") -> Article:
    """The Article a record's object describes, its fields checked; `where` prefixes
    the reason (`article: `)."""
    if not isinstance(data, dict):
        raise BadRecord(f"{where}{kind(data)}, not an object")
    for name in REQUIRED:
        value = data.get(name)
        if name not in data:
            raise BadRecord(f"{where}missing field '{name}'")
        if not isinstance(value, str) or not value.strip():
            raise BadRecord(f"{where}'{name}' is {kind(value) if value else 'empty'}, "
                            "not text")
        if clean_text(value) != value:
            raise BadRecord(f"{where}'{name}' holds a character no {name} has (a control "
                            "character, a noncharacter or a lone surrogate)")
    fields = dict(data)
    for name in OPTIONAL_TEXTS:
        if not isinstance(fields.get(name), str | None):
            raise BadRecord(f"{where}'{name}' is {kind(fields[name])}, not text or null")
    for name in TEXTS:
        if fields.get(name) is None:
            fields.pop(name, None)  # its default
        elif not isinstance(fields[name], str):
            raise BadRecord(f"{where}'{name}' is {kind(fields[name])}, not text")
    for name in LISTS:
        if fields.get(name) is None:
            fields.pop(name, None)
        elif not _texts(fields[name]):
            raise BadRecord(f"{where}'{name}' is {kind(fields[name])}, not a list of texts")
    provenance = fields.get("provenance")
    if provenance is None:
        fields.pop("provenance", None)
    elif not (isinstance(provenance, dict) and _texts(list(provenance.values()))):
        raise BadRecord(f"{where}'provenance' is {kind(provenance)}, not an object of texts")
    fields["images"] = _images(fields.get("images"), where)
    return Article.from_dict(fields)


def stamp(record: dict, name: str, where: str = "") -> str:
    """The record's time `name`, checked to be one (ISO 8601 with `Z` or an offset)."""
    if name not in record:
        raise BadRecord(f"{where}missing field '{name}'")
    value = record[name]
    try:
        if not isinstance(value, str) or parse_stamp(value).tzinfo is None:
            raise ValueError
    except ValueError:
        shown = repr(value) if isinstance(value, str) else kind(value)
        raise BadRecord(f"{where}'{name}' is {shown}, not a time such as "
                        "2026-03-07T02:00:00Z") from None
    return value


def versions(record: dict) -> list[dict]:
    """An exported record's `versions`, each an object with a time and text fields."""
    listed = record.get("versions") or []
    if not isinstance(listed, list):
        raise BadRecord(f"'versions' is {kind(listed)}, not a list")
    for n, version in enumerate(listed, 1):
        where = f"'versions' item {n}: "
        if not isinstance(version, dict):
            raise BadRecord(f"{where}{kind(version)}, not an object")
        stamp(version, "seen_at", where)
        number = version.get("version")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
            raise BadRecord(f"{where}'version' is {kind(number)}, not a whole number")
        for name in ("title", "sapo", "body_text"):
            if name not in version:
                raise BadRecord(f"{where}missing field '{name}'")
            if not isinstance(version[name], str | None):
                raise BadRecord(f"{where}'{name}' is {kind(version[name])}, not text")
    return listed


def url_keys(record: dict) -> list[str]:
    """An exported record's `url_keys`: a list of texts."""
    keys = record.get("url_keys") or []
    if not _texts(keys):
        raise BadRecord(f"'url_keys' is {kind(keys)}, not a list of texts")
    for n, key in enumerate(keys, 1):
        if clean_text(key) != key:
            raise BadRecord(f"'url_keys' item {n} holds a character no URL has (a control "
                            "character, a noncharacter or a lone surrogate)")
    return keys


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _images(value: Any, where: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord(f"{where}'images' is {kind(value)}, not a list")
    for n, image in enumerate(value, 1):
        if not (isinstance(image, dict) and isinstance(image.get("url"), str)
                and isinstance(image.get("caption"), str | None)):
            raise BadRecord(f"{where}'images' item {n} is not an object with a 'url' text "
                            "and a 'caption' text or null")
    return [{"url": i["url"], "caption": i.get("caption")} for i in value]
