import pytest

from newsarchive.ground.urls import absolute, clean_url, url_key

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
