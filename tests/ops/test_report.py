"""Runs as `status --json` gives them: stored JSON text given as JSON."""

from __future__ import annotations

import json

from newsarchive.ops.report import as_json


def test_status_json_gives_errors_and_examples_as_json_and_splits_failures():
    stored = {"site": "baonghean", "status": "degraded", "failed": 7,
              "errors": json.dumps({"discovery-dns": 2, "http-404": 5}),
              "examples": json.dumps(["https://baonghean.vn/a-1.html"])}
    shown = as_json([stored, {**stored, "site": "baohatinh", "failed": 0, "errors": None,
                              "examples": ""}])
    assert shown[0] == {"site": "baonghean", "status": "degraded", "failed": 7,
                        "errors": {"discovery-dns": 2, "http-404": 5},
                        "examples": ["https://baonghean.vn/a-1.html"],
                        "failed_discovery": 2, "failed_articles": 5}
    assert list(shown[0])[:5] == ["site", "status", "failed", "errors", "examples"]
    assert (shown[1]["errors"], shown[1]["examples"]) == ({}, [])
    assert stored["errors"].startswith("{")  # the rows read are left as they were
