"""The words of coverage: counts and G² checked against a hand computation on a small
archive whose articles are known, folding as the search folds, the stop list, samples."""

from __future__ import annotations

import math

import pytest

from newsarchive.archive import Archive
from newsarchive.archive.keywords import (
    Basis,
    Direction,
    _sample,
    g2,
    keywords,
    ratio,
    words_of,
)
from newsarchive.archive.search import Filters
from newsarchive.archive.stopwords import FOLDED, WORDS
from newsarchive.ground.fold import fold
from tests.support.fixtures import registry
from tests.support.records import story


# 10 articles on electricity in Nghệ An, 20 on football: 12 in Nghệ An, 8 in Lào Cai;
# "mùa hè" in 4 of the electricity ones and 6 of the football ones.
@pytest.fixture(scope="module")
def db(tmp_path_factory):
    archive = Archive(tmp_path_factory.mktemp("keywords") / "archive.db")
    archive.runs.sync_sites(s.row() for s in registry())
    for i in range(10):
        summer = " Trời nắng mùa hè." if i < 4 else ""
        archive.articles.store(story(i, "baonghean", f"Điện lực Nghệ An {2020 + i}",
                                      "Cắt điện ở xã Diễn Lâm, thiếu điện vì trạm biến áp cũ."
                                      + summer))
    for i in range(10, 30):
        summer = " Trời nắng mùa hè." if i < 16 else ""
        site = "baonghean" if i < 22 else "baolaocai"
        archive.articles.store(story(i, site, "Bóng đá", "Đội nhà thắng trận, cổ động viên "
                                      "vui mừng." + summer, "2025-04-01"))
    yield archive.db
    archive.close()


def _hand_g2(a: int, b: int, c: int, d: int) -> float:
    """G² written as the sum of x ln x over the cells, the margins and the total."""
    def xlx(x: int) -> float:
        return x * math.log(x) if x else 0.0
    n = a + b + c + d
    return 2 * (xlx(a) + xlx(b) + xlx(c) + xlx(d) + xlx(n) - xlx(a + b) - xlx(c + d)
                - xlx(a + c) - xlx(b + d))


def test_g2_is_dunning_log_likelihood_by_hand():
    for a, n1, b, n2 in ((10, 10, 0, 20), (4, 10, 6, 20), (3, 50, 40, 900), (0, 5, 9, 9)):
        assert g2(a, n1, b, n2) == pytest.approx(_hand_g2(a, n1 - a, b, n2 - b))
    assert g2(5, 10, 10, 20) == pytest.approx(0.0, abs=1e-12)  # the same share
    assert ratio(4, 10, 6, 20) == pytest.approx((4.5 / 10.5) / (6.5 / 20.5))


def test_words_are_folded_numbers_stop_words_and_single_letters_left_out():
    singles, pairs = words_of("Cắt ĐIỆN ở xã Diễn Lâm năm 2025, cơ quan có thể a b.")
    assert {"cat", "dien", "xa", "lam", "nam", "quan"} <= singles
    assert not singles & {"2025", "o", "a", "b", "co", "the"}
    assert {"cat dien", "xa dien", "dien lam", "lam nam", "co quan"} <= pairs
    assert "nam co" not in pairs  # a pair never crosses a sentence's comma
    assert "quan co" not in pairs and "co the" not in pairs  # `có` is a stop word


def test_a_pair_is_shown_as_written_where_it_was_counted(tmp_path):
    from newsarchive.archive.keywords import _written

    archive = Archive(tmp_path / "archive.db")
    archive.runs.sync_sites(s.row() for s in registry())
    archive.articles.store(story(1, "baonghean", "Có quan hệ", "Có quan tâm. Cơ quan "
                                  "nhà nước, cơ quan nhà nước và cơ quan."))
    # `có` is a function word: `cơ quan` is the pair counted, however many `có quan`
    assert _written(archive.db, [1], {"co quan", "nha"}) == {"co quan": "cơ quan",
                                                              "nha": "nhà"}
    assert words_of("Có quan hệ. Có quan tâm.")[1] == {"quan he", "quan tam"}
    archive.close()


def test_the_stop_list_is_function_words_and_spares_words_that_fold_like_them():
    assert {"và", "của", "các", "là", "có", "được", "không", "những"} <= WORDS
    assert all(w == w.lower() and " " not in w for w in WORDS)
    # content words whose folded form a function word would take: never in the list
    assert not {"dang", "nam", "ba", "ong", "bao", "vay"} & FOLDED
    assert {fold(w) for w in WORDS} == FOLDED


def test_a_sample_is_the_same_each_time_and_spread_over_the_archive(db):
    assert sorted(_sample(db, "SELECT a.id FROM articles a", {}, 100)) == list(range(1, 31))
    first = _sample(db, "SELECT a.id FROM articles a", {}, 10)
    assert first == _sample(db, "SELECT a.id FROM articles a", {}, 10)
    assert len(set(first)) == 10 and max(first) - min(first) > 15


