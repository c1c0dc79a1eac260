"""What the command modules share: the register, consoles, and the options several commands take."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Annotated

import typer

from agreements.domain.dates import DateOrder, PartialDate, parse_date
from agreements.errors import InvalidInput

if TYPE_CHECKING:
    from rich.console import Console

    from agreements.domain.queries import Filters
    from agreements.domain.vocabulary import Vocabulary
    from agreements.store.register import Register


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"


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


def command_line(context: typer.Context) -> str:
    """How the user called us, as recorded in the history."""
    return settings(context).command_line


@cache
def out_console() -> Console:
    from agreements.render.output import make_console

    return make_console()


@cache
def err_console() -> Console:
    from agreements.render.output import make_console

    return make_console(stderr=True)


def say(message: str) -> None:
    """A message for the person at the terminal, on stderr: never styled, never obeyed."""
    from agreements.domain.text import printable

    sys.stderr.write(printable(message) + "\n")
    sys.stderr.flush()


def today() -> date:
    return date.today()


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def write_out(text: str) -> None:
    """Plain data to stdout, exactly as given."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def resolve_format(chosen: OutputFormat | None) -> OutputFormat:

    if chosen is not None:
        return chosen
    return OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.TSV


def parse_optional_date(text: str | None, order: DateOrder | None) -> PartialDate | None:
    return None if text is None else parse_date(text, order)


DateOrderOption = Annotated[
    DateOrder | None,
    typer.Option(
        "--date-order",
        envvar="AGREEMENTS_DATE_ORDER",
        case_sensitive=False,
        help="How to read numeric dates like 02/10/2012: DMY or MDY (or $AGREEMENTS_DATE_ORDER). "
        "Example: --date-order DMY",
    ),
]
SectorFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--sector",
        "-s",
        help="Keep agreements with this sector; repeat for any of several. "
        "Example: --sector cleantech --sector energy",
    ),
]
AgreedOnly = Annotated[
    bool, typer.Option("--agreed-only", help="With --sector: ignore sectors marked possible.")
]
PartyFilter = Annotated[
    str | None,
    typer.Option(
        "--party",
        "-p",
        help="Keep agreements with a party (or its parent) whose name contains "
        "this, ignoring case and accents. Example: --party nanjing",
    ),
]
CountryFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--country",
        "-c",
        help="Keep agreements with a party in this country (code or English "
        "name); repeat for any of several. Example: --country DK",
    ),
]
TypeFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--type",
        "-t",
        help="Keep this agreement type; repeat for any of several. Example: --type sister-city",
    ),
]
StatusFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--status", help="Keep this status; repeat for any of several. Example: --status active"
    ),
]
SignedAfter = Annotated[
    str | None,
    typer.Option(
        "--signed-after",
        metavar="DATE",
        help="Keep agreements signed wholly after "
        "this date or period. Example: --signed-after 2010 (from 2011 on)",
    ),
]
SignedBefore = Annotated[
    str | None,
    typer.Option(
        "--signed-before",
        metavar="DATE",
        help="Keep agreements signed wholly before "
        "this date or period. Example: --signed-before 2000-06",
    ),
]
SearchFilter = Annotated[
    str | None,
    typer.Option(
        "--search",
        "-q",
        help="Keep agreements with this text in any text field. Example: --search sindberg",
    ),
]
TagFilter = Annotated[
    list[str] | None,
    typer.Option("--tag", help="Keep agreements with this tag. Example: --tag nordic"),
]


def build_filters(
    *,
    sectors: list[str] | None,
    agreed_only: bool,
    party: str | None,
    countries: list[str] | None,
    types: list[str] | None,
    statuses: list[str] | None,
    signed_after: str | None,
    signed_before: str | None,
    search: str | None,
    tags: list[str] | None,
    order: DateOrder | None,
    vocabulary: Vocabulary,
) -> Filters:
    from agreements.domain.countries import resolve_country
    from agreements.domain.model import parse_status, parse_type
    from agreements.domain.queries import Filters
    from agreements.domain.text import fold

    if agreed_only and not sectors:
        raise InvalidInput("--agreed-only needs --sector")
    return Filters(
        sectors=frozenset(vocabulary.resolve(s) for s in sectors or ()),
        agreed_only=agreed_only,
        party=party,
        countries=frozenset(resolve_country(c) for c in countries or ()),
        types=frozenset(parse_type(t) for t in types or ()),
        statuses=frozenset(parse_status(s) for s in statuses or ()),
        signed_after=parse_optional_date(signed_after, order),
        signed_before=parse_optional_date(signed_before, order),
        search=search,
        tags=frozenset(fold(tag) for tag in tags or ()),
    )
