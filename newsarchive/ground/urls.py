"""URL rules in one place: cleaning for display, and the identity key for de-duplication."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|zarsrc|zarsrc\w*|_ga|mc_cid|mc_eid|ref|refer|"
    r"source|from|gidzl|itm_\w+|cmpid|ocid|sessionid|jsessionid|phpsessid)$",
    re.IGNORECASE,
)


def absolute(url: str | None, base: str) -> str | None:
    """`url` made absolute against `base`; None for empty, `data:` and `javascript:` URLs."""
    if not url:
        return None
    url = url.strip()
    if not url or url.lower().startswith(("data:", "javascript:", "about:", "blob:")):
        return None
    if url.startswith("//"):
        url = (urlsplit(base).scheme or "https") + ":" + url
    joined = urljoin(base, url)
    return joined if joined.startswith(("http://", "https://")) else None


def clean_url(url: str) -> str:
    """Lower-case host, no default port, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower() or "https", host, parts.path or "/", query, ""))


@lru_cache(maxsize=65536)
def url_key(url: str) -> str:
    """Identity of an article URL: http/https, `www.`/`m.` hosts and a trailing slash
    are the same page. Two URLs with one key are one article."""
    parts = urlsplit(clean_url(url))
    host = re.sub(r"^(www\d?|m|mobile|amp)\.", "", parts.netloc)
    path = parts.path.rstrip("/") or "/"
    path = re.sub(r"^/amp(?=/)", "", path)
    return urlunsplit(("https", host, path, parts.query, ""))


def host_of(url: str) -> str:
    """Host without `www.`/`m.`, e.g. `baonghean.vn`."""
    return urlsplit(url_key(url)).netloc
