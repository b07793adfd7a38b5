"""Revisits of a captured page for tests: made in `bench.revisits` (bench stands on its
own, issue #25); this module only names them for the tests."""

from bench.revisits import VISITS, revisit, schedule

__all__ = ["VISITS", "revisit", "schedule"]
