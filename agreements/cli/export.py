"""`export`: the register, or a selection of it, as CSV, JSON or JSON Lines."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    AgreedOnly,
    CountryFilter,
    DateOrderOption,
    PartyFilter,
    SearchFilter,
    SectorFilter,
    SignedAfter,
    SignedBefore,
    StatusFilter,
    TagFilter,
    TypeFilter,
    build_filters,
    say,
    settings,
    today,
)
from agreements.errors import StorageFailure

if TYPE_CHECKING:
    pass


class FileFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


@app.command()
def export(
    context: typer.Context,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file (replaced atomically) instead of stdout. Example: -o register.csv",
        ),
    ] = None,
    output: Annotated[
        FileFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="csv, json (one list) or jsonl (one agreement per line). Example: --format json",
        ),
    ] = FileFormat.CSV,
    delimiter: Annotated[
        str,
        typer.Option(
            "--delimiter",
            "-d",
            help="CSV cell separator: ',', ';' (Excel in Danish, German and other locales) or 'tab'. "
            "Example: --delimiter ';'",
        ),
    ] = ",",
    no_bom: Annotated[
        bool,
        typer.Option(
            "--no-bom", help="Leave out the byte-order mark that tells Excel the CSV is UTF-8."
        ),
    ] = False,
    sector: SectorFilter = None,
    agreed_only: AgreedOnly = False,
    party: PartyFilter = None,
    country: CountryFilter = None,
    type_: TypeFilter = None,
    status: StatusFilter = None,
    signed_after: SignedAfter = None,
    signed_before: SignedBefore = None,
    search: SearchFilter = None,
    tag: TagFilter = None,
    date_order: DateOrderOption = None,
) -> None:
    """Export every agreement, or those the filters keep, as CSV, JSON or JSON Lines.

    The CSV opens in Excel as it is: UTF-8 with a byte-order mark, and no cell that
    Excel would run as a formula (such cells start with an extra ', which import removes).

    Example: agreements export --sector cleantech --delimiter ';' -o cleantech.csv
    """
    from agreements.exchange.files import export_csv, export_json, export_jsonl, export_stored_csv
    from agreements.exchange.spreadsheet import delimiter as named_delimiter

    separator = named_delimiter(delimiter)
    snapshot = settings(context).register().read()
    filters = build_filters(
        sectors=sector, agreed_only=agreed_only, party=party, countries=country,
        types=type_, statuses=status, signed_after=signed_after, signed_before=signed_before,
        search=search, tags=tag, order=date_order, vocabulary=snapshot.vocabulary(),
    )  # fmt: skip
    now = today()
    matching = snapshot.records_matching(filters) if output is FileFormat.CSV else None
    if matching is not None:  # rows straight from the stored records: no agreements built
        text, count = export_stored_csv(matching, now, delimiter=separator, bom=not no_bom)
    else:
        found = snapshot.select(filters, now)
        count = len(found)
        if output is FileFormat.CSV:
            text = export_csv(found, now, delimiter=separator, bom=not no_bom)
        elif output is FileFormat.JSON:
            text = export_json(found, now)
        else:
            text = export_jsonl(found, now)
    if output_file is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))  # as is: CSV rows end in CRLF
        sys.stdout.buffer.flush()
        return
    write_file(output_file, text.encode("utf-8"))
    say(f"Exported {count} agreements to {output_file}")


def write_file(path: Path, data: bytes) -> None:
    from agreements.store.atomic import write_atomically

    if path.is_dir():
        raise StorageFailure(f"{path} is a folder")
    if not path.parent.is_dir():
        raise StorageFailure(f"the folder {path.parent} does not exist")
    write_atomically(path, data)
