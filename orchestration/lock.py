"""One writer per warehouse: the pipeline lock every entry point takes before writing.

DuckDB refuses a second writing process with an error deep in a stack trace. Instead, the CLI
run (`make demo`), every writing Dagster step and the benchmark take this lock first: a second
writer waits up to TW_LOCK_WAIT_SECONDS (default 0: do not wait) and then stops with one line
naming the holder. The lock is an flock on ``<warehouse>.lock``; the kernel releases it when
the holding process ends, however it ends (kill -9 included), so a crash never leaves it stale.
Within one process the lock is re-entrant (a CLI run executes the Dagster steps in process).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from orchestration import settings

POLL_SECONDS = 0.5

_held: dict[Path, tuple[int, int]] = {}  # lock path -> (file descriptor, nesting depth) in this process


class PipelineBusy(RuntimeError):
    """Another process holds the pipeline lock and did not release it in time."""


def lock_path(warehouse: Path | None = None) -> Path:
    warehouse = Path(warehouse or settings.warehouse_path())
    return warehouse.with_name(warehouse.name + ".lock")


def wait_seconds() -> float:
    """TW_LOCK_WAIT_SECONDS: how long a second writer waits for the lock (default 0)."""
    value = os.environ.get("TW_LOCK_WAIT_SECONDS", "0")
    try:
        return max(0.0, float(value))
    except ValueError as error:
        raise ValueError(f"TW_LOCK_WAIT_SECONDS={value!r} is not a number of seconds") from error


def holder_description(path: Path) -> str:
    """Who holds the lock, as its holder wrote it: entry point, pid, host, since when."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "an unknown process"
    where = f"pid {info.get('pid', '?')} on {info.get('host', '?')}, since {info.get('since', '?')}"
    return f"{info.get('entry_point', '?')} ({where})"


@contextmanager
def pipeline_lock(entry_point: str, warehouse: Path | None = None, wait: float | None = None) -> Iterator[Path]:
    """Hold the pipeline lock of the warehouse for the block; raise PipelineBusy with one line if taken."""
    path = lock_path(warehouse)
    if path in _held:  # re-entrant within the process
        descriptor, depth = _held[path]
        _held[path] = (descriptor, depth + 1)
        try:
            yield path
        finally:
            _release(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    wait = wait_seconds() if wait is None else wait
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(descriptor)
                raise PipelineBusy(
                    f"{entry_point}: the warehouse {path.with_suffix('')} is being written by "
                    f"{holder_description(path)}; waited {wait:g} s (TW_LOCK_WAIT_SECONDS). Try again later."
                ) from None
            time.sleep(POLL_SECONDS)
    info = {
        "entry_point": entry_point,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, json.dumps(info).encode(), 0)
    _held[path] = (descriptor, 1)
    try:
        yield path
    finally:
        _release(path)


def _release(path: Path) -> None:
    descriptor, depth = _held[path]
    if depth > 1:
        _held[path] = (descriptor, depth - 1)
        return
    del _held[path]
    os.ftruncate(descriptor, 0)
    fcntl.flock(descriptor, fcntl.LOCK_UN)
    os.close(descriptor)


@contextmanager
def dagster_step_lock(step: str) -> Iterator[Path]:
    """The pipeline lock for a writing Dagster step; when taken, the step fails with one line."""
    import dagster as dg

    try:
        with pipeline_lock(f"Dagster step {step}") as path:
            yield path
    except PipelineBusy as busy:
        raise dg.Failure(description=str(busy), allow_retries=True) from None


def current_holder(warehouse: Path | None = None) -> str | None:
    """Who holds the pipeline lock now (another process on this host), or None when it is free.

    Read from the lock file without locking it, so asking never gets in a writer's way: the
    holder's record is there while it holds the lock and truncated on release; a record left
    by a process that died (kill -9) names a pid that no longer runs.
    """
    path = lock_path(warehouse)
    if path in _held:
        return None
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return None
    if not info or info.get("host") != socket.gethostname():
        return holder_description(path) if info else None
    try:
        pid = int(info.get("pid", 0))
        if pid <= 0:
            return None
        os.kill(pid, 0)
    except (ProcessLookupError, ValueError, TypeError):
        return None
    except PermissionError:
        pass
    return holder_description(path)
