"""`export`: the register, or a selection of it, as CSV, JSON, JSON Lines or a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import register, say, stdout_is_terminal, today
from agreements.cli.options import (
    AsOfOption,
    FilterOptions,
    format_option,
    output_file_option,
    takes_filters,
)
from agreements.errors import InvalidInput
from agreements.formats import Format, Formats, file_suffix, format_named_by

EXPORT_FORMATS = Formats((Format.CSV, Format.TSV, Format.JSON, Format.JSONL, Format.XLSX))


@app.command()
@takes_filters
def export(
    context: typer.Context,
    filters: FilterOptions,
    output_file: Annotated[Path | None, output_file_option("register.csv")] = None,
    output: Annotated[str | None, format_option(EXPORT_FORMATS)] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            "-d",
            help="CSV cell separator: ',' (the default), ';' (Excel in Danish, German and other "
            "locales) or 'tab'. Example: --delimiter ';'",
        ),
    ] = None,
    no_bom: Annotated[
        bool,
        typer.Option(
            "--no-bom", help="Leave out the byte-order mark that tells Excel the CSV is UTF-8."
        ),
    ] = False,
    activities: Annotated[
        bool,
        typer.Option(
            "--activities",
            help="Export the activities of the agreements instead, as CSV with one row per "
            "activity ('import --activities' reads it back).",
        ),
    ] = False,
    as_of: AsOfOption = None,
) -> None:
    """Export every agreement, or those the filters keep, as CSV, JSON, JSON Lines or an
    Excel workbook (-o FILE.xlsx: a sheet of agreements and one of activities).

    The CSV opens in Excel as it is: UTF-8 with a byte-order mark, and no cell that
    Excel would run as a formula (such cells start with an extra ', which import removes).

    Example: agreements export --sector cleantech --delimiter ';' -o cleantech.csv
    """
    from agreements.exchange.activity_rows import write_activity_csv
    from agreements.exchange.csv_files import write_csv
    from agreements.exchange.registry import write_export
    from agreements.exchange.spreadsheet import delimiter as named_delimiter
    from agreements.render.output import stdout_bytes
    from agreements.store.atomic import output_file as atomic_output

    chosen = EXPORT_FORMATS.choose(output, stdout_is_terminal())
    if output is None and output_file is not None:  # the file's name says which, as on import
        chosen = _format_for(output_file)
    if chosen is Format.TSV:  # our CSV, with tabs
        if delimiter not in (None, ",", "tab", "\t"):
            raise InvalidInput(
                f"TSV is separated by tabs, not {delimiter!r}",
                hint="for another separator write CSV: --format csv, or a .csv file",
            )
        chosen, delimiter = Format.CSV, "tab"
    if chosen is Format.XLSX:
        _refuse_for_workbooks(output_file, activities, delimiter=delimiter, no_bom=no_bom)
    if activities and chosen is not Format.CSV:
        raise InvalidInput(
            "--activities exports CSV", hint="JSON exports hold the activities of each agreement"
        )
    separator = named_delimiter(delimiter or ",")
    the_register = register(context)
    if output_file is not None:
        the_register.files.refuse_as_output(output_file, "export")
    snapshot = the_register.read()
    selected = filters.build(snapshot.vocabulary())
    now = today(as_of)
    target = stdout_bytes() if output_file is None else atomic_output(output_file)
    with target as stream:
        hits = snapshot.query(selected, now)
        if activities:
            count = write_activity_csv(hits, stream, delimiter=separator, bom=not no_bom)
        elif chosen is Format.CSV:
            count = snapshot.write_hits(
                selected,
                now,
                lambda part, out, first: write_csv(
                    part, now, out, delimiter=separator, bom=not no_bom, header=first
                ),
                stream,
            )
        else:
            count = write_export(chosen, hits, now, stream, delimiter=separator, bom=not no_bom)
    if output_file is not None:
        from agreements.domain.text import counted

        what = (
            counted(count, "activity", "activities") if activities else counted(count, "agreement")
        )
        say(f"Exported {what} to {output_file}")


def _refuse_for_workbooks(
    output_file: Path | None, activities: bool, *, delimiter: str | None, no_bom: bool
) -> None:
    """A workbook goes to a file, and has no delimiter, byte-order mark or activities CSV."""
    if output_file is None:
        raise InvalidInput(
            "a workbook is written to a file, not to the terminal or a pipe",
            hint="add -o FILE.xlsx",
        )
    if activities:
        raise InvalidInput(
            "--activities exports CSV",
            hint="a workbook holds the activities on a sheet of their own, Activities",
        )
    given = [
        option
        for option, value in (("--delimiter", delimiter is not None), ("--no-bom", no_bom))
        if value
    ]
    if given:
        verb = "is" if len(given) == 1 else "are"
        raise InvalidInput(f"{' and '.join(given)} {verb} for CSV files, not workbooks")


def _format_for(output_file: Path) -> Format:
    """The format that `-o FILE` asks for by its name: .csv, .tsv, .json, .jsonl, .xlsx;
    another name is CSV."""
    suffix = file_suffix(output_file.name)
    if suffix == "ics":
        raise InvalidInput(
            f"export does not write calendars ({output_file})",
            hint=f"'agreements calendar -o {output_file}' writes what is due as iCalendar",
        )
    named = format_named_by(output_file.name)
    if named in EXPORT_FORMATS.choices:
        return named
    if suffix in ("xls", "xlsm", "ods"):
        raise InvalidInput(
            f"export writes CSV, JSON, JSON Lines or .xlsx workbooks, not .{suffix}",
            hint="name the file .xlsx: Excel and LibreOffice open it",
        )
    return Format.CSV
