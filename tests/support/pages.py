"""Pages written for the tests (not captured ones): small, explicit, in Vietnamese."""

from __future__ import annotations

import unicodedata

PARAGRAPH = ("Người dân Nghệ An đến giao dịch tại phòng một cửa của UBND huyện Diễn Châu, "
             "nơi thủ tục được giải quyết nhanh hơn nhờ đội ngũ cán bộ được chuẩn hóa. ")


def article_page(body: str = "", head: str = "", title: str = "Diễn Châu đổi mới chính quyền",
                 charset: str = "utf-8") -> str:
    """A plain article page with JSON-LD, in no known layout."""
    body = body or "".join(f"<p>{PARAGRAPH}{i}</p>" for i in range(4))
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="{charset}">
<title>{title} - Báo Thử</title>
<meta property="og:type" content="article"><meta property="og:title" content="{title}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"{title}","datePublished":"2026-03-07T08:47:00+07:00",
"author":{{"@type":"Person","name":"Mai Giang"}},
"description":"Nghị quyết Đại hội Đảng bộ Diễn Châu chú trọng chính quyền cơ sở."}}</script>
{head}</head><body><header><a href="/">Trang chủ</a></header>
<h1>{title}</h1><div itemprop="articleBody">{body}</div>
<footer>Bản quyền thuộc Báo Thử</footer></body></html>"""


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_windows_1258(text: str) -> bytes:
    """Encode as windows-1258 does: precomposed base letters, combining tone marks."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("windows-1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out += (base + tones).encode("windows-1258")
    return bytes(out)
