"""The export of a scope (`/export.csv`, `/export.jsonl`) and its Frictionless
descriptor (`/export/datapackage.json`) with Datasette's own client."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from newsarchive.archive import Archive
from newsarchive.publish.datapackage import NAMES
from tests.support.datasette import get, published
from tests.support.fixtures import registry
from tests.support.records import dien_chau


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    db = tmp_path_factory.mktemp("export") / "archive.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    archive.articles.store_many(_article(i) for i in range(2500))  # 3 chunks of the stream
    archive.close()
    return published(db)


def _article(i: int):
    site = "baolaocai" if i % 5 == 0 else "baonghean"
    return dien_chau(
        url=f"https://{site}.vn/bai-{i}-post{1000 + i}.html", site=site,
        title=f"Giá vàng {i}" if i % 2 else f"Bóng đá {i}", sapo="", source=None,
        body_text="Thị trường, \"báo\" nói,\nđoạn hai.", tags=["vàng"] if i % 2 else [],
        published_at=f"{2024 + i % 2}-0{1 + i % 9}-10T09:00:00+07:00")


def test_a_scope_as_csv_every_article_in_order(ds):
    response = get(ds, "/export.csv?q=gia+vang&site=baonghean&since=2025-01-01")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    gold_here = [i for i in range(2500) if i % 2 and i % 5]  # odd: gold, in 2025
    assert [int(r["id"]) for r in rows] == [i + 1 for i in gold_here]  # ids from 1
    assert tuple(rows[0]) == NAMES
    assert rows[0]["body_text"] == "Thị trường, \"báo\" nói,\nđoạn hai."
    assert rows[0]["paper"] == "Báo Nghệ An" and rows[0]["province"] == "Nghệ An"


def test_a_scope_as_json_lines(ds):
    response = get(ds, "/export.jsonl?province=" + quote("Lào Cai") + "&year=2024")
    assert response.status_code == 200
    records = [json.loads(line) for line in response.text.splitlines()]
    assert len(records) == 250  # i % 5 == 0 and even
    assert {r["site"] for r in records} == {"baolaocai"}
    assert records[0]["tags"] == [] and records[0]["authors"] == ["Mai Giang"]


def test_an_empty_scope_is_a_header_only(ds):
    response = get(ds, "/export.csv?q=khong+co+gi")
    assert response.status_code == 200 and response.text.strip() == ",".join(NAMES)
    assert get(ds, "/export.jsonl?site=baonghean&since=2030-01-01").text == ""


def test_the_datapackage_describes_every_field_and_the_scope(ds):
    response = get(ds, "/export/datapackage.json?q=gia+vang&province=" + quote("Nghệ An"))
    assert response.status_code == 200
    package = response.json()
    assert package["newsarchive"]["query"] == "gia vang"
    assert package["newsarchive"]["filters"] == {"province": "Nghệ An"}
    assert package["newsarchive"]["schema_version"] >= 11 and package["created"]
    csv_resource, jsonl = package["resources"]
    fields = csv_resource["schema"]["fields"]
    assert [f["name"] for f in fields] == list(NAMES)
    assert all(f["description"] and f["type"] for f in fields)
    path = urlsplit(csv_resource["path"])
    assert path.path == "/export.csv" and jsonl["path"].split("?")[0].endswith("/export.jsonl")
    assert parse_qs(path.query) == {"q": ["gia vang"], "province": ["Nghệ An"]}
    rows = list(csv.DictReader(io.StringIO(get(ds, f"{path.path}?{path.query}").text)))
    assert len(rows) == 1000  # odd and not a multiple of 5: Nghệ An's gold


@pytest.mark.parametrize("query, message", [
    ("since=2025-02-30", "since"), ("site=nosuch", "no paper"), ("q=-only", "nothing"),
    ("until=" + quote("٢٠٢٥-01-01"), "until"), ("place=" + quote("<x>"), "place"),
])
def test_bad_scopes_are_400s(ds, query, message):
    for path in ("/export.csv", "/export.jsonl", "/export/datapackage.json"):
        response = get(ds, f"{path}?{query}")
        if path.endswith("datapackage.json") and message == "nothing":
            continue  # the descriptor runs no search
        assert response.status_code == 400, (path, response.text[:200])
        assert message in response.text
