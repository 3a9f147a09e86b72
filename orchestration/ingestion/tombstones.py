"""Erased people: hash-only tombstones, and dropping a later re-export of them at ingestion.

`python -m orchestration.erase` records sha256(lower-cased address) in raw.erasure_tombstones;
the address itself is never stored. Ingestion then drops every row in which any value holds a
tombstoned address: the row is counted as quarantined (reason ``erased_person``) without its
content, so rows read = loaded + quarantined still holds and no byte of the person is written.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote

import duckdb
import pandas as pd

from orchestration.ingestion.reasons import reason

TOMBSTONE_TABLE = "raw.erasure_tombstones"
ADDRESS_TOKEN = re.compile(r"[^\s\"'<>(),;:\[\]{}\\]+@[^\s\"'<>(),;:\[\]{}\\]+")
# Inside a URL the token above runs on into the path or query ("//x.io?email=ana@acme.io"):
# the common address characters only, as a second reading.
PLAIN_ADDRESS_TOKEN = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9.\-]+", re.IGNORECASE)


def address_hash(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()


def create_tombstone_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create table if not exists {TOMBSTONE_TABLE} (address_sha256 varchar, erased_at timestamp)")


def tombstoned_hashes(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    create_tombstone_table(con)
    return frozenset(row[0] for row in con.execute(f"select address_sha256 from {TOMBSTONE_TABLE}").fetchall())


def _may_hold_address(text: str) -> bool:
    return "@" in text or "%40" in text or "%2540" in text.lower()


def mentions_erased(texts: list[str | None], erased: frozenset[str]) -> bool:
    """Whether any e-mail-like token in the texts (plain or URL-encoded up to twice, as in
    ?email=ana%40acme.io) is a tombstoned address."""
    for text in texts:
        if text and _may_hold_address(text):
            decoded = unquote(unquote(text))
            for token in ADDRESS_TOKEN.findall(decoded) + PLAIN_ADDRESS_TOKEN.findall(decoded):
                if address_hash(token.strip(".").lower()) in erased:
                    return True
    return False


def erased_rows(frame: pd.DataFrame, erased: frozenset[str]) -> pd.Series:
    """Mask of the frame's rows in which any value mentions a tombstoned address."""
    if not erased or frame.empty:
        return pd.Series(False, index=frame.index)
    has_at = frame.apply(
        lambda column: column.astype("string").str.contains(r"@|%(?:25)?40", regex=True, case=False)
    ).fillna(False)
    candidates = has_at.any(axis=1)
    mask = pd.Series(False, index=frame.index)
    for index in frame.index[candidates.to_numpy()]:
        values = frame.loc[index]
        mask.loc[index] = mentions_erased([None if pd.isna(v) else str(v) for v in values], erased)
    return mask


ERASED_REASON = reason("erased_person", "the row names a person who was erased; its content is not kept")
