"""Downloader middlewares: replay of captured responses, and Retry-After."""
