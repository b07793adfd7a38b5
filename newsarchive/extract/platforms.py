"""CMS platforms and their page layouts, one list per platform, newest template first.

Many provincial papers run one of a few platforms; a layout written once serves all of
them. Dates (`since`/`until`) say when each template generation was in use.
"""

from __future__ import annotations

from .layout import Layout

# OneCMS (images on *.1cdn.vn). Runs today's baonghean.vn (Báo Nghệ An), nguoiquansat.vn,
# hanoimoi.vn (Hànộimới), baohaiphong.vn, baodanang.vn, congly.vn (Công lý). Its
# `article:published_time` meta is written month-first, US style: `9/5/2026 10:17:01 PM`
# is 5 September. Papers differ in details; the fallbacks after the first selector of
# sapo/tags/drop (`block-sc-sapo`, `c-widget-tags`, `sc-related-articles`) are
# second-hand: tammuoichanhoa/crawl_lastest_news crawler/site_config.yml, no page seen.
ONECMS = (
    Layout(
        name="onecms-2025",
        detect="article.entry .sc-longform-header, .sc-longform-header-title",
        title=".sc-longform-header-title",
        sapo=(".sc-longform-header-sapo", "p.block-sc-sapo"),
        body="article.entry",
        authors=".sc-longform-header-author",
        source=".c-author-page .js-source-copy > span",
        published=".sc-longform-header-date",
        section=(".breadcrumb-item.active", ".sc-longform-header-cate"),
        tags=(".c-tags li a", ".c-widget-tags a"),
        drop=".sc-longform-header, .c-box, .oneads, .c-related-posts, .c-author-page,"
        " .sc-related-articles, .sc-empty-layer",
        meta_date_order="mdy",
        since="2025-01-01",
    ),
    Layout(
        name="onecms-2019",
        detect=".c-detail-head__title",
        title=".c-detail-head__title",
        sapo=(".b-maincontent p.Headlines", ".c-detail-head__sapo"),
        body="article.entry",
        authors=".c-detail-head__cat",  # this template prints the author in the "cat" slot
        published=".c-detail-head__time",
        section=".breadcrumb-item.active",
        tags=".c-tags li a",
        drop=".c-box, .oneads, .c-related-posts",
        meta_date_order="mdy",
        until="2024-12-31",
    ),
)

# ZCE CMS (cdn.<site>/images/..., `zce-content-body`). Runs baolaocai.vn (Báo Lào Cai),
# baohatinh.vn (Báo Hà Tĩnh), baogialai.com.vn, sggp.org.vn, plo.vn (its mobile pages
# too), tinnhanhchungkhoan.vn, nhandan.vn. The ad and related-news drops after
# `.sda_middle` are second-hand: tammuoichanhoa/crawl_lastest_news
# crawler/site_config.yml (baohatinh.vn), no page seen.
ZCE = (
    Layout(
        name="zce-2024",
        detect=".zce-content-body, .article__body.cms-body",
        title=("h1.article__title", "h1.cms-title"),
        sapo=(".article__sapo", ".cms-desc"),
        body=".article__body",
        authors=(".article__author .name", ".article__author", ".cms-author"),
        published=(".article__meta time", ".cms-date"),
        tags=".article__tags a",
        drop=".sda_middle, .article__tags, .article__meta, .ads_middle, [id^=adsWeb_],"
        " .related-news",
    ),
)

# The content-fck CMS (`content-fck`, images under /image/fckeditor/upload/), first seen on
# Báo Cần Thơ; also dongkhoi.baovinhlong.vn (second-hand). Platform names `content-fck`
# and `baocantho` (kept: the registry and tests use it) are the same layouts.
BAOCANTHO = (
    Layout(
        name="baocantho-2020",
        detect=".content-fck",
        title=("h1.fw700", "h1.margintopbot10"),
        body=".content-fck",
        published=".pubdate",
        section=".titlecate h1 span a",
        tags=".block_tag a.tag_item",
    ),
)

# VCCorp's CMS (`afcbc-body`, `data-role=content`, `PhotoCMS_Caption`). Runs tuoitre.vn,
# nld.com.vn, baochinhphu.vn, cafef.vn, soha.vn, kenh14.vn and several provincial papers'
# e-magazines.
VCCORP = (
    Layout(
        name="vccorp-2022",
        detect=".afcbc-body, [data-role=content]",
        title=("h1[data-role=title]", "h1.detail-title", "h1.title"),
        sapo=("[data-role=sapo]", "h2.detail-sapo", "h2.sapo"),
        body=("[data-role=content][itemprop=articleBody]", ".detail-content[data-role=content]",
              "#mainContent"),
        authors=(".author-item-name .name", ".author-info .name", ".detail-author .name",
                 ".detail-author", "p.author"),
        published=("[data-role=publishdate]", ".detail-time", ".pdate"),
        tags=(".detail-tab a", ".tagdetail a", ".tags-container a", ".box-tag a"),
        drop=".VCSortableInPreviewMode[type=RelatedNewsBox],"
        " .VCSortableInPreviewMode[type=RelatedOneNews], [type=RelatedNews],"
        " .link-content-footer, .kbwscwl-relatedbox, .relate-container, .detail__cmain-ads,"
        " .knc-rate-link, .tindnd, .box-news-other",
    ),
)

