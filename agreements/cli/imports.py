"""`import`: our own exchange files, and other tools' CSV with --map, all or nothing."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import DateOrderOption, command_line, err_console, say, settings
from agreements.cli.export import FileFormat, write_file
from agreements.errors import InvalidInput, StorageFailure

if TYPE_CHECKING:
    from agreements.domain.dates import DateOrder
    from agreements.exchange.files import Item
    from agreements.exchange.importing import ImportReport, Progress
    from agreements.exchange.mapping import ColumnMap
    from agreements.exchange.own_rows import OwnRowReader


class OnDuplicateChoice(StrEnum):
    SKIP = "skip"
    UPDATE = "update"
    ERROR = "error"


@app.command("import")
def import_(
    context: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="A CSV, JSON or JSON Lines file; - reads stdin. Other tools' CSV needs --map.",
        ),
    ],
    input_format: Annotated[
        FileFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="csv, json or jsonl; by default told by the file name, else by its content. "
            "Example: --format json",
        ),
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            metavar="FIELD=COLUMN",
            help="Read a field from a column (by header or number) of another tool's CSV; repeat. "
            "Fields: party1.name, party1.country, party1.parent, party1.level, party2.…, title, "
            "type, signed_on, place, status, sectors, tags, notes, source, expires_on, review_on. "
            "Example: --map party2.name=partnergemeinde",
        ),
    ] = None,
    constants: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="A value for a field wherever the file gives none; repeat. "
            "Example: --set party1.country=DE",
        ),
    ] = None,
    translations: Annotated[
        list[str] | None,
        typer.Option(
            "--translate",
            metavar="FIELD:FROM=TO",
            help="Read a coded value as one of ours; repeat. Example: --translate type:p=sister-city",
        ),
    ] = None,
    aliases: Annotated[
        list[str] | None,
        typer.Option(
            "--country-alias",
            metavar="NAME=CODE",
            help="Read this country name as this ISO code; repeat. Example: --country-alias 'Kosova=XK'",
        ),
    ] = None,
    strict_countries: Annotated[
        bool,
        typer.Option(
            "--strict-countries",
            help="Reject rows whose country is not recognised, instead of importing them "
            "with the country left empty and the name kept as given.",
        ),
    ] = False,
    on_duplicate: Annotated[
        OnDuplicateChoice,
        typer.Option(
            "--on-duplicate",
            case_sensitive=False,
            help="When the register already has an agreement (same parties, type and date): "
            "skip the row, update the agreement with it, or stop with an error.",
        ),
    ] = OnDuplicateChoice.SKIP,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Import the valid rows and report the others, instead of importing nothing.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            "-n",
            help="Show what would be imported, merged and rejected; change nothing.",
        ),
    ] = False,
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Also write the report, row by row, to this JSON file. Example: --report import.json",
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            "-d",
            help="CSV cell separator: ',', ';' or 'tab'; by default told by the header row.",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Read a file that is not UTF-8 in this encoding. Example: --encoding cp1252",
        ),
    ] = None,
    date_order: DateOrderOption = None,
) -> None:
    """Import agreements from a file, all or nothing, in one write.

    Reads what 'agreements export' writes, and other tools' CSV with --map. Rows naming
    the same parties (in either order), type and date are one agreement and are merged.
    Ids of our own files are kept when this register never used them.

    Example: agreements import partners.csv --map party1.name=City --map party2.name=Partner
    --set type=sister-city
    """
    from agreements.exchange.importing import ImportRequest, OnDuplicate, run_import
    from agreements.render.output import import_details, import_summary

    items, columns, lines = _read_items(
        source, input_format, delimiter, encoding, date_order,
        maps or [], constants or [], translations or [], aliases or [], strict_countries,
    )  # fmt: skip
    register = settings(context).register()
    with _progress_bar(lines) as progress, register.change(command_line(context)) as change:
        report = run_import(
            change,
            ImportRequest(
                source=source,
                items=items,
                columns=columns,
                on_duplicate=OnDuplicate(on_duplicate.value),
                skip_invalid=skip_invalid,
                dry_run=dry_run,
                progress=progress,
            ),
        )
    if report_file is not None:
        _write_report(report_file, report)
    if dry_run:
        sys.stdout.write("".join(line + "\n" for line in import_details(report)))
    failure = report.failure()
    if failure is not None and not dry_run:
        raise failure
    for line in import_summary(report):
        say(line)


def _read_items(
    source: str,
    input_format: FileFormat | None,
    delimiter: str | None,
    encoding: str | None,
    date_order: DateOrder | None,
    maps: list[str],
    constants: list[str],
    translations: list[str],
    aliases: list[str],
    strict_countries: bool,
) -> tuple[Iterable[Item], ColumnMap | OwnRowReader | None, int]:
    """The file's items, how to read their cells, and about how many rows it has."""
    from agreements.exchange import files as exchange
    from agreements.exchange.mapping import build_column_map, country_aliases
    from agreements.exchange.spreadsheet import decode
    from agreements.exchange.spreadsheet import delimiter as named_delimiter

    text = decode(_read_bytes(source), source, encoding)
    chosen = input_format or _guess_format(source, text)
    foreign = maps or constants or translations or aliases or strict_countries
    if chosen is not FileFormat.CSV:
        if foreign:
            raise InvalidInput("--map, --set, --translate and country options read CSV files")
        parse = exchange.json_items if chosen is FileFormat.JSON else exchange.jsonl_items
        return parse(text), None, 0
    table = exchange.read_table(text, None if delimiter is None else named_delimiter(delimiter))
    lines = text.count("\n")
    if not table.header:
        return [], None, 0
    if maps:
        column_map = build_column_map(table.header, maps, constants, translations)
        column_map.country_aliases = dict(country_aliases(aliases))
        column_map.strict_countries = strict_countries
        column_map.date_order = date_order
        return exchange.csv_items(table), column_map, lines
    if foreign:
        raise InvalidInput("--set, --translate and country options need --map")
    if not table.is_own():
        shown = ", ".join(repr(column) for column in table.header[:6])
        raise InvalidInput(
            f"line 1: the columns ({shown}…) are not those 'agreements export' writes",
            hint="map them onto fields with --map FIELD=COLUMN, e.g. --map party1.name=City",
        )
    from agreements.exchange.own_rows import OwnRowReader

    return exchange.csv_items(table), OwnRowReader(table.header), lines


