"""Where the register file lives: --db, then AGREEMENTS_DB, then the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VARIABLE = "AGREEMENTS_DB"
FILE_NAME = "agreements.json"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("agreements", appauthor=False) / FILE_NAME


def resolve_db_path(option: str | None) -> tuple[Path, bool]:
    """The register file and whether it is the default one (whose folder may be created)."""
    chosen = option or os.environ.get(ENV_VARIABLE)
    if chosen:
        return Path(chosen).expanduser(), False
    return default_db_path(), True
