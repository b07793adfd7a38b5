"""The newspapers newsarchive knows: the 34 provincial Party papers (`provinces.py`), Báo
Nghệ An leading, then the national sites kept beside them for comparison and context."""

from __future__ import annotations

from dataclasses import replace

from . import Site
from .provinces import SITES as PROVINCES

# National sites with a captured article page in ../shared/fixtures that passes in tests.
CAPTURED = frozenset({"plo", "nguoiquansat", "vnexpress", "dantri", "tuoitre", "nld", "baochinhphu",
                      "cafef", "vietnamnet", "znews"})

NATIONAL: tuple[Site, ...] = tuple(replace(
    site, national=True, confidence="fixture" if site.id in CAPTURED else site.confidence,
    evidence=site.evidence or ("captured article page in ../shared/fixtures"
                               if site.id in CAPTURED else "")) for site in (
    Site(
        id="plo",
        name="Báo Pháp Luật TP. Hồ Chí Minh",  # a Hồ Chí Minh City paper, not the Party organ
        home="https://plo.vn/",
        platform="zce",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-post\d+\.html$",
        # the article page links no RSS feed or sitemap; its breadcrumb and menu give these
        listings=tuple(f"https://plo.vn/{s}/" for s in (
            "thoi-su", "thoi-su/chinh-tri", "phap-luat", "an-ninh-trat-tu", "kinh-te",
            "xa-hoi")),
    ),
    Site(
        id="nguoiquansat",
        name="Người Quan Sát",
        home="https://nguoiquansat.vn/",
        platform="onecms",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d{5,}\.html$",
        feeds=("https://nguoiquansat.vn/rss/chung-khoan",),
        sitemaps=("https://nguoiquansat.vn/sitemap.xml",),
    ),
    Site(
        id="tinnhanhchungkhoan",
        name="Tin nhanh Chứng khoán",
        home="https://www.tinnhanhchungkhoan.vn/",
        platform="zce",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-post\d+\.html$",
        listings=("https://www.tinnhanhchungkhoan.vn/chung-khoan/",),
        confidence="second-hand",
        evidence="a captured listing and sitemap; no article page, its ZCE layout is tested"
        " on baolaocai.vn",
    ),
    Site(id="vnexpress", name="VnExpress", home="https://vnexpress.net/", platform="vnexpress",
         article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d{7,}\.html$",
         listings=("https://vnexpress.net/kinh-doanh",)),
    Site(id="dantri", name="Dân trí", home="https://dantri.com.vn/", platform="dantri",
         article_pattern=r"^https?://[^/]+/(?:[a-z0-9-]+/)*[a-z0-9-]+-\d{17}\.htm$",
         listings=("https://dantri.com.vn/kinh-doanh.htm",)),
    Site(id="tuoitre", name="Tuổi Trẻ", home="https://tuoitre.vn/", platform="vccorp",
         article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d{17}\.htm$",
         listings=("https://tuoitre.vn/kinh-doanh.htm",)),
    Site(id="nld", name="Người Lao Động", home="https://nld.com.vn/", platform="vccorp",
         article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d{18}\.htm$",
         listings=("https://nld.com.vn/kinh-te.htm",)),
    Site(id="baochinhphu", name="Báo Chính phủ", home="https://baochinhphu.vn/",
         platform="vccorp", article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d{18}\.htm$",
         listings=("https://baochinhphu.vn/chinh-sach-va-cuoc-song/chinh-sach-moi.htm",)),
    Site(id="cafef", name="CafeF", home="https://cafef.vn/", platform="vccorp",
         article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d{17}\.chn$",
         listings=("https://cafef.vn/thi-truong-chung-khoan.chn",)),
    Site(id="vietnamnet", name="VietNamNet", home="https://vietnamnet.vn/",
         platform="vietnamnet", article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d{6,}\.html$",
         listings=("https://vietnamnet.vn/kinh-doanh",)),
    Site(id="znews", name="Znews", home="https://znews.vn/", platform="znews",
         article_pattern=r"^https?://[^/]+/[a-z0-9-]+-post\d+\.html$",
         listings=("https://znews.vn/kinh-doanh-tai-chinh.html",)),
    Site(id="vtcnews", name="VTC News", home="https://vtcnews.vn/", platform=None,
         article_pattern=r"^https?://[^/]+/[a-z0-9-]+-ar\d+\.html$",
         listings=("https://vtcnews.vn/tin-moi-hom-nay.html",),
         evidence="captured listing pages in ../shared/fixtures; no article page seen"),
    Site(id="baodautu", name="Báo Đầu tư", home="https://baodautu.vn/", platform=None,
         article_pattern=r"^https?://[^/]+/[a-z0-9-]+-d\d{4,}\.html$",
         listings=("https://baodautu.vn/tai-chinh-chung-khoan-d6/",),
         evidence="a captured listing page in ../shared/fixtures; no article page seen"),
))

SITES: tuple[Site, ...] = PROVINCES + NATIONAL
