"""Synthetic Vietnamese articles, generated (never stored) for benchmarks and tests
(the tests import them from here).

Text follows a Zipf law over real Vietnamese syllables, as news text does, and every
article names a few people and places drawn from a long tail of proper names, which is
what readers search for.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import cache
from itertools import accumulate

from newsarchive.ground.article import Article, Image
from newsarchive.ground.dates import ICT, iso

_SYLLABLES = (
    "và của là có được các trong cho người những với này đã không một đến để theo năm "
    "tại về khi từ ra nhiều sẽ cũng như đó công tác phát triển kinh tế xã hội tỉnh huyện "
    "dân cán bộ đảng chính quyền cơ sở đổi mới nông nghiệp sản xuất giáo dục y tế văn hóa "
    "du lịch đầu tư hạ tầng giao thông đường cầu cảng biển điện lực nước sạch môi trường "
    "rừng lúa gạo cây trồng vật nuôi doanh nghiệp thị trường giá cả hàng hóa xuất khẩu lao "
    "động việc làm thu nhập an sinh học sinh viên trường bệnh viện bác sĩ đài phát thanh "
    "truyền hình báo chí hội nghị quyết đại nhiệm kỳ kế hoạch chương trình dự án trình "
    "thực hiện triển khai tổ chức quản lý nhà nước ủy ban nhân chủ tịch phó bí thư ban "
    "thường vụ hội đồng lãnh đạo chỉ đạo kiểm tra giám sát thanh tra pháp luật an ninh "
    "quốc phòng quân sự biên giới công an phòng cháy chữa thiên tai bão lũ mưa hạn mặn "
    "mùa vụ thu hoạch chăn trang trại hợp tác thôn bản làng miền núi đồng bằng ven thành "
    "phố thị trấn khu công nghiệp nhà máy vốn ngân sách thuế tín dụng ngân hàng bảo hiểm "
    "lương hưu chính sách người có công thương binh liệt sĩ gia đình trẻ em phụ nữ thanh "
    "niên đoàn hội cựu chiến binh mặt trận tổ quốc lễ hội di tích lịch sử bảo tàng nghệ "
    "thuật ca trù dân ca ví dặm thể thao bóng đá giải đấu vận động huy chương")
_FAMILY = ("Nguyễn Trần Lê Phạm Hoàng Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Hà Đinh Mai "
           "Lương Thái Cao Tạ Chu Lâm Trịnh Kiều")
_GIVEN = ("An Anh Bình Châu Chi Cường Dũng Đức Giang Hà Hải Hạnh Hiếu Hòa Hoa Hùng Hương "
          "Huyền Khánh Lan Linh Long Mai Minh Nam Nga Nhung Phong Phúc Quang Quỳnh Sơn Tâm "
          "Thảo Thanh Thắng Thu Thủy Trang Trung Tuấn Uyên Vân Việt Vinh Xuân Yến Lộc Lợi")
PLACES = ["Nghệ An", "Diễn Châu", "Quỳnh Lưu", "Vinh", "Hà Tĩnh", "Lào Cai", "Cần Thơ",
          "Thanh Chương", "Đô Lương", "Nam Đàn", "Hưng Nguyên", "Cửa Lò", "Kỳ Sơn",
          "Con Cuông", "Tương Dương", "Quế Phong", "Yên Thành", "Nghi Lộc", "Anh Sơn"]
WORDS = _SYLLABLES.split()
# One real-looking paragraph, for the pages of local test sites.
PARAGRAPH = ("Người dân xã Diễn Lâm đến giao dịch tại bộ phận một cửa, nơi thủ tục được "
             "giải quyết nhanh hơn nhờ đội ngũ cán bộ được chuẩn hóa và đầu tư trang thiết bị.")
AUTHORS = ["Mai Giang", "Hồ Hương", "Thành Cường", "Quang An", "Minh Phong", "Hà Thu",
           "Đức Anh", "Thu Huyền", "Phan Quỳnh", "Nguyễn Hải"]
SECTIONS = ["Thời sự", "Kinh tế", "Xã hội", "Pháp luật", "Giáo dục", "Văn hóa", "Thể thao"]


@cache
def names() -> list[str]:
    """5,000 people and places: the long tail that searches look for."""
    rng = random.Random(42)
    family, given = _FAMILY.split(), _GIVEN.split()
    people = {f"{rng.choice(family)} {rng.choice(given)} {rng.choice(given)}"
              for _ in range(4000)}
    places = {f"xã {rng.choice(given)} {rng.choice(WORDS).capitalize()}" for _ in range(3000)}
    return sorted(people)[:3000] + sorted(places)[:2000]


@cache
def _weights(n: int) -> list[float]:
    return list(accumulate(1 / (rank + 1) for rank in range(n)))


def _zipf(rng: random.Random, items: list[str], k: int) -> list[str]:
    return rng.choices(items, cum_weights=_weights(len(items)), k=k)


def sentence(rng: random.Random, n: int | None = None) -> str:
    words = _zipf(rng, WORDS, n or rng.randint(12, 28))
    if rng.random() < 0.6:
        words.insert(rng.randint(0, len(words)), _zipf(rng, names(), 1)[0])
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
    slug = place.lower().replace(" ", "-")
    return Article(
        url=f"https://{site}.vn/{slug}-bai-{i}-{10300000 + i}.html",
        site=site,
        title=f"{place}: {sentence(rng, rng.randint(6, 12))[:-1]}",
        sapo=sentence(rng, 25),
        body_text="\n".join(body),
        body_html="".join(f"<p>{p}</p>" for p in body),
        authors=rng.sample(AUTHORS, rng.randint(1, 2)),
        published_at=iso(published),
        section=rng.choice(SECTIONS),
        tags=[place, *_zipf(rng, names(), 2)],
        images=[Image(f"https://bna.1cdn.vn/2026/01/01/anh-{i}.jpg", sentence(rng, 10))],
        language="vi",
    )


def queries(n: int, seed: int = 1) -> list[str]:
    """What readers type: a name or place, sometimes with a topic word, mostly without
    diacritics."""
    from newsarchive.ground.fold import fold

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(names() + PLACES)]
        if rng.random() < 0.4:
            words.append(rng.choice(WORDS[20:150]))
        text = " ".join(words)
        out.append(fold(text) if rng.random() < 0.7 else text)
    return out
