"""The scheduler's requests as signed JSON: scrapy-redis's `SCHEDULER_SERIALIZER`
(an object with `dumps` and `loads`), in place of its default, pickle, which runs
whatever a payload asks of the worker that pops it.

A request is the dict `Request.to_dict()` makes; bytes (a body, header names and
values) travel as `{"$bytes": base64}` and a mapping with keys that are not text as
`{"$map": [[key, value], ...]}`, so that `loads(dumps(d)) == d`, tuples becoming lists."""

from __future__ import annotations

import base64
from typing import Any

from .messages import Flaw, Rejected
from .signing import Signer


def encode(value: Any) -> Any:
    """`value` as JSON-ready data; TypeError for what JSON cannot carry back."""
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and not {"$bytes", "$map"} & value.keys():
            return {k: encode(v) for k, v in value.items()}
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a request cannot carry a {type(value).__name__} through Redis")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if value.keys() == {"$bytes"}:
            return base64.b64decode(value["$bytes"], validate=True)
        if value.keys() == {"$map"}:
            return {_hashable(decode(k)): decode(v) for k, v in value["$map"]}
        return {k: decode(v) for k, v in value.items()}
    return value


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


class RequestSerializer:
    """`dumps` a request dict to a signed message, `loads` one back, refusing
    (`messages.Rejected`) what is unsigned, signed with another key or malformed."""

    def __init__(self, signer: Signer) -> None:
        self.signer = signer

    def dumps(self, request: dict[str, Any]) -> bytes:
        return self.signer.seal(encode(request))

    def loads(self, raw: bytes) -> dict[str, Any]:
        data = self.signer.open(raw)
        try:
            request = decode(data)
        except (ValueError, TypeError, KeyError) as exc:
            raise Rejected(Flaw.MALFORMED, detail=f"not a request: {exc}") from None
        if not isinstance(request.get("url"), str):
            raise Rejected(Flaw.MALFORMED, detail="a request without a URL")
        return request
