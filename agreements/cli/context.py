"""What every command module shares: the register it works on, the consoles, and messages."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from agreements.domain.text import printable
from agreements.errors import InvalidInput, StorageFailure

if TYPE_CHECKING:
    from rich.console import Console

    from agreements.domain.collation import Collation
    from agreements.store.register import Register


@dataclass(frozen=True)
class Settings:
    db_option: str | None
    command_line: str = "agreements"

    def register(self) -> Register:
        from agreements.store.location import resolve_db_path
        from agreements.store.register import Register

        path, is_default = resolve_db_path(self.db_option)
        return Register(path, _lock_timeout(), create_folder=is_default)


def _lock_timeout() -> float:
    text = os.environ.get("AGREEMENTS_LOCK_TIMEOUT", "10")
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise InvalidInput(f"AGREEMENTS_LOCK_TIMEOUT={text!r} is not a number of seconds")
    return seconds


def settings(context: typer.Context) -> Settings:
    found = context.find_object(Settings)
    return found if found is not None else Settings(None)


def register(context: typer.Context) -> Register:
    """The register this run works on: --db, $AGREEMENTS_DB, or the user's own."""
    return settings(context).register()


def command_line(context: typer.Context) -> str:
    """How the user called us, as recorded in the history."""
    return settings(context).command_line


@cache
def out_console() -> Console:
    from agreements.render.console import make_console

    return make_console()


@cache
def err_console() -> Console:
    from agreements.render.console import make_console

    return make_console(stderr=True)


def say(message: str) -> None:
    """A message for the person at the terminal, on stderr: never styled, never obeyed."""
    sys.stderr.write(printable(message) + "\n")
    sys.stderr.flush()


def today(as_of: str | None = None) -> date:
    """The day the dates are judged on: --as-of, else $AGREEMENTS_TODAY, else the clock's."""
    text = as_of if as_of is not None else os.environ.get("AGREEMENTS_TODAY", "").strip() or None
    if text is None:
        return date.today()
    return whole_day(text, "--as-of" if as_of is not None else "AGREEMENTS_TODAY")


def whole_day(text: str, source: str) -> date:
    """A day given by `source` (an option or a variable): a whole date, nothing less."""
    from agreements.domain.dates import Precision, parse_date

    try:
        day = parse_date(text)
    except InvalidInput as error:
        raise InvalidInput(f"{source}: {error.message}", error.hint) from None
    if day.precision is not Precision.DAY:
        raise InvalidInput(
            f"{source} needs a whole date, not {text!r}", hint="for example 2026-12-01"
        )
    return day.first_day()


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def write_out(text: str) -> None:
    """Text for people to stdout, control bytes shown escaped, ending in one newline."""
    text = printable(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def people_width() -> int | None:
    """The terminal's width when stdout is one (text for people is wrapped to it), else None."""
    return out_console().width if stdout_is_terminal() else None


def collation() -> Collation:
    """How titles sort: $AGREEMENTS_COLLATION, else the language of the locale's collation."""
    from agreements.domain.collation import collation_from_locale, parse_collation

    chosen = os.environ.get("AGREEMENTS_COLLATION", "").strip()
    if chosen:
        try:
            return parse_collation(chosen)
        except InvalidInput as error:
            raise InvalidInput(f"AGREEMENTS_COLLATION: {error.message}", error.hint) from None
    for name in ("LC_ALL", "LC_COLLATE", "LANG"):
        language = os.environ.get(name, "").strip()
        if language:
            return collation_from_locale(language)
    return collation_from_locale("")


def read_input(source: str) -> bytes:
    """The bytes of an input file, or of stdin for "-"."""
    try:
        return sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {source}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{source} is a folder, not a file") from None
    except OSError as error:
        raise StorageFailure(f"cannot read {source}: {error.strerror}") from None
