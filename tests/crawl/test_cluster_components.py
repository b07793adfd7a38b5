"""Why the cluster adapts scrapy-redis 0.9.1 under Scrapy 2.19 (no Redis needed here)."""

from __future__ import annotations

import warnings

import pytest
from scrapy import Request
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.utils.deprecate import argument_is_required
from scrapy.utils.request import request_from_dict
from scrapy_redis.pipelines import RedisPipeline
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from newsarchive.crawl.cluster.components import ItemsPipeline, Scheduler, to_message
from newsarchive.crawl.cluster.messages import PageItem
from newsarchive.crawl.ingest import read
from newsarchive.crawl.items import Fetched
from newsarchive.ground.page import Page
from newsarchive.sites import Registry, Site
from tests.support.clustersites import Paper


class Stats:
    def __init__(self) -> None:
        self.values: dict = {}

    def inc_value(self, key, count=1, start=0, spider=None):
        if spider is not None:  # as Scrapy 2.19's StatsCollector does
            warnings.warn("Passing a 'spider' argument to StatsCollector.inc_value() is "
                          "deprecated", ScrapyDeprecationWarning, stacklevel=2)
        self.values[key] = self.values.get(key, start) + count


class Seen:
    def request_seen(self, request):
        return False


class Queue(list):
    def push(self, request):
        self.append(request)

    def pop(self, timeout=0):
        return super().pop() if self else None


def scheduler(cls):
    s = cls(server=None, dupefilter=Seen())
    s.queue, s.stats, s.spider = Queue(), Stats(), object()
    return s


def test_scrapy_redis_scheduler_passes_the_spider_scrapy_2_19_deprecates():
    original = scheduler(RedisScheduler)
    with pytest.warns(ScrapyDeprecationWarning):
        original.enqueue_request(Request("http://127.0.0.1/a"))
    ours = scheduler(Scheduler)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ours.enqueue_request(Request("http://127.0.0.1/a"))
        assert ours.next_request().url == "http://127.0.0.1/a"
    assert ours.stats.values == {"scheduler/enqueued/redis": 1, "scheduler/dequeued/redis": 1}


def test_scrapy_redis_pipeline_wants_the_spider_argument_ours_does_not():
    # Scrapy 2.19 warns for a process_item that requires `spider` (and will stop passing it)
    assert argument_is_required(RedisPipeline.process_item, "spider")
    assert not argument_is_required(ItemsPipeline.process_item, "spider")


def test_an_item_carries_the_page_and_the_extracted_article_as_json():
    import json

    paper = Paper(0, 1, 0.0, [])
    paper.server.server_close()
    site = Site(**{k: v for k, v in paper.entry().items() if k != "listings"})
    page = Page(url=f"{paper.base}/bai-1.html", body=paper.article(1),
                headers={"content-type": "text/html; charset=utf-8"},
                fetched_at="2026-12-01T00:00:00Z")
    reading = read(page, site)
    message = json.loads(json.dumps(to_message(Fetched(page, "site0"), reading, "w1")))
    assert "places" not in message["reading"]  # the writer tags them itself
    item = PageItem.parse(message, Registry([site]))
    assert item.page == page and item.site == site and item.worker == "w1"
    assert item.reading.article == reading.article
    assert item.reading.missing == reading.missing


def test_cluster_status_says_in_one_line_that_redis_is_unreachable():
    from click.testing import CliRunner

    from newsarchive.cli import main
    from tests.support.redisrv import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    result = CliRunner().invoke(main, ["cluster", "status", "--cluster", url])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "unreachable" in result.output and "Traceback" not in result.output


# Nothing that comes through Redis is decoded before its signature is checked.

def signer():
    from newsarchive.crawl.cluster.signing import Signer

    return Signer(b"k" * 44)


def test_requests_travel_as_signed_json_bytes_and_all():
    import json

    from newsarchive.crawl.cluster.serializer import RequestSerializer

    codec = RequestSerializer(signer())
    request = Request("http://127.0.0.1/a", method="POST", body=b"\xff\x00body",
                      headers={"If-None-Match": '"x"'}, meta={"site": "s", "page": 2},
                      priority=3)
    raw = codec.dumps(request.to_dict())
    assert raw.startswith(b"na1.") and b"pickle" not in raw
    json.loads(raw.split(b".", 2)[2])  # plain JSON after the signature
    back = request_from_dict(codec.loads(raw))
    assert (back.url, back.method, back.body, back.meta, back.priority) == \
        (request.url, "POST", b"\xff\x00body", {"site": "s", "page": 2}, 3)
    assert back.headers.getlist("If-None-Match") == [b'"x"']


def test_an_unsigned_or_forged_message_is_refused_before_it_is_decoded():
    import pickle

    from newsarchive.crawl.cluster.messages import Flaw, Rejected
    from newsarchive.crawl.cluster.signing import Signer

    raw = signer().seal({"kind": "run", "worker": "w1"})
    assert signer().open(raw) == {"kind": "run", "worker": "w1"}
    other = Signer(b"o" * 44).seal({"kind": "run", "worker": "mallory"})
    tampered = raw.replace(b"w1", b"w2")
    for message, reason, who in [(pickle.dumps({"worker": "x"}), Flaw.UNSIGNED, "?"),
                                 (b'{"kind": "run", "worker": "eve"}', Flaw.UNSIGNED, "eve"),
                                 (other, Flaw.BAD_SIGNATURE, "mallory"),
                                 (tampered, Flaw.BAD_SIGNATURE, "w2"),
                                 (raw[:-1], Flaw.BAD_SIGNATURE, "w1")]:
        with pytest.raises(Rejected) as refused:
            signer().open(message)
        assert (refused.value.reason, refused.value.worker) == (reason, who)


