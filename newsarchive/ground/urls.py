"""URL rules in one place: cleaning for display, and the identity key for de-duplication."""

from __future__ import annotations

import ipaddress
import re
import socket
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
    """Host without `www.`/`m.`, e.g. `baonghean.vn`: the host of the URL's key, read off
    the (cached) key, which `url_key` writes as `https://HOST/PATH`, rather than by
    taking it apart again (urlsplit, a few us a call, several calls a page)."""
    key = url_key(url)
    end = key.find("/", 8)
    if key.startswith("https://") and end != -1:
        return key[8:end]
    return urlsplit(key).netloc


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64 (RFC 6052, and
# its local-use /48 of RFC 8215) and the deprecated IPv4-compatible addresses (::a.b.c.d).
_EMBEDDING = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"),
              ipaddress.ip_network("::/96"))


def is_public_address(address: str) -> bool:
    """Is `address` (an IP address) one a public web server may have? Not a private,
    loopback, link-local, reserved or multicast one, nor an IPv6 address that leads to
    one of those through the IPv4 address it carries (`::ffff:127.0.0.1`, 6to4
    `2002:7f00:1::`, NAT64 `64:ff9b::7f00:1`, `::127.0.0.1`). Raises ValueError for
    what is no address."""
    ip = ipaddress.ip_address(address)
    if ip.is_multicast or not ip.is_global:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo or (None, None))[1]
        if inner is None and any(ip in net for net in _EMBEDDING):
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:
            return is_public_address(str(inner))
    return True


def is_private(host: str) -> bool:
    """Is `host` (a name or an address) a private, loopback, link-local or otherwise
    non-public address, or a name that resolves to one? A name that does not resolve
    is left to the downloader (it fails as `dns`)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not is_public_address(host)
    except ValueError:
        return any(not is_public_address(a) for a in _resolve(host))


@lru_cache(maxsize=4096)
def _resolve(host: str) -> tuple[str, ...]:
    try:
        return tuple({info[4][0].split("%")[0] for info in socket.getaddrinfo(host, None)})
    except (OSError, UnicodeError):
        return ()
