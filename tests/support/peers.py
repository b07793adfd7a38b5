"""The peer pages for tests: loading and scoring live in `bench.peerpages` (bench stands
on its own, issue #25); this module only names them for the tests."""

from bench.peerpages import (
    BODY_F1_RIGHT,
    FIELDS,
    PeerPage,
    expected_body,
    peer_pages,
    peer_pages_dir,
    real_peer_pages,
    score,
    token_f1,
)

__all__ = ["BODY_F1_RIGHT", "FIELDS", "PeerPage", "expected_body", "peer_pages",
           "peer_pages_dir", "real_peer_pages", "score", "token_f1"]
