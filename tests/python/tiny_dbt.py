"""`dbt build` of a throwaway project with the project's profile (profiles.yml): for tests that
need a few models of their own, not the warehouse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from orchestration import settings


def build_tiny_project(project: Path, workdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Builds `project` on one thread; target/ and logs/ go under `workdir`."""
    dbt = Path(sys.executable).with_name("dbt")
    return subprocess.run(
        [str(dbt), "build", "--project-dir", str(project), "--profiles-dir", str(settings.PROJECT_DIR)]
        + ["--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs"), "--threads", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
