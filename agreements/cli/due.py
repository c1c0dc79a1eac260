"""`due` and `calendar`: what needs attention, on the terminal or in a calendar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from agreements.cli.application import app
from agreements.cli.context import out_console, register, say, stdout_is_terminal, today
from agreements.cli.options import (
    AsOfOption,
    FilterOptions,
    FromOption,
    ToOption,
    format_option,
    option_date,
    output_file_option,
    period_option,
    takes_filters,
)
from agreements.errors import ExitCode, InvalidInput
from agreements.formats import Format, Formats

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from agreements.domain.due import DueKind, ItemMaker, Watch
    from agreements.domain.due_facts import Facts

T = TypeVar("T")

DUE_FORMATS = Formats((Format.TABLE, Format.CSV, Format.TSV, Format.JSON), piped=Format.TSV)

Within = Annotated[
    str,
    period_option(
        "--within",
        "How far ahead to look: days, weeks, months or years. Example: --within 6m",
    ),
]
Kinds = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        help="Only this kind: expiry, notice, review, follow-up, anniversary, dormant; "
        "repeat for several. Example: --kind review",
    ),
]
Anniversaries = Annotated[
    str | None,
    typer.Option(
        "--anniversaries",
        metavar="YEARS",
        help="Which anniversaries of the signing to list (default 1,5,10,15,20,25,30,40,50,"
        "60,70,75,80,90,100). Example: --anniversaries 10,25,50",
    ),
]


@app.command()
@takes_filters
def due(
    context: typer.Context,
    filters: FilterOptions,
    within: Within = "90d",
    as_of: AsOfOption = None,
    kind: Kinds = None,
    anniversaries: Anniversaries = None,
    output: Annotated[str | None, format_option(DUE_FORMATS)] = None,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help=f"Exit with {int(ExitCode.SOMETHING_DUE)} when anything is due, 0 when nothing is "
            "(for cron and CI jobs).",
        ),
    ] = False,
) -> None:
    """List what needs attention, soonest first, overdue items included.

    Expiries, notice deadlines (the expiry minus the notice period), reviews, follow-ups
    of activities, anniversaries of the signing, and running agreements gone dormant.
    Takes the filters of 'agreements list'.

    Example: agreements due --within 6m --kind review --kind notice
    """
    from agreements.render.due import due_renderer, write_due
    from agreements.render.output import stdout_bytes

    chosen = DUE_FORMATS.choose(output, stdout_is_terminal())
    now = today(as_of)
    until = _until(now, within)
    rendered = _due(context, filters, now, until, kind, anniversaries, due_renderer(chosen))
    with stdout_bytes() as stream:
        write_due(rendered, now, chosen, stream, out_console)
    if exit_code and rendered:
        raise typer.Exit(int(ExitCode.SOMETHING_DUE))


@app.command()
@takes_filters
def calendar(
    context: typer.Context,
    filters: FilterOptions,
    output_file: Annotated[Path | None, output_file_option("due.ics")] = None,
    within: Annotated[
        str | None,
        period_option(
            "--within",
            "How far ahead to look (default 90d); not with --from/--to. Example: --within 6m",
        ),
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    as_of: AsOfOption = None,
    alarm: Annotated[
        str | None,
        period_option("--alarm", "Add a reminder this long before each event. Example: --alarm 2w"),
    ] = None,
    kind: Kinds = None,
    anniversaries: Anniversaries = None,
) -> None:
    """Write what is due as an iCalendar (.ics) file of all-day events.

    The same items as 'agreements due'. Each keeps its UID from one export to the next,
    so importing the file again into Outlook, Google or Apple Calendar updates the
    events instead of adding them twice.

    Example: agreements calendar --within 1y --alarm 2w -o partnerships.ics
    """
    from datetime import date, datetime

    from agreements.domain.periods import parse_period
    from agreements.exchange.calendar import ranked_events, write_events
    from agreements.render.output import stdout_bytes
    from agreements.store.atomic import output_file as atomic_output

    reminder = None if alarm is None else parse_period(alarm)
    if reminder is not None and reminder.after(date(2000, 1, 1)) > date(2001, 1, 1):
        raise InvalidInput(f"--alarm {alarm} is longer than a year", hint="for example --alarm 2w")
    now = today(as_of)
    if (start is None) != (end is None):
        raise InvalidInput("--from and --to go together", hint="give both, or use --within")
    first: date | None = None
    if start is not None and end is not None:
        if within is not None:
            raise InvalidInput(
                "--within does not go with --from and --to", hint="give one or the other"
            )
        first_date, last_date = option_date("--from", start), option_date("--to", end)
        assert first_date is not None and last_date is not None
        first, until = first_date.first_day(), last_date.last_day()
        if until < first:
            raise InvalidInput(f"--to {end} is before --from {start}")
        now = min(now, first)  # a period already begun keeps what it held, passed or not
    else:
        until = _until(now, within or "90d")
    the_register = register(context)
    if output_file is not None:
        the_register.files.refuse_as_output(output_file, "calendar")
    event = ranked_events(alarm=reminder, now=datetime.now().astimezone(), since=first)
    events: list[bytes] = _due(context, filters, now, until, kind, anniversaries, event)
    target = stdout_bytes() if output_file is None else atomic_output(output_file)
    with target as stream:
        count = write_events(events, stream)
    if output_file is not None:
        say(f"Wrote {count} event{'' if count == 1 else 's'} to {output_file}")


def _due(
    context: typer.Context,
    filters: FilterOptions,
    now: date,
    until: date,
    kinds: list[str] | None,
    anniversaries: str | None,
    make: ItemMaker[tuple[int, T] | None],
) -> list[T]:
    """The items due, soonest first, each as `make` makes it with its rank (or leaves it
    out, making None): the items are found and made on the core that parsed their
    agreements, and only the results are sorted."""
    from operator import itemgetter

    from agreements.domain.due import finder
    from agreements.store.snapshot import due_line_test

    snapshot = register(context).read()
    selected = filters.build(snapshot.vocabulary())
    watch = _watch(selected.watch(), kinds, anniversaries)
    find = finder(make, now, until, watch)

    def work(numbered: Iterator[tuple[int, Facts]]) -> list[tuple[int, T]]:
        ranked = [
            made for number, facts in numbered for made in find(number, facts) if made is not None
        ]
        ranked.sort(key=itemgetter(0))
        return ranked

    worth_reading = due_line_test(now, until, watch)
    ranked = snapshot.due_scan(selected, now, work, worth_reading=worth_reading)
    ranked.sort(key=itemgetter(0))  # each half is in order already: this merges them
    return [value for _, value in ranked]


def _watch(watch: Watch, kinds: list[str] | None, anniversaries: str | None) -> Watch:
    from dataclasses import replace

    from agreements.domain.due_dates import parse_anniversaries

    if kinds:
        watch = replace(watch, kinds=frozenset(_due_kind(text) for text in kinds))
    if anniversaries is not None:
        watch = replace(watch, anniversaries=parse_anniversaries(anniversaries))
    return watch


def _due_kind(text: str) -> DueKind:
    from agreements.domain.due import DueKind

    try:
        return DueKind(text.strip().lower().replace("_", "-").replace("followup", "follow-up"))
    except ValueError:
        allowed = ", ".join(kind.value for kind in DueKind)
        raise InvalidInput(f"unknown kind {text!r}", hint=f"choose from: {allowed}") from None


def _until(now: date, within: str) -> date:
    from agreements.domain.due import last_day_within
    from agreements.domain.periods import parse_period

    return last_day_within(parse_period(within), now)
