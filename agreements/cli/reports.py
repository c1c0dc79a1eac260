"""`list` and `summary`: finding agreements and counting them."""

from __future__ import annotations

from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import out_console, register, stdout_is_terminal, today, write_out
from agreements.cli.options import AsOfOption, FilterOptions, format_option, takes_filters
from agreements.domain.counting import SummaryField
from agreements.formats import Format, Formats

LIST_FORMATS = Formats(
    (Format.TABLE, Format.CSV, Format.TSV, Format.JSON, Format.JSONL), piped=Format.TSV
)
SUMMARY_FORMATS = Formats((Format.TABLE, Format.JSON))
_FOR_PEOPLE = (Format.TABLE, Format.TEXT)


def first_run(context: typer.Context, chosen: Format) -> bool:
    """On a table while there is no register file: says where it will be and how to begin."""
    if chosen not in _FOR_PEOPLE:
        return False
    from agreements.cli.where import whereabouts

    where = whereabouts(context, count=False)
    if where.exists:
        return False
    from agreements.render.where import first_run_text

    write_out(first_run_text(where))
    return True


@app.command("list")
@takes_filters
def list_(
    context: typer.Context,
    filters: FilterOptions,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="id, title, type, signed, status, country, created or updated; a leading '-' sorts descending. Example: --sort=-signed",
        ),
    ] = "id",
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=0, help="Show at most this many. Example: --limit 10"),
    ] = None,
    as_of: AsOfOption = None,
    output: Annotated[str | None, format_option(LIST_FORMATS)] = None,
) -> None:
    """List agreements, filtered and sorted.

    Example: agreements list --sector cleantech
    """
    from agreements.domain.queries import parse_sort
    from agreements.render.listing import write_list
    from agreements.render.output import stdout_bytes

    chosen = LIST_FORMATS.choose(output, stdout_is_terminal())
    sort_key, descending = parse_sort(sort)
    snapshot = register(context).read()
    selected = filters.build(snapshot.vocabulary())
    if first_run(context, chosen):
        return
    now = today(as_of)
    hits = snapshot.query(selected, now, sort_key, descending=descending, limit=limit)
    watch = selected.watch() if filters.about_dates() else None
    with stdout_bytes() as stream:
        write_list(hits, now, chosen, stream, out_console, next_due=watch)


@app.command()
@takes_filters
def summary(
    context: typer.Context,
    filters: FilterOptions,
    by: Annotated[
        list[SummaryField] | None,
        typer.Option(
            "--by",
            case_sensitive=False,
            help="Count only by this: sector, country, type, year (of signing), status, activity (active, dormant or no activity recorded) or activity-year; repeat for several. Example: --by sector",
        ),
    ] = None,
    as_of: AsOfOption = None,
    output: Annotated[str | None, format_option(SUMMARY_FORMATS)] = None,
) -> None:
    """Count agreements by sector, country, type, year of signing, status and activity.

    An agreement counts once under each of its sectors, each of its countries and each
    year it had an activity in. By activity, a running agreement is active (an activity
    within --dormant-after, default 3 years), dormant, or has no activity recorded.

    Example: agreements summary --by sector
    """
    from agreements.domain.counting import ordered_counts
    from agreements.render.output import stdout_bytes, write_json
    from agreements.render.summaries import summary_data, summary_tables

    chosen = SUMMARY_FORMATS.choose(output, stdout_is_terminal())
    snapshot = register(context).read()
    selected = filters.build(snapshot.vocabulary())
    if first_run(context, chosen):
        return
    total, counters = snapshot.counts(selected, by or list(SummaryField), today(as_of))
    counts = ordered_counts(counters)
    if chosen is Format.JSON:
        with stdout_bytes() as stream:
            write_json(summary_data(counts, total), stream)
        return
    out_console().print(f"{total} agreement{'' if total == 1 else 's'}")
    for table in summary_tables(counts):
        out_console().print(table)
