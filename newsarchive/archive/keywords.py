"""The words of coverage: the words and two-syllable words most over-represented in the
articles matching a query, against the rest of the scope (Media Cloud's "words used").

An article is read as the search reads it (title, sapo, body, authors, tags), each
syllable folded (`ground.fold`: `Điện` is `dien`); a word is one folded syllable, a
two-syllable word two neighbouring ones within a sentence (`dien chau`). Numbers,
syllables of one letter and the function words of `stopwords.py` are left out (a pair
with one of them in it too). Every count is of articles, not occurrences: an article that
repeats a word forty times counts once.

Two groups are compared: the matches (the articles of the scope that match the query, as
`trends.in_scope` finds them) and the baseline (every other article of the scope). The
matches are read whole when they are at most SAMPLE, else the first SAMPLE in the order
of a hash of their id (deterministic, spread over papers and years). The baseline is
read whole when it is at most SAMPLE; else it is the scope's own sample of SAMPLE (in the
same order) less the matches in it, which are all among the matches read, so the
scope's counts are kept for the next query in the same scope. On request (`exact`) the
single words of the baseline are counted exactly by the search index (an `fts5vocab`
table over `articles_fts`) when the scope is the whole archive, the matches were read
whole and the baseline was not, for the over-represented words: each word's count walks
its list of articles, a cost that grows with the archive, where the sample's does not.

The score is Dunning's log-likelihood G² of the 2x2 table (articles with and without the
word, in the matches and in the baseline); the ratio is of the two shares (each plus
half an article, so that a word absent from the baseline has a finite one). A word in
fewer than MIN_ARTICLES matching articles, or scoring under SIGNIFICANT (p < 0.05 for one
word alone), is not listed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import chain, count

import numpy as np
import sqlite_utils

from ..ground.fold import fold
from .migrations import FTS_COLUMNS
from .search import Filters
from .stopwords import FOLDED, WORDS
from .trends import in_scope

SAMPLE = 1000          # articles read of the matches, and of the baseline
MIN_ARTICLES = 3       # a word in fewer matching articles is not listed
SIGNIFICANT = 3.84     # G² of p = 0.05 (one degree of freedom)
MOST = 200             # the longest list asked for
WRITTEN = 50           # articles read for how a listed word is written
VOCAB = "na_vocab"     # the fts5vocab table, made in each connection's temp schema
_CHUNK = 200           # articles read per statement
_SENTENCE = re.compile(r"[^\w\s]+|_+")
_TEXT = " || ' . ' || ".join(f"coalesce({c}, '')" for c in FTS_COLUMNS)


class Direction(StrEnum):
    OVER = "over"      # more common in the matches than in the baseline
    UNDER = "under"


class Basis(StrEnum):
    """How a baseline count was made."""
    INDEX = "index"    # exact, from the search index's own counts of the archive
    READ = "read"      # every article of the baseline read
    SAMPLE = "sample"  # a sample of the baseline read


class TooSlow(Exception):
    """The counting ran past its time: a narrower scope or query is needed."""


@dataclass(frozen=True)
class Keyword:
    term: str          # folded: `dien chau`
    g2: float
    matches: int       # matching articles read that have it
    baseline: int      # baseline articles counted that have it
    ratio: float       # share in the matches / share in the baseline (each + 0.5)
    written: str = ""  # as the articles most often write it: `Diễn Châu`

    @property
    def direction(self) -> Direction:
        return Direction.OVER if self.ratio >= 1 else Direction.UNDER


@dataclass
class Keywords:
    query: str
    matches: int               # every article of the scope matching the query
    scope: int                 # every article of the scope
    matches_read: int          # of `matches`, read (all, or a sample)
    baseline_read: int         # of the baseline (scope minus matches), read
    words_basis: Basis
    pairs_basis: Basis
    words: list[Keyword] = field(default_factory=list)
    pairs: list[Keyword] = field(default_factory=list)

    @property
    def baseline(self) -> int:
        return self.scope - self.matches


def g2(a: int, n1: int, b: int, n2: int) -> float:
    """Dunning's log-likelihood G² of `a` of `n1` articles against `b` of `n2`:
    2 Σ O ln(O / E) over the four cells of the 2x2 table."""
    total, having = n1 + n2, a + b
    if not total:
        return 0.0
    cells = ((a, n1 * having), (n1 - a, n1 * (total - having)),
             (b, n2 * having), (n2 - b, n2 * (total - having)))
    return 2 * sum(o * math.log(o * total / e) for o, e in cells if o > 0)


def ratio(a: int, n1: int, b: int, n2: int) -> float:
    """The share of the matches having a word over that of the baseline, each count plus
    half an article."""
    return ((a + 0.5) / (n1 + 0.5)) / ((b + 0.5) / (n2 + 0.5))


_SERIALS = count()


class _Syllables(dict):
    """A word as written between spaces (lower case) -> the numbers of the folded
    syllables in it, 0 where a sentence ends (punctuation) and for what is left out (a
    number, one letter, a letter outside Latin, a function word): `lâm,` -> (n, 0).
    Each distinct word is read once (the table is kept between computations, see
    `_syllables`). `names[n]` is syllable n, folded."""

    def __init__(self) -> None:
        super().__init__()
        self.serial = next(_SERIALS)  # tells a table from the ones before it
        self.names = [""]
        self._numbers: dict[str, int] = {}
        self._lock = threading.Lock()  # Datasette's threads share the table

    def __missing__(self, word: str) -> tuple[int, ...]:
        with self._lock:
            numbers: list[int] = []
            for k, syllable in enumerate(_SENTENCE.split(word)):
                if k:
                    numbers.append(0)
                if syllable:
                    numbers.append(self._number(syllable))
            self[word] = out = tuple(numbers)
        return out

    def _number(self, syllable: str) -> int:
        plain = fold(syllable)
        if not (len(plain) > 1 and plain.isascii() and plain.isalpha()) or syllable in WORDS:
            return 0
        number = self._numbers.setdefault(plain, len(self.names))
        if number == len(self.names):
            self.names.append(plain)
        return number

    def read(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The numbers of the words of `text` and of its pairs (`first << 32 | second`),
        each once; a pair within a sentence."""
        numbers = np.fromiter(chain.from_iterable(map(
            self.__getitem__, unicodedata.normalize("NFC", text).lower().split())),
            dtype=np.int64)
        first, second = numbers[:-1], numbers[1:]
        return (np.unique(numbers[numbers > 0]),
                np.unique((first << 32 | second)[(first > 0) & (second > 0)]))

    def pair(self, key: int) -> str:
        return f"{self.names[key >> 32]} {self.names[key & 0xFFFFFFFF]}"


