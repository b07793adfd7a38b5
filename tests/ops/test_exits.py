"""The exit statuses the library decides for a crawl: by signal, as shells give them,
and from the sites' run statuses."""

from __future__ import annotations

import pytest

from newsarchive.ground.outcomes import RunStatus
from newsarchive.ops.exits import Exit, of_crawl, of_signal


@pytest.mark.parametrize("name, status", [("SIGINT", Exit.SIGINT), ("SIGTERM", Exit.SIGTERM)])
def test_a_stopped_crawl_exits_as_a_shell_says(name, status):
    assert of_signal(name) == status == 128 + {"SIGINT": 2, "SIGTERM": 15}[name]


@pytest.mark.parametrize("statuses, status", [
    ([], Exit.FAILED),  # no site was crawled
    ([RunStatus.OK, RunStatus.DEGRADED, RunStatus.BUDGET], Exit.OK),
    ([RunStatus.OK, RunStatus.FAILED], Exit.FAILED),
    (["ok"], Exit.OK),  # as stored
])
def test_a_crawl_fails_when_a_site_failed_entirely_or_none_was_crawled(statuses, status):
    assert of_crawl(iter(statuses)) == status