def test_scores_match_a_hand_computation_on_a_small_archive(db):
    found = keywords(db, "điện", limit=100)
    assert (found.matches, found.scope, found.baseline) == (10, 30, 20)
    assert (found.matches_read, found.baseline_read) == (10, 20)
    assert found.words_basis is found.pairs_basis is Basis.READ
    words = {k.term: k for k in found.words}
    luc = words["luc"]  # in every match, no other article
    assert (luc.matches, luc.baseline) == (10, 0)
    assert luc.g2 == pytest.approx(_hand_g2(10, 0, 0, 20))
    assert luc.ratio == pytest.approx((10.5 / 10.5) / (0.5 / 20.5))
    assert luc.direction is Direction.OVER
    assert "he" not in words  # 4 of 10 against 6 of 20: not significant
    assert _hand_g2(4, 6, 6, 14) < 3.84
    pairs = {k.term: k for k in found.pairs}
    assert (pairs["dien luc"].matches, pairs["dien luc"].baseline) == (10, 0)
    assert pairs["bien ap"].g2 == pytest.approx(_hand_g2(10, 0, 0, 20))
    assert "o xa" not in pairs and "2020" not in words
    assert (luc.written, pairs["dien luc"].written, pairs["dien lam"].written) == (
        "lực", "Điện lực", "Diễn Lâm")  # as the articles write them
    assert found.words[0].g2 >= found.words[-1].g2


def test_a_word_without_marks_finds_what_the_marked_one_does(db):
    marked, plain = keywords(db, "điện"), keywords(db, "dien")
    assert marked.words == plain.words and marked.pairs == plain.pairs
    assert plain.matches == 10


def test_under_represented_words(db):
    found = keywords(db, "dien", direction="under")
    terms = {k.term: k for k in found.words}
    assert {"bong", "nha", "tran"} <= set(terms) and "doi" not in terms  # `đối`
    assert (terms["bong"].matches, terms["bong"].baseline) == (0, 20)
    assert all(k.direction is Direction.UNDER for k in found.words + found.pairs)


def test_the_index_counts_the_baseline_exactly_when_it_is_sampled(db):
    assert keywords(db, "dien", sample=10).words_basis is Basis.SAMPLE  # unless asked
    found = keywords(db, "dien", sample=10, exact=True)  # matches whole, baseline sampled
    assert (found.words_basis, found.pairs_basis) == (Basis.INDEX, Basis.SAMPLE)
    in_sample = _sample(db, "SELECT a.id FROM articles a", {}, 10)
    assert found.baseline_read == sum(i > 10 for i in in_sample)  # the football ones
    direct = db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'bong'"
                        ).fetchone()[0]
    under = {k.term: k for k in keywords(db, "dien", sample=10, direction="under",
                                         exact=True).words}
    assert under["bong"].baseline == found.baseline_read  # read in the sample
    words = {k.term: k for k in found.words}
    assert words["luc"].baseline == 0 and words["luc"].g2 == pytest.approx(
        _hand_g2(10, 0, 0, 20))
    assert direct == 20


def test_samples_when_the_matches_are_many(db):
    found = keywords(db, "dien", sample=4)
    scope = _sample(db, "SELECT a.id FROM articles a", {}, 4)
    assert (found.matches_read, found.baseline_read) == (4, sum(i > 10 for i in scope))
    assert found.words_basis is found.pairs_basis is Basis.SAMPLE
    assert {k.term: k.matches for k in found.words}.get("luc") in (None, 4)


def test_scope_narrows_both_groups(db):
    found = keywords(db, "dien", Filters(site="baolaocai"))
    assert (found.matches, found.scope, found.words, found.pairs) == (0, 8, [], [])
    found = keywords(db, "dien", Filters(site="baonghean"))
    assert (found.matches, found.scope) == (10, 22)
    assert found.words_basis is Basis.READ
    assert {k.term: k.baseline for k in found.words}["luc"] == 0


@pytest.mark.parametrize("query", ["", "   ", "***", '"', "-dien"])
def test_a_query_with_nothing_to_search_for_is_a_value_error(db, query):
    with pytest.raises(ValueError):
        keywords(db, query)


def test_the_scores_at_once_are_the_scores_one_by_one():
    import numpy as np

    from newsarchive.archive.keywords import g2s

    a, b = np.array([10.0, 4, 3, 0, 5]), np.array([0.0, 6, 40, 9, 10])
    assert g2s(a, 10, b, 900).tolist() == pytest.approx(
        [g2(int(x), 10, int(y), 900) for x, y in zip(a, b, strict=True)])


def test_the_scopes_sample_is_remembered_until_the_archive_changes(tmp_path):
    """The counts of a scope's sample are kept for the next query: the same answers as
    counting anew, until an article is added or a text changes."""
    from newsarchive.archive import keywords as module

    archive = Archive(tmp_path / "archive.db")
    archive.runs.sync_sites(s.row() for s in registry())
    for i in range(12):
        archive.articles.store(story(i, "baonghean", "Điện lực" if i < 4 else "Bóng đá",
                                      "Trạm biến áp." if i < 4 else "Đội nhà thắng."))
    module.forget_scopes()
    first = keywords(archive.db, "dien", sample=5)  # 4 matches, a sample of the other 8
    assert len(module._SCOPES) == 1
    assert keywords(archive.db, "dien", sample=5) == first
    assert keywords(archive.db, "luc", sample=5, direction="under") != first
    assert len(module._SCOPES) == 1  # the same scope: counted once for the three
    module.forget_scopes()
    assert keywords(archive.db, "dien", sample=5) == first  # counted anew: the same
    with archive.conn:  # a text changes: the sample is read again
        archive.conn.execute("UPDATE articles SET body_text = 'Mưa bão lớn.' WHERE id > 4")
    after = keywords(archive.db, "dien", direction="under", sample=5)
    assert len(module._SCOPES) == 2
    assert {"mua", "bao", "lon"} <= {k.term for k in after.words}
    assert "thang" not in {k.term for k in after.words}
    archive.articles.store(story(12, "baonghean", "Điện", "Trạm."))  # one more article
    keywords(archive.db, "dien", sample=5)
    assert len(module._SCOPES) == 3
    archive.close()