def test_the_scheduler_queue_never_takes_pickle():
    from scrapy_redis import picklecompat

    from newsarchive.crawl.cluster.components import SiteQueue
    from newsarchive.crawl.cluster.serializer import RequestSerializer

    for serializer in (None, picklecompat):
        with pytest.raises(TypeError, match="signed JSON"):
            SiteQueue(server=None, spider=None, key="k", serializer=serializer)
    SiteQueue(server=None, spider=type("S", (), {"name": "news"})(), key="k",
              serializer=RequestSerializer(signer()))


def test_a_key_is_required_and_its_lack_says_how_to_make_one(tmp_path, monkeypatch):
    from newsarchive.crawl.cluster.signing import KeyMissing, load_key

    monkeypatch.delenv("NEWSARCHIVE_CLUSTER_KEY", raising=False)
    for path, said in [(None, "head -c 32 /dev/urandom | base64 > cluster.key"),
                       (str(tmp_path / "none.key"), "cannot read the cluster key")]:
        with pytest.raises(KeyMissing, match=said.replace("|", r"\|")):
            load_key(path)
    (tmp_path / "short.key").write_text("abc\n")
    with pytest.raises(KeyMissing, match="too short"):
        load_key(str(tmp_path / "short.key"))
    (tmp_path / "cluster.key").write_text("x" * 44 + "\n")
    sealed = load_key(str(tmp_path / "cluster.key")).seal({"a": 1})
    monkeypatch.setenv("NEWSARCHIVE_CLUSTER_KEY", "x" * 44)
    assert load_key(None).open(sealed) == {"a": 1}  # the file's text is the key
    assert "x" * 44 not in repr(load_key(None))


def test_a_redis_password_is_never_shown():
    from newsarchive.crawl.cluster import shown

    assert shown("redis://:s3cret@10.0.0.5:6379/0") == "redis://:***@10.0.0.5:6379/0"
    assert shown("redis://crawler:s3cret@redis/1") == "redis://crawler:***@redis/1"
    assert shown("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_a_worker_ignores_known_articles_the_writer_did_not_sign():
    from newsarchive.crawl.cluster import known
    from newsarchive.crawl.cluster.signing import Signer

    class Client(dict):  # the few hash commands KnownArticles uses
        def hset(self, name, mapping):
            self.setdefault(name, {}).update(mapping)

        def hget(self, name, field):
            return self.get(name, {}).get(field)

        def hvals(self, name):
            return list(self.get(name, {}).values())

        def hincrby(self, name, field, n):
            self.setdefault(name, {})[field] = self.get(name, {}).get(field, 0) + n

    paper = Paper(0, 1, 0.0, [])
    paper.server.server_close()
    site = Site(**{k: v for k, v in paper.entry().items() if k != "listings"})
    client, url = Client(), f"{paper.base}/bai-1.html"
    known.record(client, signer(), "site0", ["a"], url, None, "2026-12-01T00:00:00Z")
    known.record(client, Signer(b"m" * 44), "site0", ["b"], url, None, "2026-12-01T00:00:00Z")
    client["newsarchive:known:site0"]["c"] = b'{"url": "x"}'
    articles = known.KnownArticles(client, Registry([site]), signer(), "w1")
    assert [u for u, *_ in articles.recent("site0", "2026-01-01T00:00:00Z")] == [url]
    assert client["newsarchive:refused"] == {"bad-signature": 1, "unsigned": 1}


def test_a_run_report_takes_the_crawls_reasons_and_bounded_counts_only():
    from newsarchive.crawl.cluster.messages import Flaw, Rejected, RunReport

    paper = Paper(0, 1, 0.0, [])
    paper.server.server_close()
    registry = Registry([Site(**{k: v for k, v in paper.entry().items() if k != "listings"})])
    report = {"kind": "run", "site": "site0", "worker": "w1",
              "started_at": "2026-12-01T00:00:00Z", "counts": {"new": 3, "failed": 2},
              "errors": {"http-404": 1, "missing title+body": 1}, "interrupted": False}
    assert RunReport.parse(report, registry).message() == report
    del report["interrupted"]  # a worker of an earlier version: a finished round
    assert RunReport.parse(report, registry).interrupted is False
    assert RunReport.parse({**report, "interrupted": True}, registry).interrupted is True
    for change, reason in [({"site": "<i>site0</i>"}, Flaw.UNKNOWN_SITE),
                           ({"counts": {"new": True}}, Flaw.MALFORMED),
                           ({"counts": {"new": 10**13}}, Flaw.MALFORMED),
                           ({"counts": {"alarm": 1}}, Flaw.MALFORMED),
                           ({"errors": {"<script>": 1}}, Flaw.MALFORMED),
                           ({"status": "ok"}, Flaw.MALFORMED),
                           ({"started_at": "yesterday"}, Flaw.MALFORMED),
                           ({"interrupted": "yes"}, Flaw.MALFORMED),
                           ({"worker": "w\x1b[2J"}, Flaw.MALFORMED)]:
        with pytest.raises(Rejected) as refused:
            RunReport.parse({**report, **change}, registry)
        assert refused.value.reason == reason, change
