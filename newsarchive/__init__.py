"""newsarchive: a scraper and archiver for Vietnam's provincial press."""

__version__ = "0.1.0"
