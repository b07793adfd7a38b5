"""Running crawls on a schedule: systemd timer units, a crontab line, or a foreground
loop for containers. Runs never overlap: each crawl takes the archive's lock."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

UNIT = "newsarchive-crawl"


def parse_every(text: str) -> int:
    """`15m`, `1h`, `90s`, `2h30m` -> seconds."""
    parts = re.findall(r"(\d+)\s*([smhd])", text.strip().lower())
    if not parts or "".join(n + u for n, u in parts) != re.sub(r"\s", "", text.lower()):
        raise ValueError(f"not a duration: {text!r} (use e.g. 15m, 1h, 2h30m)")
    return sum(int(n) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[u] for n, u in parts)


def crawl_command(db: str, log_file: str | None = None,
                  extra: list[str] | None = None) -> list[str]:
    exe = shutil.which("newsarchive") or f"{sys.executable} -m newsarchive.cli"
    cmd = [*exe.split(), "crawl", "--all", "--db", str(Path(db).resolve()), "-q"]
    if log_file:
        cmd += ["--log-file", str(Path(log_file).resolve())]
    return cmd + (extra or [])


def cron_line(every: int, db: str, log_file: str | None = None) -> str:
    """A crontab line; cron counts in whole minutes (or hours)."""
    minutes = max(1, every // 60)
    when = f"*/{minutes} * * * *" if minutes < 60 else f"0 */{max(1, minutes // 60)} * * *"
    return f"{when} {' '.join(crawl_command(db, log_file))}"


def units(every: int, db: str, log_file: str | None = None) -> dict[str, str]:
    """The systemd service and timer."""
    workdir = Path(db).resolve().parent
    service = f"""[Unit]
Description=newsarchive: crawl the newspapers into {Path(db).resolve()}
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
WorkingDirectory={workdir}
ExecStart={' '.join(crawl_command(db, log_file))}
# exit 75: another crawl still holds the lock; not a failure
SuccessExitStatus=75
Nice=10
"""
    timer = f"""[Unit]
Description=newsarchive: crawl every {every} seconds

[Timer]
OnBootSec=2min
OnUnitInactiveSec={every}s
Persistent=true

[Install]
WantedBy=timers.target
"""
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def unit_dir(user: bool) -> Path:
    return Path.home() / ".config/systemd/user" if user else Path("/etc/systemd/system")


def systemctl(user: bool, *args: str) -> subprocess.CompletedProcess:
    if not shutil.which("systemctl"):
        raise RuntimeError("systemctl not found: use `newsarchive schedule cron` instead")
    return subprocess.run(["systemctl", *(["--user"] if user else []), *args],
                          capture_output=True, text=True)


def install(every: int, db: str, user: bool, folder: Path | None = None,
            enable: bool = True, log_file: str | None = None) -> list[Path]:
    folder = folder or unit_dir(user)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in units(every, db, log_file).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    if enable:
        for args in (("daemon-reload",), ("enable", "--now", f"{UNIT}.timer")):
            result = systemctl(user, *args)
            if result.returncode:
                raise RuntimeError(f"systemctl {' '.join(args)}: {result.stderr.strip()}")
    return written


def remove(user: bool, folder: Path | None = None, disable: bool = True) -> list[Path]:
    if disable:
        systemctl(user, "disable", "--now", f"{UNIT}.timer")
    removed = []
    for name in (f"{UNIT}.service", f"{UNIT}.timer"):
        path = (folder or unit_dir(user)) / name
        if path.exists():
            path.unlink()
            removed.append(path)
    if disable:
        systemctl(user, "daemon-reload")
    return removed


def loop(every: int, command: list[str], runs: int | None = None) -> None:
    """Run `command` every `every` seconds in the foreground (start to start)."""
    done = 0
    while runs is None or done < runs:
        started = time.monotonic()
        status = subprocess.call(command)
        print(f"newsarchive run: crawl exited {status}", file=sys.stderr, flush=True)
        done += 1
        if runs is not None and done >= runs:
            break
        time.sleep(max(0.0, every - (time.monotonic() - started)))