# Nationals with their own CMS, kept for the generic fallback's comparison.
VNEXPRESS = (
    Layout(
        name="vnexpress-2020",
        detect="article.fck_detail",
        title="h1.title-detail",
        sapo="p.description",
        body="article.fck_detail",
        published=(".header-content span.date", "span.date"),
        tags=(".tags h4 a", ".tags a"),
        drop=".box-tinlienquanv2, .list-news, .width_common.box-tinlienquan, .box_brief_info",
    ),
)
DANTRI = (
    Layout(
        name="dantri-2025",
        detect="article[data-slot=container]",
        title="h1[data-slot=title]",
        sapo="[data-slot=sapo]",
        body="[data-slot=content]",
        authors="article[data-slot=container] a[href*='/tac-gia/']",
        published="article[data-slot=container] time",
        drop="[data-slot=related], .dt-news-related",
    ),
    Layout(
        name="dantri-2020",
        detect=".singular-container",
        title="h1.title-page",
        sapo="h2.singular-sapo",
        body=".singular-content",
        authors=".author-name",
        published="time.author-time",
    ),
)
VIETNAMNET = (
    Layout(
        name="vietnamnet-2022",
        detect=".content-detail-title",
        title="h1.content-detail-title",
        sapo="h2.content-detail-sapo",
        body="#maincontent",
        authors=".article-detail-author__info .name",
        published=".bread-crumb-detail__time",
        tags=".tag-cotnent a",
        drop=".insert-wiki-content, .article-relate, .vnn-share-social",
    ),
)
ZNEWS = (
    Layout(
        name="znews-2021",
        detect=".the-article-body",
        title="h1.the-article-title",
        sapo=".the-article-summary",
        body=".the-article-body",
        authors=(".the-article-author a", ".the-article-credit .author", "p.author"),
        published=".the-article-publish",
        tags=".the-article-tags strong, .the-article-tags a, .the-article-tags span",
        drop=".inner-article, .article-related, .notebox",
    ),
)

# The `#content-detail` family: `h1.name`, `#content-detail` in `div.content-article`,
# the pen name in `div.pseudonym`. Runs baocaobang.vn, baohungyen.vn, baoquangninh.vn.
# second-hand: tammuoichanhoa/crawl_lastest_news crawler/site_config.yml, no page seen.
CONTENT_DETAIL = (
    Layout(
        name="content-detail",
        detect="#content-detail",
        title=("h1.name", "h1"),
        sapo="#content-detail > p:first-child > strong",
        body="#content-detail",
        authors=".pseudonym",
        drop=".pseudonym, .relates, .topics, .block-news-list",
    ),
)

# The `/<category>/<YYYYMM>/<slug>-<hex id>/` URL family: one URL scheme, several page
# templates, told apart by `detect`. Runs baotuyenquang.com.vn, baothainguyen.vn,
# baoquangtri.vn, baokhanhhoa.vn, baodaklak.vn, baodongnai.com.vn, baovinhlong.com.vn.
# second-hand: tammuoichanhoa/crawl_lastest_news crawler/site_config.yml, no page seen.
YYYYMM = (
    Layout(
        name="yyyymm-article-content",  # baotuyenquang, baodaklak
        detect="div.article_content div.content#content",
        title=("h1.media-heading.title5", "h1.media-heading", "h1"),
        sapo="div.article_content div.content#content > p > strong",
        body="div.article_content div.content#content",
        drop="div.date, ul.social, div.bd02",
    ),
    Layout(
        name="yyyymm-td-post",  # baodongnai, baovinhlong (WordPress-like)
        detect=".td-post-content",
        sapo=(".sub_first_content strong", "div#content.content-detail .td-post-content > p"),
        body=("div#content.content-detail", "#content .td-post-content"),
    ),
    Layout(
        name="yyyymm-content-detail",  # baothainguyen, baokhanhhoa
        detect=".content-detail",
        title=("h1.head_title", "h1"),
        sapo=("div.desc", ".content-detail p strong"),
        body=".content-detail",
    ),
    Layout(
        name="yyyymm-content",  # baoquangtri: only the body is known
        detect="div#content",
        body="div#content",
    ),
)

