"""The title a reader writes down: the visible h1 read against the structured titles
(`extract/titles.py`), on small hand-made pages."""

from __future__ import annotations

import json

import pytest

from newsarchive.extract.core import extract
from tests.support.pages import PARAGRAPH

URL = "https://paper.example/world/2024/04/25/story.html"


def page(h1: str, *, og: str | None = None, ld: str | None = None, extra: str = "") -> str:
    meta = '<meta property="og:type" content="article">'
    meta += f'<meta property="og:title" content="{og}">' if og else ""
    if ld:
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": ld,
                "datePublished": "2024-04-25T14:07:00+02:00"}
        meta += f'<script type="application/ld+json">{json.dumps(data)}</script>'
    return (f"<html><head>{meta}</head><body>{extra}<article>{h1}"
            f"<div itemprop='articleBody'><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>"
            "</article></body></html>")


@pytest.mark.parametrize(("h1", "og", "ld", "want"), [
    # a kicker above the headline, inside the h1: the headline alone
    ("<h1><span>Premier League</span><span>Rückschlag im Titelkampf - Liverpool verliert"
     "</span></h1>", "Rückschlag im Titelkampf - Liverpool verliert", None,
     "Rückschlag im Titelkampf - Liverpool verliert"),
    # two inline halves whose separator only the stylesheet shows: the structured spelling
    ("<h1><span>Ausschuss zur Ahrtal-Flut</span><span>Zwei Rücktritte - und viele offene "
     "Fragen</span></h1>", "Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene "
     "Fragen", None, "Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene Fragen"),
    # ... and when only the second structured title spells them
    ("<h1><span>Nationale Demo</span>Der 9. Juli naht: OGBL und LCGB demonstrieren</h1>",
     "Nationale Demo / Der 9. Juli naht: OGBL und LCGB demonstrieren",
     "Der 9. Juli naht: OGBL und LCGB demonstrieren",
     "Nationale Demo / Der 9. Juli naht: OGBL und LCGB demonstrieren"),
    # each has its own kicker: the part of the h1 that ends the structured title
    ("<h1><span>Eskalation im Nahen Osten</span><span> - </span><span>«Die Zurückhaltung "
     "hat viel mit den USA zu tun»</span></h1>", "Iranischer Angriff: «Die Zurückhaltung "
     "hat viel mit den USA zu tun»", None, "«Die Zurückhaltung hat viel mit den USA zu tun»"),
    # a lead-in the h1 leaves out: the structured title
    ("<h1>Trump-Anwältin soll Justizministerin werden</h1>", None,
     "Nach Gaetz-Rückzug: Trump-Anwältin soll Justizministerin werden",
     "Nach Gaetz-Rückzug: Trump-Anwältin soll Justizministerin werden"),
    # the h1 plus a section after it in the structured title: the h1
    ("<h1>Beleidigen und beschuldigen: Skisprung-Zoff ums Material</h1>",
     "Beleidigen und beschuldigen: Skisprung-Zoff ums Material | Vierschanzentournee",
     None, "Beleidigen und beschuldigen: Skisprung-Zoff ums Material"),
    # a first structured title unlike the h1 stands (the h1 is a teaser's)
    ("<h1>Five key policies announced in the first speech of the government</h1>",
     None, "King's speech summary: Five policies in state opening",
     "King's speech summary: Five policies in state opening"),
])
def test_the_title_is_the_headline_readers_see(h1, og, ld, want):
    assert extract(page(h1, og=og, ld=ld), URL, layouts=False).title == want


def test_a_breadcrumbs_h1_is_no_headline():
    crumbs = ("<nav class='breadcrumb'><h1>Stromausfall Berlin: Ampeln, S-Bahnen – "
              "Wie sicher ist unser Stromnetz?</h1></nav>")
    html = page("<h2>Ampeln tot, S-Bahnen stoppen</h2>", extra=crumbs,
                ld="Ampeln tot, S-Bahnen stoppen: Wie sicher ist Deutschlands Stromnetz?")
    assert extract(html, URL, layouts=False).title == \
        "Ampeln tot, S-Bahnen stoppen: Wie sicher ist Deutschlands Stromnetz?"


def test_a_news_article_as_the_pages_main_entity_is_read():
    data = {"@context": "http://schema.org", "@type": "WebPage", "mainEntity": {
        "@type": "NewsArticle", "headline": "Warum Ambrosia zur Bedrohung wird",
        "datePublished": "2024-04-26T20:44:00+0200", "author": {"@type": "Person",
                                                                 "name": "Simone Jung"}}}
    html = (f"<html><head><script type='application/ld+json'>{json.dumps(data)}</script>"
            f"</head><body><h1>Warum Ambrosia zur Bedrohung wird</h1><article><p>{PARAGRAPH}"
            f"</p><p>{PARAGRAPH}</p></article></body></html>")
    art = extract(html, URL, layouts=False)
    assert art.published_at == "2024-04-27T01:44:00+07:00"
    assert art.provenance["published_at"] == "jsonld" and art.authors == ["Simone Jung"]