_TABLE = [_Syllables()]
_KEPT = 500_000  # distinct words between spaces; past it a computation starts a new table


def _syllables() -> _Syllables:
    """The shared table of words read, or a new one when it has grown past _KEPT."""
    if len(_TABLE[0]) > _KEPT:
        _TABLE[0] = _Syllables()
    return _TABLE[0]


def words_of(text: str) -> tuple[set[str], set[str]]:
    """(folded single words, folded two-syllable words) of one text; numbers, one-letter
    syllables and function words left out, pairs taken within a sentence."""
    syllables = _Syllables()
    singles, pairs = syllables.read(text)
    return ({syllables.names[n] for n in singles.tolist()} - FOLDED,
            {syllables.pair(k) for k in pairs.tolist()})


# A sample is the articles first in the order of this hash of their id (Knuth's
# multiplicative hash): spread over papers and years, the same for the same archive.
_SHUFFLED = "(a.id * 2654435761) % 4294967296, a.id"


def _sample(db: sqlite_utils.Database, sql: str, params: dict, n: int) -> list[int]:
    """At most `n` of the ids `sql` selects (from `articles a`): all of them when they
    are no more, else a deterministic sample; SQLite orders them, Python never holds
    every id of a large scope."""
    return [r[0] for r in db.execute(f"{sql} ORDER BY {_SHUFFLED} LIMIT :n",
                                     {**params, "n": n})]


