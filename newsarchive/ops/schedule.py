"""Running crawls on a schedule: systemd timer units, a crontab line, or a foreground
loop for containers. Runs never overlap: each crawl takes the archive's lock."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .exits import BRIEF, Exit

UNIT = "newsarchive-crawl"


UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
HOW = "type a duration with its unit, e.g. 15m, 1h, 2h30m or 1d"


class BadSchedule(ValueError):
    """A duration or a schedule that cannot mean what the user asked."""


def parse_every(text: str) -> int:
    """`15m`, `1h`, `90s`, `2h30m`, `1d` -> seconds; 0, bare numbers and junk refused."""
    compact = re.sub(r"\s", "", str(text).lower())
    parts = re.findall(r"(\d+)([smhd])", compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        hint = (" (a bare number has no unit)" if re.fullmatch(r"\d+", compact) else
                " (it must be positive)" if compact.startswith("-") else "")
        raise BadSchedule(f"not a duration: {text!r}{hint}; {HOW}")
    seconds = sum(int(n) * UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise BadSchedule(f"the interval must be longer than 0: {text!r}; {HOW}")
    return seconds


def describe(every: int) -> str:
    """900 -> `15m`, 9000 -> `2h30m`: the inverse of parse_every."""
    out, rest = "", every
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size:
            out += f"{rest // size}{unit}"
            rest %= size
    return out or "0s"


def cron_schedule(every: int) -> str:
    """The cron time fields that run exactly every `every` seconds, or BadSchedule.

    Cron counts minutes within the hour and hours within the day, so only intervals of
    whole minutes dividing 60, whole hours dividing 24, or one day repeat evenly."""
    if every % 60 == 0 and 60 % (every // 60) == 0 and every < 3600:
        minutes = every // 60
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    if every % 3600 == 0 and 24 % (every // 3600) == 0 and every < 86400:
        hours = every // 3600
        return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    if every == 86400:
        return "0 0 * * *"
    raise BadSchedule(
        f"cron cannot run exactly every {describe(every)} (only minutes dividing 60, hours "
        "dividing 24, or 1d); use `newsarchive schedule install --every "
        f"{describe(every)}` (systemd timers take any interval) or `newsarchive run "
        f"--every {describe(every)}`")


def crawl_command(db: str, log_file: str | None = None,
                  extra: list[str] | None = None) -> list[str]:
    exe = shutil.which("newsarchive") or f"{sys.executable} -m newsarchive.cli"
    cmd = [*exe.split(), "crawl", "--all", "--db", str(Path(db).resolve()), "-q"]
    if log_file:
        cmd += ["--log-file", str(Path(log_file).resolve())]
    return cmd + (extra or [])


def cron_line(every: int, db: str, log_file: str | None = None) -> str:
    """A crontab line that runs exactly every `every` seconds (or BadSchedule). The
    summary table (stdout) is dropped, `newsarchive status` shows it: cron mails only
    what goes to stderr, the real errors."""
    return f"{cron_schedule(every)} {' '.join(crawl_command(db, log_file))} >/dev/null"


def units(every: int, db: str, log_file: str | None = None) -> dict[str, str]:
    """The systemd service and timer: a crawl starts every `every` seconds (start to
    start), and one still running after `max_runtime(every)` is stopped, freeing the
    lock for the next."""
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
# A hung crawl is stopped rather than holding the archive's lock forever (a oneshot
# service's run is its start, hence TimeoutStartSec; RuntimeMaxSec for the record)
TimeoutStartSec={max_runtime(every)}
RuntimeMaxSec={max_runtime(every)}
Nice=10
"""
    timer = f"""[Unit]
Description=newsarchive: crawl every {describe(every)}

[Timer]
OnBootSec=2min
OnUnitActiveSec={every}s
AccuracySec=1s
Persistent=true

[Install]
WantedBy=timers.target
"""
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def max_runtime(every: int) -> int:
    """Seconds a scheduled crawl may run: a few intervals, at least an hour, at most 6 h
    (a crawl of every site takes minutes; one that runs for hours is stuck)."""
    return min(6 * 3600, max(3600, 3 * every))


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
        try:
            for args in (("daemon-reload",), ("enable", "--now", f"{UNIT}.timer")):
                result = systemctl(user, *args)
                if result.returncode:
                    raise RuntimeError(
                        f"systemctl {' '.join(args)}: {result.stderr.strip()}; the units "
                        "were removed: without systemd, use `newsarchive schedule cron` or "
                        "`newsarchive run --every`")
        except RuntimeError:
            for path in written:
                path.unlink(missing_ok=True)
            raise
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


def loop(every: int, command: list[str], runs: int | None = None) -> int:
    """Run `command` every `every` seconds in the foreground (start to start). The crawl
    prints its own calm summary; after each run one line says how it ended and when the
    next run starts. Ctrl-C stops the loop with one line. Returns the last run's exit
    status (130 when stopped by Ctrl-C), for `run` to exit with."""
    done, status = 0, 0
    try:
        while runs is None or done < runs:
            started = time.monotonic()
            status = subprocess.call(command)
            done += 1
            last = runs is not None and done >= runs
            wait = max(0.0, every - (time.monotonic() - started))
            print(after_run(done, status, None if last else wait), file=sys.stderr,
                  flush=True)
            if last:
                break
            time.sleep(wait)
    except KeyboardInterrupt:
        print(f"newsarchive run: stopped after {done} run(s)", file=sys.stderr, flush=True)
        return Exit.SIGINT
    return status


def after_run(number: int, status: int, wait: float | None) -> str:
    """`newsarchive run: crawl 3 exited 1 (a site failed...); next run at 09:15:00Z
    (in 15m)`; without `wait`, the last run."""
    line = (f"newsarchive run: crawl {number} exited {status} "
            f"({BRIEF.get(status, 'see the log')})")
    if wait is None:
        return line + "; that was the last run"
    at = datetime.now(UTC) + timedelta(seconds=wait)
    return line + (f"; next run at {at:%Y-%m-%dT%H:%M:%SZ} (in "
                   f"{describe(round(wait)) if wait >= 1 else 'a moment'})")
