"""Layout-drift alarm: when a newspaper redesigns its site, our layout stops matching
and articles come out without title, date or body, or fall back to the generic
extractor. Compared with the site's own recent runs, a jump marks the run degraded."""

from __future__ import annotations

from statistics import fmean

MIN_ARTICLES = 5      # fewer fetched articles say nothing either way
MIN_SHARE = 0.5       # at least half the articles incomplete or from the fallback...
MIN_JUMP = 0.3        # ...and 30 points worse than the site's recent average


def bad_share(run: dict) -> float | None:
    """Share of the run's extracted article pages that were incomplete (or not
    recognised as articles) or needed the generic fallback."""
    extracted = run.get("extracted", 0)
    if extracted < MIN_ARTICLES:
        return None
    return min(1.0, (run.get("missing", 0) + run.get("fallback", 0)) / extracted)


def alarm(current: dict, history: list[dict]) -> str | None:
    """A sentence describing the drift, or None. `history` is the site's earlier runs."""
    now = bad_share(current)
    if now is None or now < MIN_SHARE:
        return None
    before = [s for s in (bad_share(r) for r in history) if s is not None]
    baseline = fmean(before) if before else 0.0
    if now - baseline < MIN_JUMP:
        return None
    return (f"{now:.0%} of articles incomplete or from the generic fallback "
            f"(recent runs: {baseline:.0%}); the site's layout has probably changed")