def keywords(db: sqlite_utils.Database, query: str, scope: Filters | None = None,
             limit: int = 50, direction: Direction | str = Direction.OVER,
             sample: int | None = None, seconds: float | None = None,
             exact: bool = False) -> Keywords:
    """The `limit` words and two-syllable words of `query`'s matches in `scope` most
    over- (or under-) represented against the rest of the scope, by G². `exact`: the
    baseline's single words counted by the search index where it can (the whole
    archive, every match read, over-represented words). ValueError for a query with
    nothing to search for or a bad date; TooSlow past `seconds`."""
    direction, scope, sample = Direction(direction), scope or Filters(), sample or SAMPLE
    deadline = time.monotonic() + seconds if seconds else None
    if not query.strip():
        raise ValueError("no query: give the words whose coverage to read")
    matched_sql, matched_params = in_scope(db, query, scope)
    scope_sql, scope_params = in_scope(db, "", scope)
    n_matched = db.execute(f"SELECT count(*) FROM ({matched_sql})", matched_params
                           ).fetchone()[0]
    n_scope = db.execute(f"SELECT count(*) FROM ({scope_sql})", scope_params).fetchone()[0]
    # the same filters have the same parameters in both
    rest_sql = (f"{scope_sql} {'AND' if ' WHERE ' in scope_sql else 'WHERE'} "
                f"a.id NOT IN ({matched_sql})")
    rest_params = {**scope_params, **matched_params}
    syllables = _syllables()
    m_read = _sample(db, matched_sql, matched_params, sample) if n_matched else []
    read = _read(db, m_read, deadline, syllables)
    m_words, m_pairs = _tally(read.values(), syllables)
    if n_scope - n_matched <= sample:  # the rest of the scope, read whole
        b_read = _sample(db, rest_sql, rest_params, sample) if n_scope > n_matched else []
        b_words, b_pairs = _tally(_read(db, b_read, deadline, syllables).values(),
                                  syllables)
    else:  # the scope's sample, less the matches in it (all among those read)
        s_read, s_words, s_pairs = _scope_sample(db, scope, scope_sql, scope_params,
                                                 n_scope, sample, deadline, syllables)
        both = [read[i] for i in m_read if i in s_read]
        i_words, i_pairs = _tally(both, syllables)
        b_read = [i for i in s_read if i not in read]
        b_words, b_pairs = s_words.minus(i_words), s_pairs.minus(i_pairs)
    n_rest = n_scope - n_matched
    every = Basis.READ if len(b_read) == n_rest else Basis.SAMPLE
    words_basis, n2 = every, len(b_read)
    if (exact and not scope.narrowing and len(m_read) == n_matched
            and every is Basis.SAMPLE and direction is Direction.OVER):
        keys = m_words.keys[m_words.counts >= MIN_ARTICLES]
        in_archive = _indexed(db, [syllables.names[k] for k in keys.tolist()])
        total = np.array([in_archive.get(syllables.names[k], 0) for k in keys.tolist()],
                         dtype=np.int64)
        b_words = TermCounts(keys, total - m_words.of(keys))
        words_basis, n2 = Basis.INDEX, n_rest
    out = Keywords(query.strip(), n_matched, n_scope, len(m_read), len(b_read),
                   words_basis, every)
    out.words = _ranked(m_words, len(m_read), b_words, n2, limit, direction,
                        syllables.names.__getitem__)
    out.pairs = _ranked(m_pairs, len(m_read), b_pairs, len(b_read), limit, direction,
                        syllables.pair)
    shown = _written(db, (m_read if direction is Direction.OVER else b_read)[:WRITTEN],
                     {k.term for k in out.words + out.pairs})
    out.words, out.pairs = ([replace(k, written=shown.get(k.term, k.term)) for k in found]
                            for found in (out.words, out.pairs))
    return out


