"""The item pipeline: one step, `ArchivePipeline`, hands each fetched page to the one
ingest path (`crawl/ingest.py`) and counts what happened, per site."""

from .archive import ArchivePipeline

__all__ = ["ArchivePipeline"]
