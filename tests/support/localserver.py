"""A web server on 127.0.0.1 in a thread, for the local test sites."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler

from bench.localsite import QuietServer


class LocalSite:
    """Serves `handler` on a free port of 127.0.0.1 while used as a context manager."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = QuietServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