_WRITTEN = re.compile(r"[^\W_]+|[^\w\s]+|_+")


def _written(db: sqlite_utils.Database, ids: list[int], terms: set[str]) -> dict[str, str]:
    """How the articles `ids` most often write each of the folded `terms` (a word or a
    pair of syllables within a sentence)."""
    seen: dict[str, Counter] = {}
    folded: dict[str, str] = {}
    rows = db.execute(f"SELECT {_TEXT} FROM articles WHERE id IN "
                      "(SELECT value FROM json_each(?))", [json.dumps(ids)])
    for (text,) in rows:
        before, after = "", ""  # the word before, written and folded
        for token in _WRITTEN.findall(unicodedata.normalize("NFC", text)):
            if not token[0].isalnum() or token.lower() in WORDS:  # ends a pair, as counted
                before = after = ""
                continue
            plain = folded.get(token) or folded.setdefault(token, fold(token))
            if plain in terms:
                seen.setdefault(plain, Counter())[token] += 1
            if before and (pair := f"{after} {plain}") in terms:
                seen.setdefault(pair, Counter())[f"{before} {token}"] += 1
            before, after = token, plain
    return {term: forms.most_common(1)[0][0] for term, forms in seen.items()}


@dataclass(frozen=True)
class TermCounts:
    """Numbered terms (sorted) and in how many articles each is."""
    keys: np.ndarray
    counts: np.ndarray

    def minus(self, other: TermCounts) -> TermCounts:
        """These counts less `other`'s (a subset of the same articles)."""
        counts = self.counts - other.of(self.keys)
        kept = counts > 0
        return TermCounts(self.keys[kept], counts[kept])

    def of(self, keys: np.ndarray) -> np.ndarray:
        """The count of each of `keys` (0 for those not here)."""
        at = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        if not len(self.keys):
            return np.zeros(len(keys), np.int64)
        return np.where(self.keys[at] == keys, self.counts[at], 0)


def _read(db: sqlite_utils.Database, ids: list[int], deadline: float | None,
          syllables: _Syllables) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """The numbered words and pairs of each of the articles `ids`."""
    out = {}
    for i in range(0, len(ids), _CHUNK):
        if deadline and time.monotonic() > deadline:
            raise TooSlow("counting words took longer than the time allowed")
        rows = db.execute(f"SELECT id, {_TEXT} FROM articles WHERE id IN "
                          "(SELECT value FROM json_each(?))",
                          [json.dumps(ids[i:i + _CHUNK])])
        for article, text in rows:
            out[article] = syllables.read(text)
    return out


def _tally(articles: Iterable[tuple[np.ndarray, np.ndarray]], syllables: _Syllables
           ) -> tuple[TermCounts, TermCounts]:
    """In how many of `articles` each word (but those folding like a function word) and
    each two-syllable word is."""
    singles: list[np.ndarray] = [np.zeros(0, np.int64)]
    pairs: list[np.ndarray] = [np.zeros(0, np.int64)]
    for one, two in articles:
        singles.append(one)
        pairs.append(two)
    words = TermCounts(*np.unique(np.concatenate(singles), return_counts=True))
    stop = np.array([syllables.names[k] in FOLDED for k in words.keys.tolist()], dtype=bool)
    return (TermCounts(words.keys[~stop], words.counts[~stop]),
            TermCounts(*np.unique(np.concatenate(pairs), return_counts=True)))


# The counts of a scope's sample, kept for the next query in the same scope: reading it is
# most of a query's work. Keyed by the archive's file, the scope, the table of words read
# and the archive's state: its articles and the search index's structure record, which
# every change to an article's text rewrites.
_SCOPES: OrderedDict[tuple, tuple[frozenset[int], TermCounts, TermCounts]] = OrderedDict()
_SCOPES_KEPT = 4
_SCOPES_LOCK = threading.Lock()


