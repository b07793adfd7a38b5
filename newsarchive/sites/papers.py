"""The newspapers newsarchive knows. Provincial Party papers first, Báo Nghệ An leading."""

from __future__ import annotations

from . import Site

BNA = "https://baonghean.vn"

SITES: tuple[Site, ...] = (
    Site(
        id="baonghean",
        name="Báo Nghệ An",
        province="Nghệ An",
        home=BNA + "/",
        platform="onecms",
        # current `<slug>-10304595.html`; 2016-2022 `<slug>-300867.html`, `<slug>-post86687.html`
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-(?:post)?\d{5,}\.html$",
        feeds=tuple(f"{BNA}/rss/{s}" for s in (
            "thoi-su", "chinh-tri", "kinh-te", "kinh-te/bat-dong-san", "xa-hoi", "phap-luat",
            "giao-duc", "suc-khoe", "van-hoa", "the-thao", "quoc-te", "nghe-an")),
        sitemaps=(f"{BNA}/sitemap.xml",),
        listings=tuple(f"{BNA}/{s}" for s in (
            "thoi-su", "chinh-tri", "kinh-te", "xa-hoi", "phap-luat", "nghe-an")),
    ),
    Site(
        id="baolaocai",
        name="Báo Lào Cai",
        province="Lào Cai",
        home="https://baolaocai.vn/",
        platform="zce",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-post\d+\.html$",
        feeds=("https://baolaocai.vn/rss/home.rss",),
        sitemaps=("https://baolaocai.vn/sitemap.xml",),
    ),
    Site(
        id="baocantho",
        name="Báo Cần Thơ",
        province="Cần Thơ",
        home="https://baocantho.com.vn/",
        platform="baocantho",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-a\d+\.html$",
        listings=("https://baocantho.com.vn/thoi-su/",),
    ),
    Site(
        id="plo",
        name="Báo Pháp Luật TP. Hồ Chí Minh",
        province="TP. Hồ Chí Minh",
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
         listings=("https://vtcnews.vn/tin-moi-hom-nay.html",)),
    Site(id="baodautu", name="Báo Đầu tư", home="https://baodautu.vn/", platform=None,
         article_pattern=r"^https?://[^/]+/[a-z0-9-]+-d\d{4,}\.html$",
         listings=("https://baodautu.vn/tai-chinh-chung-khoan-d6/",)),
)
