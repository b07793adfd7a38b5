"""Vietnamese function words, left out of the words of coverage (`keywords.py`).

Written with their marks, one syllable each: conjunctions, prepositions, particles of
tense and degree, pronouns, classifiers and quantifiers that every article has whatever
its subject. Two uses:

- in two-syllable words the marks are read: `có` is left out, `cơ` is not, so
  `cơ quan` stays while `có thể` goes;
- a single word is a folded syllable, as the search index holds it (`cho` is `cho` and
  `chợ` alike), so the folded forms of these words (`FOLDED`) are not listed as words at
  all: `chợ`, `thi` (exam), `tội`, `mới` are lost as single words, and found in their
  pairs (`chợ đêm`, `kỳ thi`, `tội phạm`, `đổi mới`).

Left out of the list on purpose, though frequent: `đang` (folded, it is `Đảng`), `năm`
(folded, `Nam` of `Việt Nam`), `bà` and `ông` (`Bà Rịa`, names),
`người`, `ngày`, `tháng` (content enough to differ between subjects), `vậy` (`vay`),
`bao` (`bão`, a storm).
"""

from __future__ import annotations

from ..ground.fold import fold

LIST = """
và của các là có được trong cho với này đã sẽ không một những để khi từ theo tại về
đến thì mà nhưng hay hoặc cũng vẫn đều rất như trên dưới sau trước ra vào lên xuống bị
bởi do nên vì nếu nào gì ai đó kia ấy nay hơn nhất lại còn chỉ cùng tới qua ở rằng việc
sự cái chiếc nhiều mỗi mọi từng đây đấy ta tôi chúng họ mình thế nữa vừa cả hết chưa đâu
sao nhằm đối thêm
"""
WORDS = frozenset(LIST.split())

FOLDED = frozenset(fold(w) for w in WORDS)