def forget_scopes() -> None:
    """Drop the scopes' kept counts: the next query in any scope reads its sample again."""
    with _SCOPES_LOCK:
        _SCOPES.clear()


def _scope_sample(db: sqlite_utils.Database, scope: Filters, sql: str, params: dict,
                  n_scope: int, sample: int, deadline: float | None,
                  syllables: _Syllables) -> tuple[frozenset[int], TermCounts, TermCounts]:
    """(ids, word counts, pair counts) of the scope's sample, read or remembered."""
    state = db.execute("SELECT (SELECT max(id) FROM articles), (SELECT block FROM "
                       "articles_fts_data WHERE id = 10)").fetchone()
    where = db.execute("PRAGMA database_list").fetchone()[2]
    key = (where, tuple(vars(scope).items()), sample, syllables.serial, n_scope, state[0],
           hashlib.sha1(state[1] or b"").hexdigest())
    with _SCOPES_LOCK:
        if key in _SCOPES:
            _SCOPES.move_to_end(key)
            return _SCOPES[key]
    ids = _sample(db, sql, params, sample)
    found = (frozenset(ids), *_tally(_read(db, ids, deadline, syllables).values(),
                                     syllables))
    with _SCOPES_LOCK:
        _SCOPES[key] = found
        while len(_SCOPES) > _SCOPES_KEPT:
            _SCOPES.popitem(last=False)
    return found


def _indexed(db: sqlite_utils.Database, terms: list[str]) -> dict[str, int]:
    """In how many articles of the archive each folded word is, by the search index."""
    db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCAB} "
               "USING fts5vocab(main, 'articles_fts', 'row')")
    return dict(db.execute(f"SELECT term, doc FROM temp.{VOCAB} WHERE term IN "
                           "(SELECT value FROM json_each(?))", [json.dumps(terms)]))


def _ranked(matches: TermCounts, n1: int, baseline: TermCounts, n2: int, limit: int,
            direction: Direction, name: Callable[[int], str]) -> list[Keyword]:
    """The `limit` terms of `direction` with the highest G² (ties by name), in at least
    MIN_ARTICLES of the articles of the side they are common in, and SIGNIFICANT."""
    least = min(MIN_ARTICLES, n1)
    if direction is Direction.OVER:
        keys = matches.keys[matches.counts >= least]
    else:  # common in the baseline, rare in the matches
        keys = baseline.keys[baseline.counts >= least]
    a = matches.of(keys).astype(np.float64)
    b = np.maximum(baseline.of(keys), 0).astype(np.float64)
    scores, ratios = g2s(a, n1, b, n2), (a + 0.5) / (n1 + 0.5) / ((b + 0.5) / (n2 + 0.5))
    over = ratios >= 1 if direction is Direction.OVER else ratios < 1
    chosen = np.flatnonzero((scores >= SIGNIFICANT) & over)
    if len(chosen) > limit:  # the best `limit`, and any tied with the last of them
        last = np.sort(scores[chosen])[-limit]
        chosen = chosen[scores[chosen] >= last]
    out = [Keyword(name(int(keys[i])), float(scores[i]), int(a[i]), int(b[i]),
                   float(ratios[i])) for i in chosen]
    out.sort(key=lambda k: (-k.g2, k.term))
    return out[:limit]


def g2s(a: np.ndarray, n1: int, b: np.ndarray, n2: int) -> np.ndarray:
    """`g2` of each (a, b), at once."""
    total, having = n1 + n2, a + b
    out = np.zeros(len(a))
    if not total:
        return out
    for o, e in ((a, n1 * having), (n1 - a, n1 * (total - having)),
                 (b, n2 * having), (n2 - b, n2 * (total - having))):
        with np.errstate(divide="ignore", invalid="ignore"):
            out += np.where(o > 0, o * np.log(o * total / e), 0.0)
    return 2 * out
