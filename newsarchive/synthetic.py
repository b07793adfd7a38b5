"""Synthetic Vietnamese articles, generated (never stored) for benchmarks and tests."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .extract.dates import ICT, iso
from .items import Article, Image

PLACES = ["Nghệ An", "Diễn Châu", "Quỳnh Lưu", "Vinh", "Hà Tĩnh", "Lào Cai", "Cần Thơ",
          "Thanh Chương", "Đô Lương", "Nam Đàn", "Hưng Nguyên", "Cửa Lò", "Kỳ Sơn"]
_VOCABULARY = (
    "đổi mới chính quyền cơ sở người dân cán bộ công chức huyện xã tỉnh phát triển kinh tế "
    "xã hội nông nghiệp sản xuất giáo dục y tế văn hóa du lịch đầu tư hạ tầng giao thông "
    "đường bộ cầu cảng biển điện lực nước sạch môi trường rừng lúa gạo cây trồng vật nuôi "
    "doanh nghiệp thị trường giá cả hàng hóa xuất khẩu lao động việc làm thu nhập an sinh "
    "học sinh sinh viên trường học bệnh viện bác sĩ đài phát thanh truyền hình báo chí "
    "hội nghị nghị quyết đại hội đảng bộ nhiệm kỳ kế hoạch chương trình dự án công trình")
WORDS = _VOCABULARY.split()
AUTHORS = ["Mai Giang", "Hồ Hương", "Thành Cường", "Quang An", "Minh Phong", "Hà Thu",
           "Đức Anh", "Thu Huyền", "Phan Quỳnh", "Nguyễn Hải"]
SECTIONS = ["Thời sự", "Kinh tế", "Xã hội", "Pháp luật", "Giáo dục", "Văn hóa", "Thể thao"]


def sentence(rng: random.Random, n: int | None = None) -> str:
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(12, 28))]
    if rng.random() < 0.5:
        words.insert(rng.randint(0, len(words)), rng.choice(PLACES))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def article(i: int, *, site: str = "baonghean", seed: int = 0,
            start: datetime = datetime(2026, 1, 1, tzinfo=ICT)) -> Article:
    """Article number `i`: the same content for the same (i, seed)."""
    rng = random.Random(seed * 1_000_003 + i)
    place = rng.choice(PLACES)
    published = start + timedelta(minutes=17 * i)
    body = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(4, 9))]
    return Article(
        url=f"https://{site}.vn/{place.lower().replace(' ', '-')}-bai-{i}-{10300000 + i}.html",
        site=site,
        title=f"{place}: {sentence(rng, rng.randint(6, 12))[:-1]}",
        sapo=sentence(rng, 25),
        body_text="\n".join(body),
        body_html="".join(f"<p>{p}</p>" for p in body),
        authors=rng.sample(AUTHORS, rng.randint(1, 2)),
        published_at=iso(published),
        section=rng.choice(SECTIONS),
        tags=[place, *rng.sample(WORDS, 2)],
        images=[Image(f"https://bna.1cdn.vn/2026/01/01/anh-{i}.jpg", sentence(rng, 10))],
        language="vi",
    )
