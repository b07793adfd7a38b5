"""A crawled page with characters XML cannot carry (U+FFFF, U+FFFE, noncharacters, as
characters or as references) gives an Article without them: they would break every
Atom feed that carries the article."""

from __future__ import annotations

import json

from newsarchive.extract.core import extract
from tests.support.pages import PARAGRAPH, article_page

URL = "https://baothu.vn/dien-chau-doi-moi-123456.html"
UNFIT = "\uffff\ufffe\ufdd0\U0001ffff"


def _no_unfit(value) -> bool:
    text = json.dumps(value, ensure_ascii=False)
    return not any(ch in text for ch in UNFIT)


def test_noncharacters_in_a_crawled_page_are_not_kept():
    body = "".join(f"<p>{PARAGRAPH}{UNFIT}{i}&#xFFFF;&#xFDD0;</p>" for i in range(4))
    page = article_page(body=body, title=f"Diễn Châu{UNFIT} đổi mới chính quyền")
    art = extract(page.encode("utf-8"), URL)
    assert art.title == "Diễn Châu đổi mới chính quyền"
    assert art.body_text.startswith(PARAGRAPH.strip())
    assert _no_unfit(art.to_dict())


def test_a_page_without_unfit_text_is_unchanged_by_the_last_cleaning():
    art = extract(article_page().encode("utf-8"), URL)
    assert art.title == "Diễn Châu đổi mới chính quyền" and _no_unfit(art.to_dict())
