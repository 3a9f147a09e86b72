"""Landing files: which files to ingest, their content hash, their format and how to open them."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

CSV = "csv"
JSON_LINES = "jsonl"
PARQUET = "parquet"

FORMATS_BY_EXTENSION = {
    ".csv": CSV,
    ".jsonl": JSON_LINES,
    ".ndjson": JSON_LINES,
    ".json": JSON_LINES,
    ".parquet": PARQUET,
}
GZIP_EXTENSION = ".gz"


class UnreadableFile(Exception):
    """The file as a whole cannot be read: it is recorded as failed and none of its rows load."""


def discover_landing_files(landing_dir: Path) -> list[Path]:
    """Files directly in the landing folder, in file-name order.

    Hidden files (``.name``) are skipped: upload tools use them for files still being written.
    Sub-folders are not searched.
    """
    return sorted(
        (path for path in landing_dir.iterdir() if path.is_file() and not path.name.startswith(".")),
        key=lambda path: path.name,
    )


def file_sha256(path: Path) -> str:
    """sha256 of the file's bytes, as hex: the identity of a landing file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_gzipped(path: Path) -> bool:
    return path.name.lower().endswith(GZIP_EXTENSION)


def file_format(path: Path) -> str | None:
    """csv, jsonl or parquet from the extension (before an optional .gz); None if unsupported."""
    name = path.name.lower()
    if name.endswith(GZIP_EXTENSION):
        name = name[: -len(GZIP_EXTENSION)]
    return FORMATS_BY_EXTENSION.get(Path(name).suffix)


def open_text(path: Path) -> IO[str]:
    """The file as UTF-8 text (a byte-order mark is dropped), decompressing .gz on the fly."""
    if is_gzipped(path):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open("r", encoding="utf-8-sig", newline="")


@contextmanager
def local_parquet(path: Path) -> Iterator[Path]:
    """A seekable path for a Parquet file: the file itself, or a temporary copy of a .gz's content."""
    if not is_gzipped(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="ingest-") as folder:
        target = Path(folder) / "content.parquet"
        with gzip.open(path, "rb") as compressed, target.open("wb") as plain:
            shutil.copyfileobj(compressed, plain, 1 << 20)
        yield target
