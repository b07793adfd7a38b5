from urllib.parse import urlsplit

import pytest

from newsarchive.ground.urls import (
    absolute,
    clean_url,
    host_of,
    is_private,
    is_public_address,
    url_key,
)

A = "https://baonghean.vn/chinh-quyen-dia-phuong-2-cap-gan-dan-vi-dan-10304595.html"


@pytest.mark.parametrize("variant", [
    A,
    "http://baonghean.vn/chinh-quyen-dia-phuong-2-cap-gan-dan-vi-dan-10304595.html",
    "https://www.baonghean.vn/chinh-quyen-dia-phuong-2-cap-gan-dan-vi-dan-10304595.html",
    "https://m.baonghean.vn/chinh-quyen-dia-phuong-2-cap-gan-dan-vi-dan-10304595.html/",
    A + "?utm_source=facebook&utm_medium=social&fbclid=abc#comments",
    A + "?zarsrc=30&gidzl=xyz",
    "HTTPS://BAONGHEAN.VN:443/chinh-quyen-dia-phuong-2-cap-gan-dan-vi-dan-10304595.html",
])
def test_variants_share_one_key(variant):
    assert url_key(variant) == url_key(A) == A


def test_clean_url_keeps_meaningful_query():
    assert clean_url("https://x.vn/tim-kiem?q=%C4%91%C3%A0i&utm_campaign=z#top") == \
        "https://x.vn/tim-kiem?q=%C4%91%C3%A0i"


@pytest.mark.parametrize("raw, expected", [
    ("/2026/03/a.jpg", "https://bna.1cdn.vn/2026/03/a.jpg"),
    ("//cdn.x.vn/a.jpg", "https://cdn.x.vn/a.jpg"),
    ("javascript:alert(1)", None),
    ("data:image/png;base64,AAA", None),
    ("", None),
])
def test_absolute(raw, expected):
    assert absolute(raw, "https://bna.1cdn.vn/page.html") == expected


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "0.0.0.0", "::1", "fe80::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1",  # IPv4-mapped
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::7f00:1",  # NAT64 of loopback...
    "2002:7f00:1::", "2002:c0a8:1::1",  # 6to4 of loopback, of 192.168.0.1
    "::127.0.0.1", "::a00:1",  # IPv4-compatible
    "224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1",  # multicast
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo whose client is 127.0.0.1
])
def test_non_public_addresses(address):
    """#24 (lower): addresses that reach this machine or its network, however written."""
    assert not is_public_address(address)
    assert is_private(address) and is_private(f"[{address}]")


@pytest.mark.parametrize("address", [
    "8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808",
    "2002:808:808::"])
def test_public_addresses(address):
    assert is_public_address(address)
    assert not is_private(address)


def test_names():
    assert is_private("localhost") and is_private("admin.localhost")
    assert not is_private("no-such-host.invalid")  # left to the downloader: fails as dns
    with pytest.raises(ValueError):
        is_public_address("baonghean.vn")


def test_host_of_reads_the_host_off_the_key_as_urlsplit_would():
    """`host_of` reads the host off the URL's key; for any URL it must be the key's host
    as `urlsplit` gives it (or raise as `url_key` does)."""
    for scheme in ("http", "https", "HTTPS"):
        for name in ("baonghean.vn", "www.baonghean.vn", "m.x.vn", "www.m.x.vn", "A.VN",
                     "127.0.0.1", "báo.vn", "u:p@x.vn", "[::1]", "x.vn.", "a_b.vn"):
            for port in ("", ":80", ":443", ":8080", ":0", ":08080"):
                for tail in ("", "/", "/bai-1.html?utm_source=x&p=2", "/amp/bai", "#f"):
                    url = f"{scheme}://{name}{port}{tail}"
                    try:
                        expected = urlsplit(url_key(url)).netloc
                    except ValueError:
                        with pytest.raises(ValueError):
                            host_of(url)
                        continue
                    assert host_of(url) == expected, url
    for odd in ("https:bai-1.html", "//x.vn/a", "x.vn", ""):  # no host written as one
        assert host_of(odd) == urlsplit(url_key(odd)).netloc, odd
