"""`list` and `summary`: finding agreements and counting them."""

from __future__ import annotations

from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    collation,
    out_console,
    register,
    stdout_is_terminal,
    today,
    write_out,
)
from agreements.cli.options import AsOfOption, FilterOptions, format_option, takes_filters
from agreements.domain.summary_fields import DEFAULT_FIELDS, TOP, SummaryField
from agreements.formats import Format, Formats

LIST_FORMATS = Formats(
    (Format.TABLE, Format.CSV, Format.TSV, Format.JSON, Format.JSONL), piped=Format.TSV
)
SUMMARY_FORMATS = Formats((Format.TABLE, Format.JSON, Format.CSV, Format.TSV))
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
        typer.Option(
            "--limit", "-n", min=0, help="Show at most this many; 0 shows all. Example: --limit 10"
        ),
    ] = None,
    as_of: AsOfOption = None,
    output: Annotated[str | None, format_option(LIST_FORMATS)] = None,
) -> None:
    """List agreements, filtered and sorted.

    Example: agreements list --sector cleantech
    """
    from agreements.domain.queries import SortKey, parse_sort
    from agreements.render.listing import write_list, write_list_rows
    from agreements.render.output import stdout_bytes

    chosen = LIST_FORMATS.choose(output, stdout_is_terminal())
    sort_key, descending = parse_sort(sort)
    snapshot = register(context).read()
    selected = filters.build(snapshot.vocabulary())
    if first_run(context, chosen):
        return
    now = today(as_of)
    if chosen in (Format.CSV, Format.TSV) and sort_key is SortKey.ID and not (descending or limit):
        tsv = chosen is Format.TSV  # rows in the order of the file: on two cores, when large
        with stdout_bytes() as stream:
            snapshot.write_hits(
                selected,
                now,
                lambda part, out, first: write_list_rows(part, now, out, first, tsv=tsv),
                stream,
            )
        return
    order = collation() if sort_key is SortKey.TITLE else None
    hits = snapshot.query(
        selected, now, sort_key, descending=descending, limit=limit or None, collation=order
    )
    watch = selected.watch() if filters.about_upkeep() else None
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
            help="Count only by this: sector, country, partner-country (the countries other than the home one), type, year (of signing), status, activity (active, dormant or no activity recorded) or activity-year; repeat for several. Example: --by sector",
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            min=0,
            help=f"Show the N largest values of each field and sum the rest as others; 0 shows all, years as years. Default on a table: {TOP}, in JSON, CSV and TSV: all. Example: --top 5",
        ),
    ] = None,
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            metavar="COUNTRY",
            help="The home country of partner-country (code or English name). Default: the country on the most agreements counted. Example: --home DK",
        ),
    ] = None,
    as_of: AsOfOption = None,
    output: Annotated[str | None, format_option(SUMMARY_FORMATS)] = None,
) -> None:
    """Count agreements by sector, country, type, year of signing, status and activity.

    An agreement counts once under each of its sectors, each of its countries and each
    year it had an activity in; a party signed as part of a former country counts under
    its country today (the former one when that is unknown), and by country the counts
    say how many were. By partner-country it counts under each of its countries
    other than the home country (under the home country when it has no other). By
    activity, a running agreement is active (an activity within --dormant-after, default
    3 years), dormant, or has no activity recorded.

    Example: agreements summary --by partner-country --top 5
    """
    from agreements.domain.counting import (
        ordered_counts,
        settle_partner_countries,
        top_counts,
        without_empty_companions,
    )
    from agreements.render.output import stdout_bytes, write_json
    from agreements.render.summaries import summary_data, summary_tables, write_summary_rows

    chosen = SUMMARY_FORMATS.choose(output, stdout_is_terminal())
    fields = by or list(DEFAULT_FIELDS)
    home_code = _home_country(home, fields)
    snapshot = register(context).read()
    selected = filters.build(snapshot.vocabulary())
    if first_run(context, chosen):
        return
    total, counters = snapshot.counts(selected, fields, today(as_of))
    settled = None
    if SummaryField.PARTNER_COUNTRY in counters:
        settled = settle_partner_countries(counters, home_code)
    counts = ordered_counts(without_empty_companions(counters))
    if chosen in _FOR_PEOPLE:
        out_console().print(f"{total} agreement{'' if total == 1 else 's'}")
        for table in summary_tables(counts, total, TOP if top is None else top, settled):
            out_console().print(table)
        return
    if top is not None:
        counts = top_counts(counts, top)
    with stdout_bytes() as stream:
        if chosen is Format.JSON:
            write_json(summary_data(counts, total, settled), stream)
        else:
            write_summary_rows(counts, total, settled, stream, tsv=chosen is Format.TSV)


def _home_country(given: str | None, fields: list[SummaryField]) -> str | None:
    if given is None:
        return None
    if SummaryField.PARTNER_COUNTRY not in fields:
        from agreements.errors import InvalidInput

        raise InvalidInput(
            "--home is the home country of partner-country", hint="add --by partner-country"
        )
    from agreements.domain.countries import resolve_country

    return resolve_country(given)