def _read_bytes(source: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {source}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{source} is a folder, not a file") from None
    except OSError as error:
        raise StorageFailure(f"cannot read {source}: {error.strerror}") from None


def _guess_format(source: str, text: str) -> FileFormat:
    suffix = Path(source).suffix.lower().lstrip(".")
    if suffix == "ndjson":
        return FileFormat.JSONL
    if suffix in FileFormat.__members__.values():
        return FileFormat(suffix)
    start = text.lstrip()[:1]
    if start == "[":
        return FileFormat.JSON
    if start == "{":
        first_line = text.lstrip().split("\n", 1)[0].rstrip()
        return (
            FileFormat.JSONL
            if first_line.endswith("}") and "\n" in text.strip()
            else FileFormat.JSON
        )
    return FileFormat.CSV


def _write_report(path: Path, report: ImportReport) -> None:
    import orjson

    write_file(path, orjson.dumps(report.as_json(), option=orjson.OPT_INDENT_2) + b"\n")


@contextlib.contextmanager
def _progress_bar(rows: int) -> Iterator[Progress | None]:
    """A progress bar on stderr for a long CSV file, when stderr is a terminal."""
    from agreements.exchange.importing import PROGRESS_STEP

    if rows < 2 * PROGRESS_STEP or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress as Bar

    with Bar(transient=True, console=err_console()) as bar:
        task = bar.add_task("Reading rows", total=rows)
        yield lambda done: bar.update(task, completed=done)
