"""What one ingestion run did: one FileResult per landing file, gathered in an IngestionReport."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

LOADED = "loaded"
FAILED = "failed"
SKIPPED = "skipped"  # this content (same source and hash) was loaded before
REFUSED = "refused"  # not a regular file inside the landing folder (e.g. a symbolic link): never opened
CONFLICT = "conflict"  # a file of this name was loaded with other content: recorded, not loaded
WAITING = "waiting"  # still being written (modified within the settle time): not read, next run
STATUSES = (LOADED, FAILED, SKIPPED, REFUSED, CONFLICT, WAITING)


@dataclass(frozen=True)
class FileResult:
    file_name: str
    file_hash: str | None
    source_name: str | None
    status: str  # one of STATUSES
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()  # choices made while loading that a reader should know about

    def summary(self) -> str:
        line = (
            f"{self.status:<8} {self.source_name or '-':<24} {self.file_name}"
            f"  read={self.rows_read} loaded={self.rows_loaded} quarantined={self.rows_quarantined}"
        )
        lines = [line]
        if self.error:
            lines.append(f"         error: {self.error}")
        lines.extend(f"         warning: {warning}" for warning in self.warnings)
        return "\n".join(lines)


@dataclass
class IngestionReport:
    files: list[FileResult] = field(default_factory=list)
    # source name -> when its newest file was loaded, this run or earlier (raw.load_manifest);
    # "load_manifest" -> the newest load attempt of any file
    latest_loaded_at: dict[str, datetime] = field(default_factory=dict)

    def with_status(self, status: str) -> list[FileResult]:
        return [result for result in self.files if result.status == status]

    @property
    def loaded(self) -> list[FileResult]:
        return self.with_status(LOADED)

    @property
    def failed(self) -> list[FileResult]:
        return self.with_status(FAILED)

    @property
    def skipped(self) -> list[FileResult]:
        return self.with_status(SKIPPED)

    @property
    def refused(self) -> list[FileResult]:
        return self.with_status(REFUSED)

    @property
    def conflicts(self) -> list[FileResult]:
        return self.with_status(CONFLICT)

    @property
    def waiting(self) -> list[FileResult]:
        return self.with_status(WAITING)

    @property
    def has_failures(self) -> bool:
        return bool(self.failed)

    def counts_by_source(self) -> dict[str, dict[str, int]]:
        """Per source: files loaded/failed/skipped/refused and rows read/loaded/quarantined.

        Files whose name matches no source are counted under ``"unknown"``.
        """
        counts: dict[str, dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(
                (*(f"files_{status}" for status in STATUSES), "rows_read", "rows_loaded", "rows_quarantined"),
                0,
            )
        )
        for result in self.files:
            entry = counts[result.source_name or "unknown"]
            entry[f"files_{result.status}"] += 1
            entry["rows_read"] += result.rows_read
            entry["rows_loaded"] += result.rows_loaded
            entry["rows_quarantined"] += result.rows_quarantined
        return dict(sorted(counts.items()))

    def rows_loaded_by_source(self) -> dict[str, int]:
        return {source: entry["rows_loaded"] for source, entry in self.counts_by_source().items()}

    def rows_quarantined_by_source(self) -> dict[str, int]:
        return {source: entry["rows_quarantined"] for source, entry in self.counts_by_source().items()}

    def summary(self) -> str:
        lines = [result.summary() for result in self.files]
        lines.append(
            f"{len(self.files)} files: {len(self.loaded)} loaded, {len(self.skipped)} skipped, "
            f"{len(self.failed)} failed, {len(self.refused)} refused, {len(self.conflicts)} conflicts, "
            f"{len(self.waiting)} waiting to settle; "
            f"rows loaded {sum(r.rows_loaded for r in self.files)}, "
            f"quarantined {sum(r.rows_quarantined for r in self.files)}"
        )
        return "\n".join(lines)
