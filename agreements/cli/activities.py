"""`activity add`, `activity list` and `activity remove`: what partners do together."""

from __future__ import annotations

from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    command_line,
    out_console,
    register,
    say,
    stdout_is_terminal,
    today,
)
from agreements.cli.options import AsOfOption, DateOrderOption, format_option
from agreements.formats import Format, Formats

ACTIVITY_FORMATS = Formats((Format.TABLE, Format.CSV, Format.TSV, Format.JSON), piped=Format.TSV)

activity_app = typer.Typer(
    help="What partners do together: visits, delegations, exchanges, projects.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(activity_app, name="activity")

AgreementId = Annotated[int, typer.Argument(metavar="ID", help="The agreement's id.")]
Host = Annotated[
    str | None,
    typer.Option("--party", "-p", help="The party that hosted or led it. Example: --party Aarhus"),
]
FollowUp = Annotated[
    str | None,
    typer.Option(
        "--follow-up",
        metavar="DATE",
        help="When the next step is due ('agreements due' lists it). Example: --follow-up 2024-07-01",
    ),
]
FollowUpNote = Annotated[
    str | None,
    typer.Option(
        "--follow-up-note",
        metavar="TEXT",
        help='With --follow-up: what the next step is. Example: --follow-up-note "send the draft programme"',
    ),
]


@activity_app.command("add")
def add(
    context: typer.Context,
    agreement_id: AgreementId,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="visit, delegation, meeting, exchange, project, event, correspondence, "
            "funding or other (trip, conference, grant … work too). Example: --kind delegation",
        ),
    ],
    on: Annotated[
        str,
        typer.Option("--on", metavar="DATE", help="When it took place. Example: --on 2024-05-14"),
    ],
    summary: Annotated[
        str,
        typer.Option(
            "--summary",
            help='What happened, in a line. Example: --summary "Harbour delegation to Qixia"',
        ),
    ],
    party: Host = None,
    follow_up: FollowUp = None,
    follow_up_note: FollowUpNote = None,
    date_order: DateOrderOption = None,
) -> None:
    """Record an activity of an agreement: one change, which 'agreements undo' takes back.

    Example: agreements activity add 1 --kind delegation --on 2024-05-14
      --summary "Harbour delegation to Qixia" --party Aarhus --follow-up 2024-07-01
      --follow-up-note "send the draft programme"
    """
    from agreements.domain.activities import (
        ActivityInput,
        build_activity,
        refuse_if_recorded,
        with_activities,
    )
    from agreements.render.activities import activity_line

    given = ActivityInput(kind, on, summary, party, follow_up, follow_up_note)
    with register(context).change(command_line(context)) as transaction:
        agreement = transaction.get(agreement_id)
        activity = build_activity(agreement, given, date_order)
        refuse_if_recorded(agreement, activity)
        stored = transaction.put(with_activities(agreement, [activity]))
    number = stored.activities.index(activity) + 1
    say(f"Added activity {number} to agreement {agreement_id}: {activity_line(activity)}")


@activity_app.command("edit")
def edit(
    context: typer.Context,
    agreement_id: AgreementId,
    number: Annotated[
        int,
        typer.Argument(metavar="N", help="The activity's number, as 'activity list ID' shows it."),
    ],
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="A new kind. Example: --kind visit")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="A new date. Example: --on 2024-05-15"),
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="A new summary.")] = None,
    party: Host = None,
    follow_up: FollowUp = None,
    follow_up_note: FollowUpNote = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            metavar="FIELD",
            help="Empty party, follow-up (date and note: the step is done) or follow-up-note. "
            "Example: --clear follow-up",
        ),
    ] = None,
    date_order: DateOrderOption = None,
) -> None:
    """Change one activity of an agreement, for instance when its follow-up is done.

    Example: agreements activity edit 1 2 --clear follow-up
    """
    from agreements.domain.activities import (
        ActivityEdit,
        activity_numbered,
        edited_activity,
        refuse_if_recorded,
        with_activity_replaced,
    )
    from agreements.render.activities import activity_line

    given = ActivityEdit(kind, on, summary, party, follow_up, follow_up_note, tuple(clear or ()))
    with register(context).change(command_line(context)) as transaction:
        agreement = transaction.get(agreement_id)
        old = activity_numbered(agreement, number)
        new = edited_activity(agreement, old, given, date_order)
        if new == old:
            say(f"Activity {number} of agreement {agreement_id}: nothing changed.")
            transaction.discard()
            return
        refuse_if_recorded(agreement, new, besides=number)
        stored = transaction.put(with_activity_replaced(agreement, number, new))
    now_number = stored.activities.index(new) + 1
    say(f"Changed activity {number} of agreement {agreement_id}: {activity_line(old)}")
    say(f"  now activity {now_number}: {activity_line(new)}")


@activity_app.command("list")
def list_(
    context: typer.Context,
    agreement_id: Annotated[
        int | None,
        typer.Argument(metavar="[ID]", help="Only this agreement's activities."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only activities from this date on. Example: --since 2024",
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", "-k", help="Only this kind; repeat for several. Example: --kind visit"
        ),
    ] = None,
    as_of: AsOfOption = None,
    output: Annotated[str | None, format_option(ACTIVITY_FORMATS)] = None,
) -> None:
    """List activities, newest first, with the number 'activity remove' takes.

    Example: agreements activity list 1 --since 2020
    """
    from agreements.domain.activities import listed_activities
    from agreements.domain.dates import parse_date
    from agreements.domain.queries import Filters
    from agreements.domain.records import stored_record
    from agreements.domain.values import parse_activity_kind
    from agreements.render.activities import write_activities
    from agreements.render.output import stdout_bytes

    chosen = ACTIVITY_FORMATS.choose(output, stdout_is_terminal())
    kinds = frozenset(parse_activity_kind(text) for text in kind or ())
    start = None if since is None else parse_date(since)
    now = today(as_of)
    snapshot = register(context).read()
    if agreement_id is None:
        hits = snapshot.query(Filters(), now)
    else:
        hits = iter([(agreement_id, stored_record(snapshot.get(agreement_id)))])
    rows = listed_activities(hits, kinds, start)
    with stdout_bytes() as stream:
        write_activities(rows, now, chosen, stream, out_console)


@activity_app.command("remove")
def remove(
    context: typer.Context,
    agreement_id: AgreementId,
    number: Annotated[
        int,
        typer.Argument(metavar="N", help="The activity's number, as 'activity list ID' shows it."),
    ],
) -> None:
    """Remove one activity of an agreement; 'agreements undo' brings it back.

    Example: agreements activity remove 1 2
    """
    from agreements.domain.activities import without_activity
    from agreements.render.activities import activity_line

    with register(context).change(command_line(context)) as transaction:
        changed, removed = without_activity(transaction.get(agreement_id), number)
        transaction.put(changed)
    say(f"Removed activity {number} of agreement {agreement_id}: {activity_line(removed)}")
