"""Per-site leases: one worker crawls a site at a time. A lease is `SET NX PX`, renewed
while the worker crawls and dropped when it finishes; a dead worker's lease expires."""

from __future__ import annotations

from . import key

# Renew or release only a lease we still hold (another worker may have taken it over).
RENEW = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
         "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end")
RELEASE = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
           "return redis.call('del', KEYS[1]) else return 0 end")


class Leases:
    """The leases one worker holds."""

    def __init__(self, client, worker: str, ttl_ms: int = 30_000):
        self.client, self.worker, self.ttl_ms = client, worker, ttl_ms
        self.held: list[str] = []
        self._renew = client.register_script(RENEW)
        self._release = client.register_script(RELEASE)

    def acquire(self, site: str) -> bool:
        if self.client.set(key("lease", site), self.worker, nx=True, px=self.ttl_ms):
            self.held.append(site)
            return True
        return False

    def renew(self) -> list[str]:
        """Extend every held lease; returns the sites whose lease was lost (dropped)."""
        lost = [s for s in self.held
                if not self._renew(keys=[key("lease", s)], args=[self.worker, self.ttl_ms])]
        self.held = [s for s in self.held if s not in lost]
        return lost

    def release(self, site: str) -> None:
        self._release(keys=[key("lease", site)], args=[self.worker])
        if site in self.held:
            self.held.remove(site)

    def holder(self, site: str) -> str | None:
        value = self.client.get(key("lease", site))
        return value.decode() if value else None