# The `/<slug>-<id>.htm` URL family, templates told apart by `detect`. Runs baophutho.vn,
# baoquangngai.vn, baothanhhoa.vn.
# second-hand: tammuoichanhoa/crawl_lastest_news crawler/site_config.yml, no page seen.
HTM = (
    Layout(
        name="htm-dcontent",  # baophutho
        detect="#dcontent",
        title=("h1.pTitle", "h1"),
        sapo="p.pHead",
        body="#dcontent",
    ),
    Layout(
        name="htm-content",  # baoquangngai
        detect="h1.title ~ #content, #content p.sapo, #body .sapo",
        title=("h1.title", "h1"),
        sapo=("p.sapo", "#body .sapo"),
        body="#content",
        drop=".same",
    ),
    Layout(
        name="htm-article-sapo",  # baothanhhoa: only the sapo is known
        detect="div.article__sapo",
        sapo="div.article__sapo",
    ),
)

# Papers of their own kind: only the selectors the generic layer lacks (mostly the body).
# Each: second-hand: tammuoichanhoa/crawl_lastest_news crawler/site_config.yml, no page seen.
OWN = {
    "baodienbienphu": (Layout(name="baodienbienphu", detect="div.editor-content",
                              body="div.editor-content"),),
    "baolaichau": (Layout(name="baolaichau", detect="#post-content .post-detail",
                          title="#post-content .post-detail .post-info .title",
                          sapo="#post-content .post-detail .post-info .sapo",
                          body="#post-content .post-detail .post-info .body"),),
    "baolangson": (Layout(name="baolangson", detect="#content-detail",
                          sapo="#content-detail h2", body="#content-detail"),),
    "baosonla": (Layout(name="baosonla", detect="div#editor-detail",
                        sapo="div.fulltext > p.font-bold", body="div#editor-detail",
                        drop=".audio-article, .select-accent-wrap, .text-end"),),
    "baobacninhtv": (Layout(name="baobacninhtv", detect=".news-details__content",
                            sapo="div.news_detail_sapo",
                            body=".news-details__content.link_content",
                            drop=".news-related__list"),),
    "baoninhbinh": (Layout(name="baoninhbinh",
                           detect="#content_detail, #content-detail, .content-detail",
                           title=("h1.header-title", "h1"),
                           sapo=".content-detail .font-bold",
                           body=("#content_detail", "#content-detail", ".content-detail")),),
    "baolamdong": (Layout(name="baolamdong",
                          detect=".detail-content, .detail-content-body, .article__body",
                          title=("h1.detail-title", "h1.title", "h1"),
                          sapo=(".detail-sapo", ".article__sapo", ".sapo"),
                          body=(".detail-content", ".detail-content-body", ".article__body")),),
    "baodongthap": (Layout(name="baodongthap", detect="#contentNews .singular-content",
                           title=("h1.title", "h1"),
                           body="#contentNews .singular-content"),),
    "baocamau": (Layout(name="baocamau", detect="div.post-content", body="div.post-content"),),
}

# Generic: the common markup of well-formed article pages; used for any site without a layout.
GENERIC = (
    Layout(
        name="generic",
        detect="[itemprop=articleBody], article",
        body="[itemprop=articleBody]",
        sapo=("[itemprop=description]:not(meta)", "[class*=sapo]", "[class*=article-summary]",
              "[class*=article__lead]", "[class*=article-lead]"),
        authors=("[rel=author]", "[itemprop=author] [itemprop=name]",
                 "[class*=author-name], [class*=authorname]",
                 "[class*=author-info]", "[class*=author] [class*=name]", ".author"),
        published=("time[datetime]", "[itemprop=datePublished]", "[class*=pubdate]",
                   "[class*=publish]", "[class*=date]", "[class*=time]"),
        tags=("[rel=tag]", "[class*=tags] a"),
    ),
)

PLATFORMS: dict[str, tuple[Layout, ...]] = {
    "onecms": ONECMS,
    "zce": ZCE,
    "baocantho": BAOCANTHO,
    "content-fck": BAOCANTHO,
    "content-detail": CONTENT_DETAIL,
    "yyyymm": YYYYMM,
    "htm": HTM,
    "vccorp": VCCORP,
    "vnexpress": VNEXPRESS,
    "dantri": DANTRI,
    "vietnamnet": VIETNAMNET,
    "znews": ZNEWS,
    **OWN,
}

SNIFFED: tuple[str, ...] = ("onecms", "zce", "baocantho", "vccorp", "vnexpress", "dantri",
                            "vietnamnet", "znews")
"""The platforms tried on a page of a site not in the registry: those with layouts tested on
real pages. Second-hand layouts detect loose markup (`#content`) and would take over pages
the generic layer reads better, so they apply only to their own registered papers."""

