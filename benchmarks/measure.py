"""Run one command as a child process and measure its wall time, CPU time and peak memory.

``os.wait4`` returns the resource usage of exactly that child (including the children it
waited for), so each stage's peak resident memory belongs to that stage alone, without psutil.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measurement:
    returncode: int
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    output: str  # stdout and stderr of the command, interleaved


def measure(
    command: list[str], log_path: Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Measurement:
    """Run ``command`` to completion, writing its output to ``log_path``, and measure it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    return Measurement(
        returncode=process.returncode,
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mib=usage.ru_maxrss / 1024,  # Linux reports KiB
        output=log_path.read_text(errors="replace"),
    )
