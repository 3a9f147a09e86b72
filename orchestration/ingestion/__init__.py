"""Landing-folder ingestion: validate each export once, load it or quarantine its rows."""
