"""Where the register file lives: --db, then AGREEMENTS_DB, then the user data folder."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

ENV_VARIABLE = "AGREEMENTS_DB"
FILE_NAME = "agreements.json"


class DbSource(StrEnum):
    """What chose the register file."""

    OPTION = "option"
    ENVIRONMENT = "environment"
    DEFAULT = "default"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("agreements", appauthor=False) / FILE_NAME


def locate_db(option: str | None) -> tuple[Path, DbSource]:
    """The register file and what chose it."""
    if option:
        return Path(option).expanduser(), DbSource.OPTION
    if (chosen := os.environ.get(ENV_VARIABLE, "")).strip():  # blank counts as unset
        return Path(chosen).expanduser(), DbSource.ENVIRONMENT
    return default_db_path(), DbSource.DEFAULT


def resolve_db_path(option: str | None) -> tuple[Path, bool]:
    """The register file and whether it is the default one (whose folder may be created)."""
    path, source = locate_db(option)
    return path, source is DbSource.DEFAULT
