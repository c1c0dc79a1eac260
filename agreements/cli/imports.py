"""`import`: our own exchange files, and other tools' CSV and workbooks with --map, all or
nothing."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    command_line,
    err_console,
    people_width,
    read_input,
    register,
    say,
)
from agreements.cli.options import DateOrderOption
from agreements.errors import InvalidInput
from agreements.formats import Format, Formats

if TYPE_CHECKING:
    from agreements.exchange.import_report import ImportReport
    from agreements.exchange.importing import Progress
    from agreements.exchange.registry import ReadingOptions


IMPORT_FORMATS = Formats((Format.CSV, Format.JSON, Format.JSONL, Format.XLSX))


class ParenthesisChoice(StrEnum):
    KEEP = "keep"
    PARENT = "parent"
    ALIAS = "alias"


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
            help="A CSV, JSON, JSON Lines or Excel (.xlsx) file; - reads stdin. Other tools' "
            "files need --map.",
        ),
    ],
    input_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, json, jsonl or xlsx; by default told by the file name, else by its "
            "content. Example: --format json",
        ),
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            metavar="FIELD=COLUMN",
            help="Read a field from a column (by header or number) of another tool's CSV or "
            "sheet; repeat. "
            "Fields: party1.name, party1.country, party1.parent, party1.level, "
            "party1.region, party1.other_names, party2.…, title, "
            "type, signed_on, place, status, sectors, tags, notes, source, expires_on, review_on, "
            "effective_on, council_resolution_on, renewal, notice. "
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
    parenthesis: Annotated[
        ParenthesisChoice,
        typer.Option(
            "--parenthesis",
            case_sensitive=False,
            help="What a qualifier in parentheses in a party name is, as in 'Frankfurt (Oder)' "
            "or 'Wrocław (Breslau)': part of the name as given (keep), the parent, or another "
            "name of the place (alias, kept in other_names). Example: --parenthesis alias",
        ),
    ] = ParenthesisChoice.KEEP,
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
            "--dry-run",  # no -n: that is --limit in every command
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
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="The sheet of an Excel workbook to read; by default the first. "
            "Example: --sheet Partnerschaften",
        ),
    ] = None,
    activities: Annotated[
        bool,
        typer.Option(
            "--activities",
            help="FILE is a CSV of activities, as 'export --activities' writes it (or a "
            "workbook, read from its sheet Activities): add each to the agreement its "
            "agreement_id names, skipping those already recorded.",
        ),
    ] = False,
    date_order: DateOrderOption = None,
) -> None:
    """Import agreements from a file, all or nothing, in one write.

    Reads what 'agreements export' writes, and other tools' CSV and Excel workbooks
    (.xlsx, the first sheet or --sheet NAME) with --map. Rows naming
    the same parties (in either order), type and date are one agreement and are merged.
    Ids of our own files are kept when this register never used them.

    Example: agreements import partners.csv --map party1.name=City --map party2.name=Partner
    --set type=sister-city
    """
    from agreements.domain.parsing import Parenthesis
    from agreements.exchange.importing import ImportRequest, OnDuplicate, run_import
    from agreements.exchange.registry import ReadingOptions, file_to_import
    from agreements.render.imports import import_details, import_summary
    from agreements.render.operations import for_people

    reading = ReadingOptions(
        file_format=None if input_format is None else IMPORT_FORMATS.choose(input_format, True),
        delimiter=delimiter, encoding=encoding, date_order=date_order,
        maps=maps or [], constants=constants or [], translations=translations or [],
        aliases=aliases or [], strict_countries=strict_countries, sheet=sheet,
        parenthesis=Parenthesis(parenthesis.value),
    )  # fmt: skip
    the_register = register(context)
    if activities:
        if report_file is not None or on_duplicate is not OnDuplicateChoice.SKIP:
            raise InvalidInput("--report and --on-duplicate are for importing agreements")
        _import_activities(context, source, reading, skip_invalid=skip_invalid, dry_run=dry_run)
        return
    if report_file is not None:  # refused before the import, which it would not undo
        from agreements.store.atomic import refuse_as_output_place

        the_register.files.refuse_as_output(report_file, "report")
        refuse_as_output_place(report_file)
    found = file_to_import(source, read_input(source), reading)
    request = ImportRequest(
        source=source, items=found.items, columns=found.columns,
        on_duplicate=OnDuplicate(on_duplicate.value), skip_invalid=skip_invalid, dry_run=dry_run,
    )  # fmt: skip
    with (
        _progress_bar(found.lines) as progress,
        the_register.change(command_line(context)) as transaction,
    ):
        report = run_import(transaction, replace(request, progress=progress))
        del found, request  # the file read, no longer needed while the register is saved
    if report_file is not None:
        _write_report(report_file, report)
    if dry_run:
        details = import_details(report)
        if details:
            sys.stdout.write(for_people(details, people_width()) + "\n")
    failure = report.failure()
    if failure is not None and not dry_run:
        raise failure
    # A terminal gets the report wrapped at a word to its width; a pipe, a line each.
    width = err_console().width if sys.stderr.isatty() else None
    say(for_people(import_summary(report), width))


def _import_activities(
    context: typer.Context,
    source: str,
    reading: ReadingOptions,
    *,
    skip_invalid: bool,
    dry_run: bool,
) -> None:
    from agreements.exchange.activity_rows import import_activities, read_activity_csv
    from agreements.exchange.registry import reads_workbook, workbook_activities
    from agreements.exchange.spreadsheet import decode

    if reading.file_format not in (None, Format.CSV, Format.XLSX) or reading.reads_another_tool():
        raise InvalidInput(
            "--activities reads the CSV 'export --activities' writes, or a workbook",
            hint="it takes no --map, --set, --translate, --country-alias or --format json",
        )
    data = read_input(source)
    if reads_workbook(source, data, reading.file_format):
        rows = workbook_activities(source, data, reading)
    else:
        if reading.sheet is not None:
            raise InvalidInput("--sheet names a sheet of an Excel workbook (.xlsx)")
        text = decode(data, source, reading.encoding)
        rows = read_activity_csv(text, None if reading.delimiter is None else _delimiter(reading))
    with register(context).change(command_line(context)) as transaction:
        report = import_activities(
            transaction, rows, skip_invalid=skip_invalid, order=reading.date_order
        )
        if dry_run:
            transaction.discard()
    for line in report.rejected:
        say(f"Rejected {line}")
    verb = "Would import" if dry_run else "Imported"
    counts = [f"{report.rows} row{'' if report.rows == 1 else 's'} read"]
    if report.already:
        counts.append(f"{report.already} already recorded")
    if report.rejected:
        counts.append(f"{len(report.rejected)} rejected")
    plural = "activity" if report.added == 1 else "activities"
    say(f"{verb} {report.added} {plural} from {source}: {', '.join(counts)}")


def _delimiter(reading: ReadingOptions) -> str:
    from agreements.exchange.spreadsheet import delimiter

    assert reading.delimiter is not None
    return delimiter(reading.delimiter)


def _write_report(path: Path, report: ImportReport) -> None:
    from agreements.render.output import write_json
    from agreements.store.atomic import output_file

    with output_file(path) as stream:
        write_json(report.as_json(), stream)


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
