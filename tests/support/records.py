"""Articles written for tests."""

from __future__ import annotations

from newsarchive.ground.article import Article


def dien_chau(**changes) -> Article:
    base = Article(
        url="https://baonghean.vn/dien-chau-huong-den-chinh-quyen-vi-dan-phuc-vu-10304595.html",
        site="baonghean", title="Diễn Châu: Hướng đến chính quyền 'vì dân phục vụ'",
        sapo="Nghị quyết Đại hội Đảng bộ Diễn Châu chú trọng chính quyền cơ sở.",
        body_text="UBND xã Diễn Lâm đã tập trung đào tạo đội ngũ cán bộ.\n"
                  "Đổi mới thủ tục hành chính tại Đài Diễn Châu.",
        authors=["Mai Giang"], source="Đài Diễn Châu", tags=["Diễn Châu", "cải cách hành chính"],
        published_at="2016-04-12T08:00:00+07:00", section="Thời sự", language="vi")
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def story(i: int, site: str, title: str, body: str, day: str = "2025-03-01",
          **changes) -> Article:
    """Article `i` of `site`: a title, a body and a day (09:00 in Vietnam), nothing else
    (no sapo, author, tag nor source), for tests that count words and matches."""
    return dien_chau(**{"url": f"https://{site}.vn/bai-{i}-post{1000 + i}.html", "site": site,
                        "title": title, "sapo": "", "body_text": body, "tags": [],
                        "authors": [], "source": None, "section": "Thời sự",
                        "published_at": f"{day}T09:00:00+07:00", **changes})
