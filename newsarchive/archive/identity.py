"""Which article a fetched page belongs to, decided once and the same way every time.

An article belongs to the site and host it was first stored under. A page read for
site S names its target by this rule, documented in README ("What the archive
guarantees"): the page's canonical URL when its host is one of S's hosts (or their
subdomains), else the URL it was fetched at, when that one is; else nothing (the page
is out of scope and is stored without an article). The stored article looked up is the
target's, else the fetched URL's, in that order. A URL becomes an alias only when it is
on the target's own host and not already another article's; nothing else is ever
relabelled or overwritten: a disagreement is an identity conflict, logged and counted.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from ..ground.outcomes import PageOutcome
from ..ground.urls import host_of, url_key


def in_scope(url: str, hosts: Collection[str] | None) -> bool:
    """Is `url` on one of `hosts` or a subdomain of one? (No hosts: any URL.)"""
    if hosts is None:
        return True
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in hosts)


@dataclass
class Identity:
    """The target URL of an update, the keys to look it up by (in order), and the URL
    keys it may take (its own first); `refused` is why there is no target."""

    target: str | None
    lookup: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: PageOutcome | None = None


def identify(canonical: str, fetched: list[str], hosts: Collection[str] | None) -> Identity:
    """Target, lookup keys and aliases for an article whose page says `canonical`, fetched
    at `fetched` (the final URL first, then the URLs that redirected to it)."""
    if in_scope(canonical, hosts):
        target = canonical
    elif fetched and in_scope(fetched[0], hosts):
        target = fetched[0]
    else:
        return Identity(None, refused=PageOutcome.OUT_OF_SCOPE)
    keys = [url_key(target)]
    if fetched and url_key(fetched[0]) not in keys and in_scope(fetched[0], hosts):
        keys.append(url_key(fetched[0]))
    aliases, skipped = [keys[0]], []
    for url in fetched:
        key = url_key(url)
        if key in aliases:
            continue
        same_host = in_scope(url, hosts) and host_of(url) == host_of(target)
        (aliases if same_host else skipped).append(key)
    return Identity(target, keys, aliases, skipped)
