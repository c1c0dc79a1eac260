"""`export` and `import`: the whole register, or a selection of it, as CSV or JSON."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.common import (
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
    command_line,
    say,
    settings,
    today,
)
from agreements.errors import InvalidInput, StorageFailure


class FileFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


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
            "--format", "-f", case_sensitive=False, help="csv or json. Example: --format json"
        ),
    ] = FileFormat.CSV,
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
    """Export every agreement, or those the filters keep, as CSV or JSON.

    Example: agreements export --sector cleantech -o cleantech.csv
    """
    from agreements.exchange import export_csv, export_json

    snapshot = settings(context).register().read()
    filters = build_filters(
        sectors=sector, agreed_only=agreed_only, party=party, countries=country,
        types=type_, statuses=status, signed_after=signed_after, signed_before=signed_before,
        search=search, tags=tag, order=date_order, vocabulary=snapshot.vocabulary(),
    )  # fmt: skip
    found = snapshot.select(filters, today())
    writer = export_csv if output is FileFormat.CSV else export_json
    text = writer(found, today())
    if output_file is None:
        sys.stdout.write(text)
        return
    from agreements.files import write_atomically

    if output_file.is_dir():
        raise StorageFailure(f"{output_file} is a folder")
    if not output_file.parent.is_dir():
        raise StorageFailure(f"the folder {output_file.parent} does not exist")
    write_atomically(output_file, text.encode("utf-8"))
    say(f"Exported {len(found)} agreements to {output_file}")


@app.command("import")
def import_(
    context: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help="A CSV or JSON file written by 'agreements export'; - reads stdin."
        ),
    ],
    input_format: Annotated[
        FileFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="csv or json; by default told by the file name, else by its content. Example: --format json",
        ),
    ] = None,
) -> None:
    """Import agreements from a file that 'agreements export' wrote, all or nothing.

    Ids are kept when they were never used in this register; others get new ids.

    Example: agreements import register.csv
    """
    from agreements.exchange import PARSERS, read_agreements

    text = _read_text(source)
    chosen = input_format or _guess_format(source, text)
    records = PARSERS[chosen.value](text)
    register = settings(context).register()
    with register.change(command_line(context)) as change:
        agreements = read_agreements(records, change.vocabulary())
        stored = change.add_many(agreements, keep_ids=True)
    renumbered = sum(
        1 for old, new in zip(agreements, stored, strict=True) if old.id not in (None, new.id)
    )
    message = f"Imported {len(stored)} agreements from {source}"
    if renumbered:
        message += f"; {renumbered} got new ids because theirs were taken"
    say(message)


def _read_text(source: str) -> str:
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {source}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{source} is a folder, not a file") from None
    except OSError as error:
        raise StorageFailure(f"cannot read {source}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{source} is not UTF-8 (byte {error.start} cannot be read)",
            hint="save it as UTF-8 and import again",
        ) from None


def _guess_format(source: str, text: str) -> FileFormat:
    suffix = Path(source).suffix.lower().lstrip(".")
    if suffix in FileFormat.__members__.values():
        return FileFormat(suffix)
    return FileFormat.JSON if text.lstrip()[:1] in ("[", "{") else FileFormat.CSV
