"""What one ingestion run did: one FileResult per landing file, gathered in an IngestionReport."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

LOADED = "loaded"
FAILED = "failed"
SKIPPED = "skipped"  # this content (same hash) was loaded before


@dataclass(frozen=True)
class FileResult:
    file_name: str
    file_hash: str | None
    source_name: str | None
    status: str  # loaded | failed | skipped
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    error: str | None = None

    def summary(self) -> str:
        line = (
            f"{self.status:<8} {self.source_name or '-':<24} {self.file_name}"
            f"  read={self.rows_read} loaded={self.rows_loaded} quarantined={self.rows_quarantined}"
        )
        return f"{line}\n         error: {self.error}" if self.error else line


@dataclass
class IngestionReport:
    files: list[FileResult] = field(default_factory=list)

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
    def has_failures(self) -> bool:
        return bool(self.failed)

    def counts_by_source(self) -> dict[str, dict[str, int]]:
        """Per source: files loaded/failed/skipped and rows read/loaded/quarantined.

        Files whose name matches no source are counted under ``"unknown"``.
        """
        counts: dict[str, dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(
                ("files_loaded", "files_failed", "files_skipped", "rows_read", "rows_loaded", "rows_quarantined"),
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
            f"{len(self.failed)} failed; rows loaded {sum(r.rows_loaded for r in self.files)}, "
            f"quarantined {sum(r.rows_quarantined for r in self.files)}"
        )
        return "\n".join(lines)
