"""A real Redis (Debian's `redis-server`) on 127.0.0.1 and a free port, for a benchmark
or a test (tests/support/redisrv.py makes it a fixture): with a password (`requirepass`,
in `url`), no persistence, stopped afterwards; and the cluster's shared key (`key`,
`env`, `signer()`), as a cluster is run."""

from __future__ import annotations

import secrets
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, folder) -> None:
        self.port = free_port()
        self.password = secrets.token_urlsafe(18)
        self.key = secrets.token_urlsafe(32)
        self.bare_url = f"redis://127.0.0.1:{self.port}/0"
        self.url = f"redis://:{self.password}@127.0.0.1:{self.port}/0"
        self.env = {"NEWSARCHIVE_CLUSTER_KEY": self.key}
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--requirepass", self.password,
             "--save", "", "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)

    def signer(self):
        from newsarchive.crawl.cluster.signing import Signer

        return Signer(self.key.encode())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
