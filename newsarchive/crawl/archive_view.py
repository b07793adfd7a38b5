"""What a spider may ask of the archive, and tell it: the one interface between crawling
and what is archived. `Archive` implements it on SQLite; a cluster worker, which never
opens the archive, implements it on the writer's Redis hash (`cluster.known`)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class ArchiveView(Protocol):
    def known(self, url: str) -> dict[str, Any] | None:
        """When the article under any variant of `url` was published and last seen
        (`published_at`, `last_seen`), or when the page was first and last found to be
        no article; None for a URL never archived."""

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the newest page of `url`, for a conditional GET."""

    def recent(self, site: str, since: str) -> list[tuple[str, str | None, str]]:
        """(url, published, last_seen) of the site's articles published (or first seen)
        since the stamp `since`, youngest first: the candidates for a revisit."""

    def touch(self, url: str, seen_at: str | None = None) -> None:
        """The article under `url` was seen again, unchanged (a 304 answer)."""

    def mark_gone(self, url: str, status: int, at: str) -> int | None:
        """The article under `url` answered `status` (404, 410) at `at`: the id of the
        article marked, or None when none is (known to be) stored under that URL."""

    def close(self) -> None:
        """Done asking."""
