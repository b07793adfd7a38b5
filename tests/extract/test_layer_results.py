"""#25 item 4: each extraction layer writes only its own result; the dateline's byline
goes into the `dateline` layer from `read_layers`, not from the `visible` layer."""

from __future__ import annotations

import copy

from newsarchive.extract import core
from newsarchive.extract.decode import parse_html

PARAGRAPH = ("Ủy ban nhân dân tỉnh đã họp để bàn về việc sửa đường liên xã trước mùa mưa "
             "bão năm nay, với sự tham gia của nhiều sở ngành. ")
PAGE = f"""<html lang="vi"><body>
<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/xa-hoi">Xã hội</a></li></ul>
<h1>Sửa đường liên xã trước mùa mưa bão</h1>
<div class="meta"><span>15-01-2024 13:04</span> | <span>Quỳnh Vân</span></div>
<div class="detail-content"><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 3}</p></div>
</body></html>"""
URL = "https://baoxyz.vn/sua-duong-lien-xa-123.html"


def test_the_visible_layer_writes_nothing_into_the_others():
    doc = parse_html(PAGE)
    found = core.read_layers(doc, URL, None, True, [])
    assert found.layers["dateline"]["authors"] == ["Quỳnh Vân"]
    del found.layers["dateline"]["authors"]
    before = copy.deepcopy(found.layers)
    core._visible(doc, found.body_element, found.layers)
    assert found.layers == before


def test_the_dateline_byline_still_names_the_author():
    assert core.extract(PAGE, URL).authors == ["Quỳnh Vân"]
