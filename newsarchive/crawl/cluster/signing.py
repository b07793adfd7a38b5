"""Every message that crosses Redis is signed: HMAC-SHA256 with the cluster's shared key.

On the wire a message is `na1.<64 hex digits>.<JSON>`: the signature covers the JSON's
exact bytes. Anything else (a pickle, bare JSON, a signature made with another key) is
refused before it is parsed, so nothing unsigned is ever decoded, let alone run.

The key is text of at least 32 characters, read from `--cluster-key FILE` or, without it,
`$NEWSARCHIVE_CLUSTER_KEY` (the key itself). Make one with
`head -c 32 /dev/urandom | base64 > cluster.key` and give the same file to every worker
and the writer. A cluster without a key does not start.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from .messages import Flaw, Rejected, claimed_worker

MAGIC = b"na1."
ENV = "NEWSARCHIVE_CLUSTER_KEY"
MIN_KEY = 32
HOW = "make one with `head -c 32 /dev/urandom | base64 > cluster.key` and pass " \
      "`--cluster-key cluster.key` (the same file on every machine)"


class KeyMissing(Exception):
    """No usable key: the message says why and how to make one."""


class Signer:
    """Seals and opens messages with one key (its repr never shows the key)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "Signer(<key hidden>)"

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).hexdigest().encode("ascii")

    def seal(self, data: dict[str, Any]) -> bytes:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return MAGIC + self._mac(body) + b"." + body

    def open(self, raw: bytes | str) -> dict[str, Any]:
        """The message's JSON object, once its signature is checked; else `Rejected`
        (unsigned, bad-signature, malformed)."""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogatepass")
        if not raw.startswith(MAGIC) or raw[len(MAGIC) + 64:len(MAGIC) + 65] != b".":
            raise Rejected(Flaw.UNSIGNED, claimed_worker(raw))
        mac, body = raw[len(MAGIC):len(MAGIC) + 64], raw[len(MAGIC) + 65:]
        if not hmac.compare_digest(mac, self._mac(body)):
            raise Rejected(Flaw.BAD_SIGNATURE, claimed_worker(body))
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise Rejected(Flaw.MALFORMED, detail=f"not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise Rejected(Flaw.MALFORMED, detail="not a JSON object")
        return data


def load_key(path: str | None) -> Signer:
    """The cluster's signer, from the key file `path` or `$NEWSARCHIVE_CLUSTER_KEY`;
    `KeyMissing` (one line saying what is wrong and how to make a key) otherwise."""
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyMissing(f"cannot read the cluster key {path}: "
                             f"{getattr(exc, 'strerror', None) or exc}; {HOW}") from None
        where = path
    else:
        text, where = os.environ.get(ENV, "").strip(), f"${ENV}"
        if not text:
            raise KeyMissing(f"a cluster needs a shared key: {HOW}, or set ${ENV}")
    if len(text) < MIN_KEY:
        raise KeyMissing(f"the cluster key in {where} is too short ({len(text)} characters, "
                         f"at least {MIN_KEY}): {HOW}")
    return Signer(text.encode("utf-8"))
