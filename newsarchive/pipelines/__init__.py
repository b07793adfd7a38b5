"""Item pipelines: normalise -> validate -> store. Thin: the work is in `extract` and
`archive`; these only connect them to Scrapy and count what happened, per site."""

from .normalise import NormalisePipeline
from .store import StorePipeline
from .validate import ValidatePipeline

__all__ = ["NormalisePipeline", "StorePipeline", "ValidatePipeline"]
