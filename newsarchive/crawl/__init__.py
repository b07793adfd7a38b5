"""The Scrapy project: one spider for every paper (`spiders/`), the pipeline into the
archive (`pipelines/`), downloader middlewares, extensions (progress, run bookkeeping,
drift alarm), settings; `run` starts a crawl, `ingest` is the one path from a fetched
page to the archive, `reparse` runs it again over stored pages."""
