"""Places: the administrative units an article is about, before and after the 2025
reorganisation. Sits between extract and crawl: it reads an Article (ground) and the
paper's province (sites), and hands plain rows to the archive through crawl/ingest."""

from .gazetteer import Gazetteer, Unit, gazetteer
from .tagger import PLACES_VERSION, Tag, tag

__all__ = ["PLACES_VERSION", "Gazetteer", "Tag", "Unit", "gazetteer", "tag"]
