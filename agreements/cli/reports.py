"""`list` and `summary`: finding agreements and counting them."""

from __future__ import annotations

from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    AgreedOnly,
    CountryFilter,
    DateOrderOption,
    OutputFormat,
    PartyFilter,
    SearchFilter,
    SectorFilter,
    SignedAfter,
    SignedBefore,
    StatusFilter,
    TagFilter,
    TypeFilter,
    build_filters,
    out_console,
    resolve_format,
    settings,
    today,
    write_out,
)
from agreements.domain.queries import SummaryField
from agreements.errors import InvalidInput

FormatChoice = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table, csv, tsv or json. Default: a table on a terminal, TSV when piped. "
        "Example: --format csv",
    ),
]


@app.command("list")
def list_(
    context: typer.Context,
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
    output: FormatChoice = None,
    date_order: DateOrderOption = None,
) -> None:
    """List agreements, filtered and sorted.

    Example: agreements list --sector cleantech
    """
    from agreements.domain.model import trusted_agreement
    from agreements.domain.queries import SortKey, parse_sort, sort_agreements
    from agreements.render.output import (
        LIST_COLUMNS,
        agreements_json,
        agreements_table,
        delimited,
        list_row,
        record_list_row,
    )

    chosen = resolve_format(output)
    sort_key, descending = parse_sort(sort)
    snapshot = settings(context).register().read()
    filters = build_filters(
        sectors=sector, agreed_only=agreed_only, party=party, countries=country,
        types=type_, statuses=status, signed_after=signed_after, signed_before=signed_before,
        search=search, tags=tag, order=date_order, vocabulary=snapshot.vocabulary(),
    )  # fmt: skip
    now = today()
    records = None
    if sort_key is SortKey.ID:  # the file is in id order: read only the matches, or the first
        records = snapshot.records_matching(filters, None if descending else limit)
    if records is not None:
        if descending:
            records = iter(list(records)[::-1][:limit])
        if chosen in (OutputFormat.CSV, OutputFormat.TSV):  # rows straight from the records
            rows = (record_list_row(number, record, now) for number, record in records)
            write_out(delimited(rows, LIST_COLUMNS, tsv=chosen is OutputFormat.TSV))
            return
        found = [trusted_agreement(record, number) for number, record in records]
    else:
        found = sort_agreements(snapshot.select(filters, now), sort_key, now, descending=descending)
        found = found[:limit]
    if chosen is OutputFormat.TABLE:
        if found:
            out_console().print(agreements_table(found, now))
        else:
            out_console().print("No agreements match.")
    elif chosen is OutputFormat.JSON:
        write_out(agreements_json(found, now))
    else:
        table = [list_row(agreement, now) for agreement in found]
        write_out(delimited(table, LIST_COLUMNS, tsv=chosen is OutputFormat.TSV))


@app.command()
def summary(
    context: typer.Context,
    by: Annotated[
        list[SummaryField] | None,
        typer.Option(
            "--by",
            case_sensitive=False,
            help="Count only by this: sector, country, type, year or status; repeat for several. Example: --by sector",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--format", "-f", help="table (default) or json. Example: --format json"),
    ] = None,
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
    """Count agreements by sector, country, type, year of signing and status.

    An agreement counts once under each of its sectors and each of its countries.

    Example: agreements summary --by sector
    """
    from agreements.domain.queries import Filters, count_agreements, ordered_counts
    from agreements.render.output import summary_json, summary_tables

    if output not in (None, "table", "json"):
        raise InvalidInput(f"unknown format {output!r}", hint="choose table or json")
    snapshot = settings(context).register().read()
    filters = build_filters(
        sectors=sector, agreed_only=agreed_only, party=party, countries=country,
        types=type_, statuses=status, signed_after=signed_after, signed_before=signed_before,
        search=search, tags=tag, order=date_order, vocabulary=snapshot.vocabulary(),
    )  # fmt: skip
    fields = by or list(SummaryField)
    if filters == Filters():
        total, counters = snapshot.counts(fields, today())
    else:
        found = snapshot.select(filters, today())
        total, counters = count_agreements(found, fields, today())
    counts = ordered_counts(counters)
    if output == "json":
        write_out(summary_json(counts, total))
        return
    out_console().print(f"{total} agreement{'' if total == 1 else 's'}")
    for table in summary_tables(counts):
        out_console().print(table)
