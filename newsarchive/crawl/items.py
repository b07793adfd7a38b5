"""What the spider hands to the pipeline: one downloaded page and the paper it is from."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ground.page import Page


@dataclass
class Fetched:
    """A fetched page (`page.kind` says whether it is an article or a discovery page)
    of site `site`; `aliases` are the URLs that redirected to it; `truncated` when the
    body came shorter than announced."""

    page: Page
    site: str
    aliases: list[str] = field(default_factory=list)
    truncated: bool = False
