"""CMS platforms and their page layouts, one list per platform, newest template first.

Many provincial papers run one of a few platforms; a layout written once serves all of
them. Dates (`since`/`until`) say when each template generation was in use.
"""

from __future__ import annotations

from .layout import Layout

# OneCMS (images on *.1cdn.vn). Runs today's baonghean.vn (Báo Nghệ An), nguoiquansat.vn,
# hanoimoi.vn (Hànộimới), congly.vn (Công lý). Its `article:published_time` meta is
# written month-first, US style: `9/5/2026 10:17:01 PM` is 5 September.
ONECMS = (
    Layout(
        name="onecms-2025",
        detect="article.entry .sc-longform-header, .sc-longform-header-title",
        title=".sc-longform-header-title",
        sapo=".sc-longform-header-sapo",
        body="article.entry",
        authors=".sc-longform-header-author",
        source=".c-author-page .js-source-copy > span",
        published=".sc-longform-header-date",
        section=(".breadcrumb-item.active", ".sc-longform-header-cate"),
        tags=".c-tags li a",
        drop=".sc-longform-header, .c-box, .oneads, .c-related-posts, .c-author-page",
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
# baohatinh.vn (Báo Hà Tĩnh), plo.vn (Pháp Luật TP.HCM; its mobile pages too),
# tinnhanhchungkhoan.vn, nhandan.vn.
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
        drop=".sda_middle, .article__tags, .article__meta",
    ),
)

# Báo Cần Thơ's own CMS (`content-fck`, images under /image/fckeditor/upload/).
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

# Generic: the common markup of well-formed article pages; used for any site without a layout.
GENERIC = (
    Layout(
        name="generic",
        detect="[itemprop=articleBody], article",
        body="[itemprop=articleBody]",
        sapo=("[itemprop=description]:not(meta)", "[class*=sapo]", "[class*=article-summary]",
              "[class*=article__lead]", "[class*=article-lead]"),
        authors=("[rel=author]", "[itemprop=author] [itemprop=name]", "[class*=author-name]",
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
    "vccorp": VCCORP,
    "vnexpress": VNEXPRESS,
    "dantri": DANTRI,
    "vietnamnet": VIETNAMNET,
    "znews": ZNEWS,
}
