"""Place tagging against hand-checked sentences: precision, recall, and the time it adds.

    python -m bench.places [--fixtures ../shared/fixtures]

CASES are sentences with the units a reader would name for them, checked by hand against
the gazetteer (each expected unit is written `code`). Sentences marked `fixture` are
copied from the captured pages' extracted text (tests/expected/articles); the rest are
written cases: ambiguous names, former districts, abbreviations, names inside
organisation names. A tag counts as right when its code is expected; an unresolved tag
counts against precision only if the sentence expects nothing of that name (leaving a
name unresolved is a miss, never a wrong place). Time: tagging each captured article,
as a ratio to extracting it.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from newsarchive.extract import extract
from newsarchive.ground.article import Article
from newsarchive.places import gazetteer, tag
from newsarchive.sites import load

BEFORE, AFTER = "2024-05-01", "2026-01-10"

# (site, date, sentence, expected codes, where it comes from)
CASES: list[tuple[str, str, str, set[str], str]] = [
    # from the captured pages
    ("baocantho", "2026-01-08", "Chủ tịch UBND TP Cần Thơ cùng lãnh đạo Thanh tra thành phố "
     "tham dự hội nghị tại điểm cầu TP Cần Thơ.", {"p34-92"}, "fixture"),
    ("nguoiquansat", "2026-09-05", "BWE đã góp mặt tại 6 tỉnh thành, bao gồm TP. HCM, Đồng "
     "Nai, Cần Thơ, Tây Ninh, Vĩnh Long, Quảng Trị.",
     {"p34-79", "p34-75", "p34-92", "p34-80", "p34-86", "p34-44"}, "fixture"),
    ("plo", "2025-10-11", "Phó Bí thư Thành ủy TP.HCM Đặng Minh Thông, làm trưởng đoàn "
     "đến thắp hương.", {"p34-79"}, "fixture"),
    ("plo", "2025-10-11", "Ông Trần Tuấn Lĩnh, Bí thư Đảng ủy phường Bà Rịa; ông Bùi Chí "
     "Thành, Bí thư Đảng ủy phường Phú Mỹ, cùng lãnh đạo sở, ban, ngành TP.",
     {"c34-26560", "c34-26704"}, "fixture"),
    ("plo", "2025-10-11", "Đoàn đến dâng hương Chủ tịch Hồ Chí Minh tại bảo tàng TP.HCM.",
     {"p34-79"}, "fixture"),
    ("plo", "2025-10-11", "Tại Nghĩa trang liệt sĩ tỉnh Bình Dương cũ, đoàn đại biểu đã "
     "thắp hương.", {"p63-74"}, "fixture"),
    ("baolaocai", "2025-06-17", "Cán bộ Phòng Tham mưu Bộ Chỉ huy Quân sự tỉnh lặng lẽ "
     "làm việc.", set(), "fixture"),
    ("baochinhphu", "2026-03-01", "Ủy ban nhân dân tỉnh, thành phố trực thuộc trung ương "
     "cho ý kiến.", set(), "fixture"),
    ("baochinhphu", "2026-03-01", "Đồng bào dân tộc thiểu số ở các xã đặc biệt khó khăn.",
     set(), "fixture"),
    ("baocantho", "2026-01-08", "Phát triển kinh tế - xã hội ở các cấp, các ngành.", set(),
     "fixture"),
    # written: type words and abbreviations
    ("baonghean", BEFORE, "Công an xã Diễn Lâm, huyện Diễn Châu đã bắt giữ đối tượng.",
     {"c63-17392", "d63-425"}, "written"),
    ("baonghean", BEFORE, "Tại TP. Vinh và H. Quỳnh Lưu, tỉnh Nghệ An, mưa lớn kéo dài.",
     {"d63-412", "d63-421", "p63-40"}, "written"),
    ("baonghean", BEFORE, "Các xã Diễn Đoài, Diễn Trường và Diễn Lâm được công nhận đạt "
     "chuẩn nông thôn mới.", {"c63-17395", "c63-17398", "c63-17392"}, "written"),
    ("baonghean", BEFORE, "UBND thị xã Hoàng Mai họp bàn về cảng Đông Hồi.", {"d63-432"},
     "written"),
    ("baonghean", BEFORE, "Lễ hội Làng Sen ở xã Kim Liên, huyện Nam Đàn thu hút du khách.",
     {"c63-17971", "d63-430"}, "written"),
    ("baonghean", BEFORE, "Phường Bến Thủy và phường Nghi Phú ra quân dọn vệ sinh.",
     {"c63-16693", "c63-16702"}, "written"),
    ("baonghean", BEFORE, "Thị trấn Đô Lương đông vui ngày hội.", {"c63-17617"}, "written"),
    ("baonghean", BEFORE, "Huyện Thanh Chương đẩy mạnh trồng chè.", {"d63-428"}, "written"),
    ("baonghean", BEFORE, "Xe khách đi Hà Tĩnh gặp nạn trên Quốc lộ 1A.", {"p63-42"},
     "written"),
    ("baonghean", BEFORE, "Ông Nguyễn Hà Nam, Giám đốc Sở, phát biểu.", set(), "written"),
    ("baonghean", BEFORE, "Theo Báo Nghệ An, lượng mưa đo được rất lớn.", set(), "written"),
    ("baonghean", BEFORE, "Đường Lê Hồng Phong được lát đá mới.", set(), "written"),
    ("baonghean", BEFORE, "Trường THPT Huỳnh Thúc Kháng khai giảng năm học mới.", set(),
     "written"),
    # written: after the reform, new communes and former units
    ("baonghean", AFTER, "Xã Diễn Châu tổ chức đại hội Đảng bộ nhiệm kỳ đầu tiên.",
     {"c34-17464"}, "written"),
    ("baonghean", AFTER, "Người dân huyện Diễn Châu cũ nay thuộc xã Diễn Châu và xã Hùng "
     "Châu.", {"d63-425", "c34-17464", "c34-17395"}, "written"),
    ("baonghean", AFTER, "Phường Trường Vinh và phường Cửa Lò ra mắt trung tâm hành chính "
     "công.", {"c34-16690", "c34-16732"}, "written"),
    ("baonghean", AFTER, "Xã Nghi Lộc có 25.000 dân.", {"c34-17827"}, "written"),
    ("baonghean", AFTER, "Công an xã Quỳnh Lưu tuần tra ban đêm.", {"c34-17179"}, "written"),
    ("baonghean", AFTER, "Đặc khu Phú Quốc đón khách quốc tế.", {"c34-31078"}, "written"),
    ("baonghean", AFTER, "Xã Kim Liên đón đoàn khách về quê Bác.", {"c34-17971"}, "written"),
    ("baoquangtri", AFTER, "Phường Đồng Hới, tỉnh Quảng Trị chỉnh trang đô thị.",
     {"c34-18880", "p34-44"}, "written"),
    ("baoquangtri", AFTER, "Khách du lịch đến Quảng Bình cũ tăng mạnh.", {"p63-44"},
     "written"),
    ("baolaocai", AFTER, "Phường Sa Pa đón 3 triệu lượt khách.", {"c34-03006"}, "written"),
    ("baolaocai", BEFORE, "Thị xã Sa Pa và huyện Bảo Thắng, tỉnh Lào Cai ký kết hợp tác.",
     {"d63-088", "d63-086", "p63-10"}, "written"),
    ("baolaocai", BEFORE, "TP Yên Bái và huyện Văn Yên, tỉnh Yên Bái chịu ảnh hưởng bão.",
     {"d63-132", "d63-136", "p63-15"}, "written"),
    ("baolaocai", AFTER, "Xã Mường Khương tổ chức chợ phiên.", {"c34-02761"}, "written"),
    # written: ambiguous names, settled by context or left unresolved
    ("baonghean", BEFORE, "Phường Hưng Lộc, TP Vinh khánh thành nhà văn hoá.", {"c63-16708",
                                                                               "d63-412"},
     "written"),
    ("hanoimoi", AFTER, "Phường Hoàng Mai tổ chức ngày hội đại đoàn kết.", {"c34-00331"},
     "written"),
    ("baonghean", AFTER, "Phường Hoàng Mai tổ chức ngày hội đại đoàn kết.", {"c34-17110"},
     "written"),
    ("baochinhphu", AFTER, "Xã Châu Thành được công nhận đạt chuẩn.", set(), "written"),
    ("baochinhphu", BEFORE, "Xã Thái Hòa xây dựng nông thôn mới kiểu mẫu.", set(), "written"),
    ("baochinhphu", BEFORE, "Ông Lê Văn Thành, xã Kim Liên, huyện Nam Đàn, tỉnh Nghệ An.",
     {"c63-17971", "d63-430", "p63-40"}, "written"),
    ("baonghean", BEFORE, "Học sinh huyện Tân Kỳ nhận học bổng.", {"d63-423"}, "written"),
    ("baonghean", BEFORE, "Nông dân xã Bảo Thắng, huyện Yên Thành thu hoạch lúa.",
     {"c63-16846", "d63-426"}, "written"),
]


def score(cases=CASES) -> tuple[float, float, list[str]]:
    g, registry = gazetteer(), load()
    right = wrong = expected = 0
    problems = []
    for site_id, date, text, want, _ in cases:
        site = registry.get(site_id) if site_id in registry else None
        art = Article(url="https://example.vn/a", site=site_id, title=None, body_text=text,
                      published_at=date)
        got = {t.code for t in tag(art, site, g) if t.code}
        right += len(got & want)
        wrong += len(got - want)
        expected += len(want)
        if got != want:
            problems.append(f"{text[:60]}…: got {sorted(got)}, want {sorted(want)}")
    precision = right / (right + wrong) if right + wrong else 1.0
    return precision, right / expected if expected else 1.0, problems


def timing(fixtures: Path) -> tuple[int, float, float]:
    """Extraction and tagging time over every captured article page."""
    registry = load()
    pages = [p for p in fixtures.rglob("*.html")]
    n, t_extract, t_tag = 0, 0.0, 0.0
    gazetteer()  # loaded once per process, not per article
    for path in pages:
        html = path.read_bytes()
        url = f"https://{path.parent.name}/{path.stem}.html"
        site = registry.for_url(url)
        try:
            t0 = time.perf_counter()
            art = extract(html, url, site=site)
            t1 = time.perf_counter()
        except Exception:
            continue
        tag(art, site)
        t2 = time.perf_counter()
        n, t_extract, t_tag = n + 1, t_extract + t1 - t0, t_tag + t2 - t1
    return n, t_extract, t_tag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixtures", type=Path, default=Path(
        os.environ.get("NEWSARCHIVE_FIXTURES", "../shared/fixtures")))
    args = parser.parse_args()
    t0 = time.perf_counter()
    gazetteer()
    load_time = time.perf_counter() - t0
    precision, recall, problems = score()
    units = sum(len(c[3]) for c in CASES)
    print(f"{len(CASES)} sentences, {units} expected units "
          f"({sum(c[4] == 'fixture' for c in CASES)} sentences from captured pages)")
    print(f"precision {precision:.3f}  recall {recall:.3f}")
    for line in problems:
        print("  differs:", line)
    n, t_extract, t_tag = timing(args.fixtures)
    if n:
        print(f"{n} captured pages: extraction {1000 * t_extract / n:.1f} ms, tagging "
              f"{1000 * t_tag / n:.2f} ms per article: ratio {t_tag / t_extract:.3f}")
    print(f"gazetteer loaded once per process in {load_time:.2f} s")


if __name__ == "__main__":
    main()
