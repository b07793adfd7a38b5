# ruff: noqa: E501  (data: article URLs and URL patterns are kept whole, one per line)
"""The 34 provincial Party newspapers, one per provincial-level unit since 2025-07-01
(Nghị quyết 202/2025/QH15), in the order of the units; Báo Nghệ An is the archive's first.

Sources: ../shared/research/provincial-papers.md and each entry's `evidence`. Most
entries are `second-hand`: URL rules and selectors come from public crawler
configurations, no page was seen; a live `check` must confirm them.
"""

from __future__ import annotations

from . import Site

BNA = "https://baonghean.vn"

SITES: tuple[Site, ...] = (
    Site(
        id="hanoimoi",
        name="Hànộimới",
        province="Hà Nội",
        home="https://hanoimoi.vn/",
        platform="onecms",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d+\.html$",
        feeds=(
            "https://hanoimoi.vn/rss/kinh-te",
            "https://hanoimoi.vn/rss/xa-hoi",
            "https://hanoimoi.vn/rss/the-gioi",
            "https://hanoimoi.vn/rss/phap-luat",
        ),
        listings=(
            "https://hanoimoi.vn/chinh-tri",
            "https://hanoimoi.vn/kinh-te",
            "https://hanoimoi.vn/do-thi",
            "https://hanoimoi.vn/van-hoa",
            "https://hanoimoi.vn/xa-hoi",
            "https://hanoimoi.vn/giao-duc",
            "https://hanoimoi.vn/the-gioi",
            "https://hanoimoi.vn/du-lich",
        ),
        examples=(
            "https://hanoimoi.vn/khai-mac-hoi-nghi-lan-thu-muoi-ba-ban-chap-hanh-dang-bo-thanh-pho-ha-noi-khoa-xvii-538828.html",
            "https://hanoimoi.vn/phuong-yen-nghia-trien-khai-nhieu-nhiem-vu-trong-tam-huong-ve-co-so-cham-lo-nhan-dan-1212418.html",
            "https://hanoimoi.vn/trien-lam-my-thuat-viet-nam-nam-2023-tai-bao-tang-ha-noi-651198.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/hanoimoi.py (articles '-<id>.html', "
            "'-event<id>.html' topic pages excluded) and crawler/site_config.yml (div.b-maincontent; "
            "drops the 'Bài liên quan'/'Bài đọc tiếp' c-box); example URLs and /rss/<section> feeds "
            "are quoted in other public code. A real page is held aside for acceptance checks, so "
            "this stays second-hand."
        ),
    ),
    Site(
        id="huengaynay",
        name="Huế Ngày Nay",
        province="Huế",
        home="https://huengaynay.vn/",
        platform=None,
        confidence="generic",
        article_pattern=r"^https?://[^/]+/(?!(?:rss|feed|video|podcast|multimedia|media|tag|tags|tim-kiem|search)/)(?:[a-z0-9-]+/)*[a-z0-9-]+-\d+\.html?$",
        examples=("https://huengaynay.vn/du-lich/so-hoa-ban-do-co-163431.html",),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/huengaynay.py says it has no "
            "site-specific rules (written without network access): it allows only '.htm'/'.html' "
            "articles, and its site_config.yml entry lists only generic fallback selectors. The URL "
            "shape '/<section>/<slug>-<id>.html' rests on one real URL quoted in a public README. The"
            " CMS and selectors are unknown."
        ),
    ),
    Site(
        id="baocaobang",
        name="Báo Cao Bằng",
        province="Cao Bằng",
        home="https://baocaobang.vn/",
        platform="content-detail",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:multimedia|search|tags|Truyenhinh-Internet)/)(?:[A-Za-z0-9-]+/)?[A-Za-z0-9-]+-\d+\.html$",
        listings=(
            "https://baocaobang.vn/Thoi-su",
            "https://baocaobang.vn/chinh-tri",
            "https://baocaobang.vn/kinh-te",
            "https://baocaobang.vn/xa-hoi",
            "https://baocaobang.vn/van-hoa",
            "https://baocaobang.vn/the-thao",
            "https://baocaobang.vn/Quoc-phong-An-ninh",
            "https://baocaobang.vn/Giao-duc",
        ),
        examples=(
            "https://baocaobang.vn/hoi-thi-dau-hot-chim-chao-mao-thanh-pho-mo-rong-nam-2023-3161421.html",
            "https://baocaobang.vn/Huong-vi-pho-chua-Cao-Bang-38371.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baocaobang.py ('-<id>.html'; mixed-case "
            "sections such as /Thoi-su) and crawler/site_config.yml (body div#content-detail, sapo is"
            " the leading <strong>). Example URLs come from other public code; the capitalised one is"
            " an older article."
        ),
    ),
    Site(
        id="baodienbienphu",
        name="Báo Điện Biên Phủ",
        province="Điện Biên",
        home="https://baodienbienphu.vn/",
        platform="baodienbienphu",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/tin-bai/[^/?#]+/[^/?#]+/?$",
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baodienbienphu.py (articles "
            "'/tin-bai/<category>/<slug>'; section pages '/tin-tuc/<slug>' are rendered client-side, "
            "so the crawler harvests the home page) and crawler/site_config.yml (div.editor-content)."
            " No real article URL was found in public sources (other code still uses the old "
            "baodienbienphu.com.vn domain)."
        ),
    ),
    Site(
        id="baohatinh",
        name="Báo Hà Tĩnh",
        province="Hà Tĩnh",
        home="https://baohatinh.vn/",
        platform="zce",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-post\d+\.html$",
        listings=(
            "https://baohatinh.vn/chinh-tri/",
            "https://baohatinh.vn/kinh-te/",
            "https://baohatinh.vn/xa-hoi/",
            "https://baohatinh.vn/van-hoa-giai-tri/",
            "https://baohatinh.vn/phap-luat/",
            "https://baohatinh.vn/the-thao/",
            "https://baohatinh.vn/the-gioi/",
            "https://baohatinh.vn/ve-ha-tinh/",
        ),
        examples=(
            "https://baohatinh.vn/toan-bo-32-di-san-phi-vat-the-quoc-gia-ve-am-thuc-viet-nam-post274765.html",
            "https://baohatinh.vn/khai-truong-van-phong-thua-phat-lai-dau-tien-tai-ha-tinh-post291716.html",
            "https://baohatinh.vn/mot-so-diem-moi-cua-nghi-dinh-so-3472026nd-cp-trong-linh-vuc-pccc-va-cnch-post317660.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baohatinh.py ('-post<id>.html', links "
            "a.cms-link) and crawler/site_config.yml (ZCE body "
            "div.article__body.zce-content-body.cms-body; drops ads and .related-news). Example URLs "
            "are quoted in other public code."
        ),
    ),
    Site(
        id="baolaichau",
        name="Báo Lai Châu",
        province="Lai Châu",
        home="https://baolaichau.vn/",
        platform="baolaichau",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:video|multimedia|infographic|quang-cao|tags)/)[a-z0-9-]+/[a-z0-9-]+-\d+/?$",
        examples=(
            "https://baolaichau.vn/chinh-tri/ky-niem-74-nam-ngay-toan-quoc-khang-chien-19121946-19122020",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baolaichau.py (articles "
            "'/<category>/<slug>-<id>' with no extension; links a.blc-post__link) and "
            "crawler/site_config.yml (#post-content .post-detail). The one example is a 2020 article "
            "quoted in public code, and its tail could be a date rather than an id."
        ),
    ),
    Site(
        id="baolangson",
        name="Báo Lạng Sơn",
        province="Lạng Sơn",
        home="https://baolangson.vn/",
        platform="baolangson",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:multimedia|video|media|rss|search|tags)/)(?:[a-z0-9-]+/)?[a-z0-9-]+-\d+\.html$",
        listings=(
            "https://baolangson.vn/chinh-tri",
            "https://baolangson.vn/kinh-te",
            "https://baolangson.vn/xa-hoi",
            "https://baolangson.vn/phap-luat",
            "https://baolangson.vn/van-hoa",
            "https://baolangson.vn/the-thao",
        ),
        examples=("https://baolangson.vn/hanh-trinh-hoi-nhap-bat-dau-tu-ren-luyen-5071654.html",),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baolangson.py ('-<id>.html') and "
            "crawler/site_configs/baolangson.vn.yml (body #content-detail, sapo h2; drops unrendered "
            "'{' template text). The example is from a public scraper script. #content-detail hints "
            "at the content-detail family, but there is no h1.name evidence."
        ),
    ),
    Site(
        id="baonghean",
        name="Báo Nghệ An",
        province="Nghệ An",
        home=BNA + "/",
        platform="onecms",
        confidence="second-hand",
        # current `<slug>-10304595.html`; 2016-2022 `<slug>-300867.html`, `<slug>-post86687.html`
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-(?:post)?\d{5,}\.html$",
        feeds=tuple(f"{BNA}/rss/{s}" for s in (
            "thoi-su", "chinh-tri", "kinh-te", "kinh-te/bat-dong-san", "xa-hoi", "phap-luat",
            "giao-duc", "suc-khoe", "van-hoa", "the-thao", "quoc-te", "nghe-an")),
        sitemaps=(f"{BNA}/sitemap.xml",),
        listings=tuple(f"{BNA}/{s}" for s in (
            "thoi-su", "chinh-tri", "kinh-te", "xa-hoi", "phap-luat", "nghe-an")),
        examples=(
            "https://baonghean.vn/chinh-quyen-dia-phuong-2-cap-gan-dan-vi-dan-10304595.html",
            "https://baonghean.vn/hon-dao-co-duong-di-luc-an-luc-hien-o-vung-tau-10280456.html",
            "https://baonghean.vn/gia-ca-phe-hom-nay-20-4-2026-tang-dong-loat-300-dong-10333605.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baonghean.py and crawler/site_config.yml "
            "(OneCMS: '-<id>.html' plus '-event<id>.html' topic pages, which this pattern leaves out;"
            " links .b-grid__title). Example URLs and the RSS feeds come from "
            "../fixtures/baonghean.vn/NOTES.md and public code. The pattern also takes old "
            "'-post<id>.html' and '/en/' articles. No raw page was captured. Feeds seen: "
            "/rss/thoi-su, /rss/kinh-te, /rss/kinh-te/bat-dong-san; the other sections' feeds follow "
            "the same rule, unconfirmed."
        ),
    ),
    Site(
        id="baoquangninh",
        name="Báo Quảng Ninh",
        province="Quảng Ninh",
        home="https://baoquangninh.vn/",
        platform="content-detail",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d+\.html$",
        feeds=("https://baoquangninh.vn/rss/kinh-te.rss",),
        listings=(
            "https://baoquangninh.vn/chinh-tri",
            "https://baoquangninh.vn/kinh-te",
            "https://baoquangninh.vn/xa-hoi",
            "https://baoquangninh.vn/phap-luat",
            "https://baoquangninh.vn/the-thao",
            "https://baoquangninh.vn/du-lich",
            "https://baoquangninh.vn/van-hoa",
            "https://baoquangninh.vn/quoc-te",
        ),
        examples=(
            "https://baoquangninh.vn/vinh-ha-long-toa-sang-3314842.html",
            "https://baoquangninh.vn/nang-tam-di-tich-lich-su-quoc-gia-dac-biet-bach-dang-3163173.html",
            "https://baoquangninh.vn/bay-ghe-khoi-xa-2208962.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news crawler/site_config.yml gives baoquangninh.vn h1.name "
            "and #content-detail / .content-article (the content-detail family, not OneCMS), and "
            "config/sites/baoquangninh.py gives '-<id>.html' with links article.card. Examples and "
            "the /rss/kinh-te.rss feed are quoted in public code. This conflicts with "
            "provincial-papers.md (OneCMS via bqn.1cdn.vn): public code pairs bqn.1cdn.vn images with"
            " baodanang.vn (ex-Quảng Nam) articles."
        ),
    ),
    Site(
        id="baothanhhoa",
        name="Báo Thanh Hóa",
        province="Thanh Hóa",
        home="https://baothanhhoa.vn/",
        platform="htm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:video|podcast|short-video|truyen-hinh|phat-thanh|multimedia|emagazine|infographic|image|story|docbao|bao-in)/)(?:[a-z0-9-]+/)*[a-z0-9-]+-\d+\.htm$",
        feeds=(
            "https://baothanhhoa.vn/rss/thoi-su.xml",
            "https://baothanhhoa.vn/rss/phap-luat.xml",
        ),
        listings=(
            "https://baothanhhoa.vn/thoi-su",
            "https://baothanhhoa.vn/kinh-te",
            "https://baothanhhoa.vn/doi-song-xa-hoi",
            "https://baothanhhoa.vn/phap-luat",
            "https://baothanhhoa.vn/the-gioi",
            "https://baothanhhoa.vn/van-hoa-giai-tri",
            "https://baothanhhoa.vn/the-thao",
            "https://baothanhhoa.vn/y-te-suc-khoe",
        ),
        examples=(
            "https://baothanhhoa.vn/sun-group-gioi-thieu-cora-tower-tam-diem-moi-phia-nam-da-nang-265228.htm",
            "https://baothanhhoa.vn/du-an-bat-dong-san-gap-kho-vi-cach-tinh-tien-su-dung-dat-230761.htm",
            "https://baothanhhoa.vn/phat-trien-ben-vung-nghe-nbsp-che-bien-thuy-hai-san-253559.htm",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baothanhhoa.py ('-<id>.htm'; sapo "
            "div.article__sapo; many media prefixes denied). Example URLs and the /rss/<section>.xml "
            "feeds are quoted in public code. Title and body selectors are not in the config."
        ),
    ),
    Site(
        id="baosonla",
        name="Báo Sơn La",
        province="Sơn La",
        home="https://baosonla.vn/",
        platform="baosonla",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:emagazine|thong-tin-quang-cao|video|bao-in|lien-he)/)[a-z0-9-]+/[a-z0-9-]+-[A-Za-z0-9]+\.html$",
        listings=(
            "https://baosonla.vn/thoi-su-chinh-tri.html",
            "https://baosonla.vn/kinh-te.html",
            "https://baosonla.vn/xa-hoi.html",
            "https://baosonla.vn/quoc-phong-an-ninh.html",
            "https://baosonla.vn/du-lich.html",
            "https://baosonla.vn/phap-luat.html",
        ),
        examples=(
            "https://baosonla.vn/thoi-su-chinh-tri/dam-bao-cac-dieu-kien-to-chuc-le-hoi-ca-phe-son-la-lan-thu-hai-nam-2026-51YnYvXDR.html",
            "https://baosonla.vn/du-lich/hoi-nghi-ve-cong-tac-phat-trien-du-lich-va-chuan-bi-tuan-van-hoa-du-lich-moc-chau-nam-2026-QldRWVAvR.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baosonla.py (sections '/<slug>.html', "
            "articles '/<category>/<slug>.html', links a.cms-link) and crawler/site_config.yml "
            "(div#editor-detail). Public code shows ids that are 9-character alphanumerics (e.g. "
            "'-51YnYvXDR.html'), not digits. The listing URLs are built from the config's section "
            "pattern."
        ),
    ),
    Site(
        id="baotuyenquang",
        name="Báo Tuyên Quang",
        province="Tuyên Quang",
        merged=("Hà Giang",),
        home="https://baotuyenquang.com.vn/",
        platform="yyyymm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:multimedia|truyen-hinh|podcast|doc-bao-in|nen-tang-so|tim-kiem)/)(?:[a-z0-9-]+/)+\d{6}/[a-z0-9-]+-[0-9a-f]{7}/?$",
        listings=(
            "https://baotuyenquang.com.vn/thoi-su-chinh-tri/",
            "https://baotuyenquang.com.vn/kinh-te/",
            "https://baotuyenquang.com.vn/xa-hoi/",
            "https://baotuyenquang.com.vn/van-hoa/",
            "https://baotuyenquang.com.vn/an-ninh-quoc-phong/",
            "https://baotuyenquang.com.vn/quoc-te/",
        ),
        examples=(
            "https://baotuyenquang.com.vn/khoa-hoc-cong-nghe/202601/bo-doi-trang-bi-ky-nang-so-cho-dong-bao-bien-gioi-85124aa/",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baotuyenquang.py "
            "('/<category...>/<YYYYMM>/<slug>-<id>/'; links a.title1..title5) and "
            "crawler/site_configs/baotuyenquang.com.vn.yml (selectors shared with baodaklak). The "
            "example is from public code. The 7-hex-digit id is inferred from the example and the "
            "other /YYYYMM/ papers."
        ),
    ),
    Site(
        id="baolaocai",
        name="Báo Lào Cai",
        province="Lào Cai",
        merged=("Yên Bái",),
        home="https://baolaocai.vn/",
        platform="zce",
        confidence="fixture",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-post\d+\.html$",
        feeds=("https://baolaocai.vn/rss/home.rss",),
        sitemaps=("https://baolaocai.vn/sitemap.xml",),
        examples=(
            "https://baolaocai.vn/song-dep-tu-nhung-dieu-gian-di-post404649.html",
            "https://baolaocai.vn/36-gio-di-tau-thong-nhat-tu-nam-ra-bac-cua-du-khach-australia-post404423.html",
            "https://baolaocai.vn/chi-tra-gop-2-thang-luong-va-tro-cap-xa-hoi-de-nguoi-dan-vui-xuan-don-tet-post890391.html",
        ),
        evidence=(
            "Real page ../fixtures/baolaocai.vn/article-404649.html (from "
            "tammuoichanhoa/crawl_lastest_news); the examples and listings are links inside it. "
            "config/sites/baolaocai.py is only the default config; crawler/site_config.yml adds "
            "div[data-field='body'] before the ZCE body selectors. The fixture also shows tag pages "
            "'/tu-khoa/<slug>-tag<id>.html' and local pages '/dia-phuong/<slug>/<n>.html', which the "
            "pattern excludes. The feed /rss/home.rss is a guess from generated public lists, "
            "unconfirmed."
        ),
    ),
    Site(
        id="baothainguyen",
        name="Báo Thái Nguyên",
        province="Thái Nguyên",
        merged=("Bắc Kạn",),
        home="https://baothainguyen.vn/",
        platform="yyyymm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:audio[a-z-]*|multimedia|podcast|video|doc-bao-in)/)(?:[a-z0-9-]+/)+\d{6}/[a-z0-9-]+-[0-9a-f]{7}/?$",
        listings=(
            "https://baothainguyen.vn/thoi-su-thai-nguyen/",
            "https://baothainguyen.vn/chinh-tri/",
            "https://baothainguyen.vn/kinh-te/",
            "https://baothainguyen.vn/xa-hoi/",
            "https://baothainguyen.vn/phap-luat/",
            "https://baothainguyen.vn/quoc-te/",
        ),
        examples=(
            "https://baothainguyen.vn/the-thao/202605/san-van-dong-thai-nguyen-san-sang-cho-giai-bong-da-nu-vo-dich-quoc-gia-f362256/",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baothainguyen.py "
            "('/<category>/<YYYYMM>/<slug>-<id>/'; links a.title2; sapo div.desc) and "
            "crawler/site_config.yml (div.content-detail). The example is from public seed data; the "
            "title selector is not given."
        ),
    ),
    Site(
        id="baophutho",
        name="Báo Phú Thọ",
        province="Phú Thọ",
        merged=("Vĩnh Phúc", "Hòa Bình"),
        home="https://baophutho.vn/",
        platform="htm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:video|podcast|emagazine|topic)/)(?:[a-z0-9-]+/)*[a-z0-9-]+-\d+\.htm$",
        listings=(
            "https://baophutho.vn/phu-tho-24h",
            "https://baophutho.vn/chinh-tri",
            "https://baophutho.vn/xa-hoi",
            "https://baophutho.vn/kinh-te",
            "https://baophutho.vn/van-hoa",
            "https://baophutho.vn/quoc-phong-an-ninh",
        ),
        examples=(
            "https://baophutho.vn/qua-vang-danh-thuc-dat-can-245476.htm",
            "https://baophutho.vn/ca-nuoc-hoan-thanh-102-633-can-nha-o-xa-hoi-vuot-2-pha-ke-hoach-244359.htm",
            "https://baophutho.vn/van-hanh-ung-dung-nbsp-ban-do-cong-an-so-tinh-phu-tho-258512.htm",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baophutho.py ('/<slug>-<id>.htm') and "
            "crawler/site_configs/baophutho.vn.yml (h1.pTitle, p.pHead, #dcontent). Examples are "
            "quoted in public code. One scraper list gives '/phutho24h' instead of the config's "
            "'/phu-tho-24h'."
        ),
    ),
    Site(
        id="baobacninhtv",
        name="Báo Bắc Ninh",
        province="Bắc Ninh",
        merged=("Bắc Giang",),
        home="https://baobacninhtv.vn/",
        platform="baobacninhtv",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:bg/infographics|photo|videos|podcast|multimedia)/)(?:[a-z0-9-]+/)*[a-z0-9-]+-postid\d+\.bbg$",
        listings=(
            "https://baobacninhtv.vn/chinh-tri",
            "https://baobacninhtv.vn/kinh-te",
            "https://baobacninhtv.vn/xa-hoi",
            "https://baobacninhtv.vn/phap-luat",
            "https://baobacninhtv.vn/the-gioi",
            "https://baobacninhtv.vn/the-thao",
            "https://baobacninhtv.vn/moi-nhat",
        ),
        examples=(
            "https://baobacninhtv.vn/truy-to-ca-si-chau-viet-cuong-ve-toi-giet-nguoi-postid294056.bbg",
            "https://baobacninhtv.vn/trung-doan-101-tham-gia-hoi-thi-doanh-trai-chinh-quy-xanh-sach-dep--postid449633.bbg",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baobacninhtv.py (articles "
            "'-postid<id>.bbg'; links a.font-tin-doc) and crawler/site_config.yml "
            "(.news-details__content.link_content). Examples are quoted in public code. Some old "
            "'.bbg' URLs have no postid, and the '/bg/', '/bg2/' paths are ex-Bắc Giang content."
        ),
    ),
    Site(
        id="baohungyen",
        name="Báo Hưng Yên",
        province="Hưng Yên",
        merged=("Thái Bình",),
        home="https://baohungyen.vn/",
        platform="content-detail",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-\d+\.html$",
        listings=(
            "https://baohungyen.vn/chinh-tri",
            "https://baohungyen.vn/kinh-te",
            "https://baohungyen.vn/xa-hoi",
            "https://baohungyen.vn/van-hoa",
            "https://baohungyen.vn/the-thao",
            "https://baohungyen.vn/phap-luat-doi-song",
        ),
        examples=(
            "https://baohungyen.vn/bao-ve-moi-truong-trong-san-xuat-cong-nghiep-3179574.html",
            "https://baohungyen.vn/nhung-moc-thoi-gian-lich-su-cua-chien-dich-dien-bien-phu-1954-3171182.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baohungyen.py ('-<id>.html') and "
            "crawler/site_config.yml (h1.name, #content-detail in div.content-article; drops "
            "div.pseudonym, div.relates, div.topics). Examples are quoted in public code. Older URLs "
            "used '/<cat>/<YYYYMM>/<slug>/' (2021)."
        ),
    ),
    Site(
        id="baohaiphong",
        name="Báo Hải Phòng",
        province="Hải Phòng",
        merged=("Hải Dương",),
        home="https://baohaiphong.vn/",
        platform="onecms",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:an-pham|video|podcast|emagazine|infographic|thong-tin-quang-cao)/)[a-z0-9-]+-\d+\.html$",
        feeds=("https://baohaiphong.vn/rss/tin-moi-nhat.rss",),
        listings=(
            "https://baohaiphong.vn/chinh-tri",
            "https://baohaiphong.vn/kinh-te",
            "https://baohaiphong.vn/xa-hoi",
            "https://baohaiphong.vn/phap-luat",
            "https://baohaiphong.vn/quoc-te",
            "https://baohaiphong.vn/the-thao",
            "https://baohaiphong.vn/phap-luat/tin-tuc",
        ),
        examples=(
            "https://baohaiphong.vn/hai-phong-bo-sung-69-cong-trinh-du-an-thu-hoi-dat-nam-2026-541045.html",
            "https://baohaiphong.vn/chu-tich-cac-pho-chu-tich-hdnd-thanh-pho-hai-phong-khoa-xvii-541026.html",
            "https://baohaiphong.vn/de-xuat-phat-co-so-kham-chua-benh-cham-gui-du-lieu-bao-hiem-y-te-554711.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baohaiphong.py (only the '.html' suffix; "
            "links h3 a) and crawler/site_config.yml (div.b-maincontent .entry; sapo can also be "
            "p.block-sc-sapo). Examples are quoted in public code. The feed URL comes from one public"
            " script's RSS map and does not follow the OneCMS '/rss/<section>' form, so it needs "
            "checking."
        ),
    ),
    Site(
        id="baoninhbinh",
        name="Báo Ninh Bình",
        province="Ninh Bình",
        merged=("Hà Nam", "Nam Định"),
        home="https://baoninhbinh.org.vn/",
        platform="baoninhbinh",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:bao-in|doc-bao-in|da-phuong-tien-multimedia|video|podcast|dang-nhap)/)(?:[a-z0-9-]+/)*[a-z0-9-]+-\d{15}\.html$",
        listings=("https://baoninhbinh.org.vn/vu-an",),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baoninhbinh.py (articles '...-<15 "
            "digits>.html') and crawler/site_configs/baoninhbinh.org.vn.yml. No current article URL "
            "was found; public code only has the pre-merger shape '/<slug>/d<16 digits>.htm' (2023), "
            "which the pattern does not cover."
        ),
    ),
    Site(
        id="baoquangtri",
        name="Báo Quảng Trị",
        province="Quảng Trị",
        merged=("Quảng Bình",),
        home="https://baoquangtri.vn/",
        platform="yyyymm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:doc-bao-in|thong-tin-quang-cao-tuyen-dung)/)[a-z0-9-]+(?:/[a-z0-9-]+)?/\d{6}/[a-z0-9-]+-[0-9a-f]+/?$",
        listings=(
            "https://baoquangtri.vn/chinh-tri/",
            "https://baoquangtri.vn/kinh-te/",
            "https://baoquangtri.vn/xa-hoi/",
            "https://baoquangtri.vn/thoi-su/",
            "https://baoquangtri.vn/phap-luat/",
            "https://baoquangtri.vn/quoc-te/",
            "https://baoquangtri.vn/dat-va-nguoi-quang-binh/",
        ),
        examples=(
            "https://baoquangtri.vn/khoa-hoc-cong-nghe/202508/khoi-day-dam-me-khoa-hoc-cong-nghe-9344c18/",
            "https://baoquangtri.vn/suc-khoe/202603/bo-y-te-de-xuat-tiep-tuc-cat-giam-thu-tuc-hanh-chinh-ve-kham-chua-benh-d0f7a12/",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baoquangtri.py "
            "('/<category>[/<sub>]/<YYYYMM>/<slug>-<hexid>/'; links a.h2, a.h3) and "
            "crawler/site_config.yml (div#content). Examples are quoted in public code. "
            "provincial-papers.md lists this paper as 'own'; by URL shape it belongs to the /YYYYMM/ "
            "family. Title and sapo selectors are unknown."
        ),
    ),
    Site(
        id="baodanang",
        name="Báo Đà Nẵng",
        province="Đà Nẵng",
        merged=("Quảng Nam",),
        home="https://baodanang.vn/",
        platform="onecms",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:media|podcast|truyen-hinh|quang-cao-rao-vat)/)[a-z0-9-]+-\d+\.html$",
        listings=(
            "https://baodanang.vn/chinh-tri",
            "https://baodanang.vn/xa-hoi",
            "https://baodanang.vn/kinh-te",
            "https://baodanang.vn/quoc-phong-an-ninh",
            "https://baodanang.vn/the-gioi",
            "https://baodanang.vn/the-thao",
            "https://baodanang.vn/tin-moi-nhat",
        ),
        examples=(
            "https://baodanang.vn/co-ganh-thu-choi-tao-nha-cua-nguoi-dan-nong-thon-3235682.html",
            "https://baodanang.vn/da-phat-trien-moi-cho-thi-truong-bat-dong-san-da-nang-3298049.html",
            "https://baodanang.vn/quy-hoach-do-thi-mien-nui-3129831.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baodanang.py (root-level '.html' "
            "articles; links h3.b-grid__title a) and crawler/site_config.yml (div.b-maincontent "
            ".entry; drops div.sc-longform-header). Examples are quoted in public code; one is paired"
            " with a bqn.1cdn.vn (Báo Quảng Nam) image. Old pre-2025 URLs used "
            "'/<cat>/<YYYYMM>/<slug>-<id>/'."
        ),
    ),
    Site(
        id="baoquangngai",
        name="Báo Quảng Ngãi",
        province="Quảng Ngãi",
        merged=("Kon Tum",),
        home="https://baoquangngai.vn/",
        platform="htm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:bao-in|event|expert|multimedia|tin-moi-nhat|tet-online|o-to-xe-may|ban-do-quang-ngai)/)(?:[a-z0-9-]+/)*[a-z0-9-]+-\d+\.htm$",
        listings=(
            "https://baoquangngai.vn/chinh-tri",
            "https://baoquangngai.vn/thoi-su",
            "https://baoquangngai.vn/kinh-te",
            "https://baoquangngai.vn/xa-hoi",
            "https://baoquangngai.vn/phap-luat",
            "https://baoquangngai.vn/quoc-te",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baoquangngai.py (Dec 2025: articles "
            "'-<id>.htm', links article a) and crawler/site_config.yml (h1.title, p.sapo, #content). "
            "No current '.htm' article URL was found; public code only quotes 2023 URLs of the older "
            "'/<cat>/<YYYYMM>/<slug>-<hex>/' shape, which this pattern does not cover."
        ),
    ),
    Site(
        id="baogialai",
        name="Báo Gia Lai",
        province="Gia Lai",
        merged=("Bình Định",),
        home="https://baogialai.com.vn/",
        platform="zce",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-post\d+\.html$",
        listings=(
            "https://baogialai.com.vn/thoi-su-su-kien/",
            "https://baogialai.com.vn/chinh-tri/",
            "https://baogialai.com.vn/kinh-te/",
            "https://baogialai.com.vn/giao-duc/",
            "https://baogialai.com.vn/suc-khoe/",
            "https://baogialai.com.vn/van-hoa/",
            "https://baogialai.com.vn/phap-luat/",
            "https://baogialai.com.vn/the-thao/",
        ),
        examples=(
            "https://baogialai.com.vn/hon-500-nguoi-tham-gia-dap-tat-chay-rung-tai-phuong-quy-nhon-nam-post596298.html",
            "https://baogialai.com.vn/10-du-an-vao-chung-ket-cuoc-thi-thanh-nien-gia-lai-khoi-nghiep-sang-tao-post573678.html",
            "https://baogialai.com.vn/ung-dung-phau-thuat-nuss-dieu-tri-benh-ly-lom-nguc-bam-sinh-post551748.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baogialai.py ('-post<id>.html'; links "
            "article a) and crawler/site_config.yml (h1.article__title, .article__sapo, "
            ".article__body). Examples are quoted in public code."
        ),
    ),
    Site(
        id="baokhanhhoa",
        name="Báo Khánh Hòa",
        province="Khánh Hòa",
        merged=("Ninh Thuận",),
        home="https://baokhanhhoa.vn/",
        platform="yyyymm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:video|podcast|multimedia)/)[a-z0-9-]+/\d{6}/[a-z0-9-]+-[0-9a-f]{7}/?$",
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baokhanhhoa.py "
            "('/<category>/<YYYYMM>/<slug>-<7-hex id>/'; links div.item a) and "
            "crawler/site_configs/baokhanhhoa.vn.yml. No real article URL was found; public code "
            "quotes only image URLs. Articles in nested sections would not match the single-segment "
            "rule."
        ),
    ),
    Site(
        id="baolamdong",
        name="Báo Lâm Đồng",
        province="Lâm Đồng",
        merged=("Đắk Nông", "Bình Thuận"),
        home="https://baolamdong.vn/",
        platform="baolamdong",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:video|an-pham|dang-nhap|tim-kiem)/)(?:(?:[a-z0-9-]+/)*[a-z0-9-]+-\d+\.html|[a-z0-9-]+(?:/[a-z0-9-]+)?/\d{6}/[a-z0-9-]+-[0-9a-f]{7}/?)$",
        listings=(
            "https://baolamdong.vn/chinh-tri",
            "https://baolamdong.vn/thoi-su",
            "https://baolamdong.vn/kinh-te",
            "https://baolamdong.vn/doi-song",
            "https://baolamdong.vn/phap-luat",
            "https://baolamdong.vn/tin-tuc-24h",
        ),
        examples=(
            "https://baolamdong.vn/thong-tin-can-biet/202405/le-ky-ket-mou-giua-interdata-va-truong-dai-hoc-yersin-da-lat-b180e1a/",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baolamdong.py (new articles '-<id>.html',"
            " older ones '/<cat>/<YYYYMM>/<slug>/') and crawler/site_configs/baolamdong.vn.yml (a "
            "list of fallback selectors that looks guessed). The only real example is a 2024 /YYYYMM/"
            " URL; no post-merger '-<id>.html' URL was found."
        ),
    ),
    Site(
        id="baodaklak",
        name="Báo Đắk Lắk",
        province="Đắk Lắk",
        merged=("Phú Yên",),
        home="https://baodaklak.vn/",
        platform="yyyymm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:multimedia|video|doc-bao-in|tim-kiem)/)(?:[a-z0-9-]+/)+\d{6}/[a-z0-9-]+-[0-9a-f]{7}/?$",
        listings=(
            "https://baodaklak.vn/thoi-su/",
            "https://baodaklak.vn/chinh-tri/",
            "https://baodaklak.vn/kinh-te/",
            "https://baodaklak.vn/xa-hoi/",
            "https://baodaklak.vn/phap-luat/",
            "https://baodaklak.vn/khoa-hoc-cong-nghe/",
        ),
        examples=(
            "https://baodaklak.vn/van-hoa-xa-hoi/phap-luat/202603/bill-chuyen-khoan-gia-nan-nhan-that-a1e16da/",
            "https://baodaklak.vn/tin-noi-bat/202606/dak-lak-khoi-cong-khanh-thanh-va-khoi-dong-21-du-an-tieu-bieu-2887253/",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baodaklak.py "
            "('/<category>/<YYYYMM>/<slug>/'; links a.title5) and crawler/site_config.yml "
            "(div.article_content #content; sapo is the leading <strong>). Examples are quoted in "
            "public code; sections can be nested two deep."
        ),
    ),
    Site(
        id="sggp",
        name="Sài Gòn Giải Phóng",
        province="TP. Hồ Chí Minh",
        merged=("Bình Dương", "Bà Rịa - Vũng Tàu"),
        home="https://www.sggp.org.vn/",
        platform="zce",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-post\d+\.html$",
        feeds=(
            "https://www.sggp.org.vn/rss/xahoi-199.rss",
            "https://www.sggp.org.vn/rss/phapluat-112.rss",
            "https://www.sggp.org.vn/rss/tai-chinh-chung-khoan-44.rss",
        ),
        listings=(
            "https://www.sggp.org.vn/chinhtri/",
            "https://www.sggp.org.vn/xahoi/",
            "https://www.sggp.org.vn/phapluat/",
            "https://www.sggp.org.vn/kinhte/",
            "https://www.sggp.org.vn/thegioi/",
            "https://www.sggp.org.vn/giaoduc/",
            "https://www.sggp.org.vn/ytesuckhoe/",
            "https://www.sggp.org.vn/vanhoavannghe/",
        ),
        examples=(
            "https://www.sggp.org.vn/can-canh-chiec-may-bay-dau-tien-san-xuat-tai-viet-nam-post773566.html",
            "https://www.sggp.org.vn/cho-sinh-vien-muon-laptop-mien-phi-post566364.html",
            "https://www.sggp.org.vn/luu-dau-di-san-post583979.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/sggp.py (base https://www.sggp.org.vn; "
            "'-post<id>.html'; lists article.story; sapo div.article__sapo). Examples and the "
            "'/rss/<slug>-<n>.rss' feeds are quoted in public code. plo.vn, another HCMC paper on the"
            " same ZCE CMS, has the real fixture."
        ),
    ),
    Site(
        id="baodongnai",
        name="Báo Đồng Nai",
        province="Đồng Nai",
        merged=("Bình Phước",),
        home="https://baodongnai.com.vn/",
        platform="yyyymm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:video-clip|media|podcast|anh-dep|file|common)/)(?:[a-z0-9-]+/)+\d{6}/[a-z0-9-]+-[a-f0-9]{7}/?$",
        sitemaps=("https://baodongnai.com.vn/sitemap.xml",),
        examples=(
            "https://baodongnai.com.vn/xa-hoi/202504/nguoi-tre-lam-sach-noi-ea65435/",
            "https://baodongnai.com.vn/trang-dia-phuong/202506/tang-toc-giai-ngan-von-phuc-vu-giai-phong-mat-bang-cac-du-an-lon-ee414e9",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baodongnai.py "
            "('/<cat>/<YYYYMM>/<slug>-<7-hex id>/'; links a.title1, a.title3) and "
            "crawler/site_config.yml (div#content.content-detail .td-post-content). Examples are "
            "quoted in public code (both from 2025, before the merger). The sitemap URL is copied "
            "from provincial-papers.md and was not seen in a source here. By URL shape this is a "
            "/YYYYMM/ paper, not a one-of-a-kind WordPress site."
        ),
    ),
    Site(
        id="baotayninh",
        name="Báo Tây Ninh",
        province="Tây Ninh",
        merged=("Long An",),
        home="https://baotayninh.vn/",
        platform=None,
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:longform|video|audio|image|xem-bao|albumphoto)/)(?:[a-z0-9-]+/)*[a-z0-9-]+-a\d+\.html$",
        feeds=("https://baotayninh.vn/rss/news/van-hoa.rss",),
        listings=(
            "https://www.baotayninh.vn/thoi-su-chinh-tri/",
            "https://www.baotayninh.vn/kinh-te/",
            "https://www.baotayninh.vn/xa-hoi/",
            "https://www.baotayninh.vn/phap-luat/",
            "https://www.baotayninh.vn/quoc-te/",
            "https://www.baotayninh.vn/the-thao/",
        ),
        examples=(
            "https://baotayninh.vn/tap-huan-ky-nang-su-dung-cong-nghe-ai-phuc-vu-cong-tac-truyen-thong-tren-mang-xa-hoi-a190711.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baotayninh.py (base "
            "https://www.baotayninh.vn; '-a<id>.html'; links a.title; sapo h4.sapo). Body selectors "
            "are not given. The example and feed are quoted in public code. Public code also quotes a"
            " '-<id>.html' URL with no 'a' (…-141537.html), so a second URL shape may exist. The "
            "'-a<id>' form points to the content-fck vendor, but this is not confirmed."
        ),
    ),
    Site(
        id="baocantho",
        name="Báo Cần Thơ",
        province="Cần Thơ",
        merged=("Sóc Trăng", "Hậu Giang"),
        home="https://baocantho.com.vn/",
        platform="baocantho",
        confidence="fixture",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-a\d+\.html$",
        listings=("https://baocantho.com.vn/thoi-su/",),
        examples=(
            "https://baocantho.com.vn/tap-trung-trien-khai-cac-dot-thanh-tra-kiem-tra-co-trong-tam-trong-diem-nhat-la-cac-linh-vuc-co-ng-a196670.html",
            "https://baocantho.com.vn/buoc-tien-dot-pha-trong-tu-duy-phap-ly-a196643.html",
            "https://baocantho.com.vn/cho-rung-them-xanh-a196638.html",
        ),
        evidence=(
            "Real pages ../fixtures/baocantho.com.vn/article-a196670.html and listing-thoi-su.html "
            "(from tammuoichanhoa/crawl_lastest_news); examples, feeds and listings are links inside "
            "them. config/sites/baocantho.py gives '-a<id>.html'. Video pages "
            "('/video/xem-video/<slug>-<n>.html') and classifieds ('rao-vat-<slug>-<n>.html') do not "
            "match."
        ),
    ),
    Site(
        id="baovinhlong",
        name="Báo Vĩnh Long",
        province="Vĩnh Long",
        merged=("Bến Tre", "Trà Vinh"),
        home="https://baovinhlong.com.vn/",
        platform="yyyymm",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!lien-he/)(?:[a-z0-9-]+/)+\d{6}/[a-z0-9-]+-[0-9a-f]{7}/?$",
        listings=("https://baovinhlong.com.vn/xa-hoi/du-lich/",),
        examples=(
            "https://baovinhlong.com.vn/kinh-te/202501/don-xuan-cung-san-pham-ocop-0ef5d8d/",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baovinhlong.py "
            "('/<category>/<yyyymm>/<slug>-<id>/', no .html) and "
            "crawler/site_configs/baovinhlong.com.vn.yml. The example (Jan 2025, pre-merger) is "
            "quoted in public code. The sub-sites dongkhoi.baovinhlong.vn and travinh.baovinhlong.vn "
            "(ex-Bến Tre/Trà Vinh) run content-fck ('-a<id>.html', #newscontents, .detail-desc p) and"
            " need their own entries."
        ),
    ),
    Site(
        id="baodongthap",
        name="Báo Đồng Tháp",
        province="Đồng Tháp",
        merged=("Tiền Giang",),
        home="https://baodongthap.vn/",
        platform="baodongthap",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:en|video|podcast|longform|infographic|xem-albumphoto|files)/)(?:[a-z0-9-]+/)*[a-z0-9-]+-a\d+\.html$",
        listings=(
            "https://baodongthap.vn/chinh-tri/",
            "https://baodongthap.vn/kinh-te/",
            "https://baodongthap.vn/xa-hoi/",
            "https://baodongthap.vn/giao-duc/",
            "https://baodongthap.vn/phap-luat/",
            "https://baodongthap.vn/quoc-te/",
        ),
        examples=("https://baodongthap.vn/mo-rong-thi-truong-cho-trai-thanh-long-a100286.html",),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baodongthap.py ('-a<id>.html'; links "
            "a.news-title, a.title) and crawler/site_config.yml (#contentNews .singular-content, "
            "shared with baobinhduong.vn). The example is quoted in public code and its date is "
            "unknown."
        ),
    ),
    Site(
        id="baocamau",
        name="Báo Cà Mau",
        province="Cà Mau",
        merged=("Bạc Liêu",),
        home="https://baocamau.vn/",
        platform="baocamau",
        confidence="second-hand",
        article_pattern=r"^https?://[^/]+/(?!(?:video|xem-bao)/)[a-z0-9-]+-a\d+\.html$",
        examples=(
            "https://baocamau.vn/nhieu-kien-nghi-dan-sinh-duoc-cu-tri-gui-den-dai-bieu-hdnd-tinh-a130464.html",
            "https://baocamau.vn/bi-quyet-on-thi-tot-nghiep-thpt-2026-tu-hoc-sinh-gioi-a129291.html",
        ),
        evidence=(
            "tammuoichanhoa/crawl_lastest_news config/sites/baocamau.py (default config, '.html' "
            "only) and crawler/site_config.yml (div.post-content). The '-a<id>.html' shape comes from"
            " real URLs quoted in public code. Image paths '/image/news/.../fckimage/' and "
            "'/image/ckeditor/' match the baocantho (content-fck) vendor, but the body selector "
            "differs."
        ),
    ),
    Site(
        id="baoangiang",
        name="Báo An Giang",
        province="An Giang",
        merged=("Kiên Giang",),
        home="https://baoangiang.com.vn/",
        platform=None,
        confidence="generic",
        article_pattern=r"^https?://[^/]+/[a-z0-9-]+-a\d+\.html$",
        examples=(
            "https://baoangiang.com.vn/vps-interdata-giai-phap-may-chu-ao-toi-uu-hieu-suat-va-chi-phi-a475417.html",
        ),
        evidence=(
            "No crawler config. The domain baoangiang.com.vn is confirmed by one real article URL in "
            "a public press list (the interdata.vn site data); the pattern generalises that single "
            "'-a<id>.html' URL. Selectors, sections and CMS are unknown."
        ),
    ),
)
