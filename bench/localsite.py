"""A throwaway HTTP server on 127.0.0.1 for the benchmarks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietServer(ThreadingHTTPServer):
    """A threaded server that says nothing when a client hangs up early."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a crawler hanging up on a slow page is expected


def serve(respond: Callable[[str, str], bytes | None]) -> ThreadingHTTPServer:
    """Serve `respond(path, base_url)`: bytes are a 200 answer, None a 404."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            body = respond(self.path, f"http://127.0.0.1:{self.server.server_address[1]}")
            self.send_response(404 if body is None else 200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
