"""`history` and `undo`: what changed, and taking it back."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    command_line,
    people_width,
    register,
    say,
    stdin_is_terminal,
    stdout_is_terminal,
    write_out,
)
from agreements.cli.options import format_option
from agreements.domain.text import counted, printable
from agreements.errors import ExitCode
from agreements.formats import Format, Formats

HISTORY_FORMATS = Formats((Format.TEXT, Format.JSON))
LARGE_UNDO = 20
"""An undo of more agreements than this asks first, on a terminal."""


@app.command()
def history(
    context: typer.Context,
    agreement_id: Annotated[
        int | None,
        typer.Argument(metavar="[ID]", help="Only the operations that changed this agreement."),
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, help="Show the latest N operations; 0 shows all. Example: -n 5"
        ),
    ] = 20,
    output: Annotated[str | None, format_option(HISTORY_FORMATS)] = None,
) -> None:
    """List the changes made to the register, newest first, field by field.

    Every command that changes the register is one operation: an import of 5,000 rows
    too. 'agreements undo' takes back the newest one not yet undone.

    Example: agreements history 3
    """
    from agreements.render.operations import (
        for_people,
        operation_heading,
        operation_lines,
        operations_data,
    )
    from agreements.render.output import stdout_bytes, write_json

    chosen = HISTORY_FORMATS.choose(output, stdout_is_terminal())
    the_register = register(context)
    if agreement_id is not None:
        operations, ledger = the_register.history(agreement_id)
        if not operations:  # an unknown id is an error, not an empty history; a removed one
            the_register.read().get(agreement_id)  # still has the operations that touched it
        total = len(operations)
        shown = operations[-limit:] if limit else operations
    elif limit:
        shown, ledger, total = the_register.latest(limit)
    else:
        shown, ledger = the_register.history()
        total = len(shown)
    if chosen is Format.JSON:
        with stdout_bytes() as stream:
            write_json(operations_data(shown, ledger), stream)
        return
    if not shown:
        say("No changes recorded yet.")
        return
    lines = []
    for operation in reversed(shown):
        lines.append(operation_heading(operation, ledger))
        changes = operation_lines(operation, limit=10)
        lines += ["    " + row for line in changes for row in line.split("\n")]
    write_out(for_people(lines, people_width()))
    if len(shown) < total:
        say(f"({counted(total - len(shown), 'older operation')}; -n 0 shows all)")


@app.command()
def undo(
    context: typer.Context,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help=f"Do not ask before undoing more than {LARGE_UNDO} agreements."
        ),
    ] = False,
) -> None:
    """Take back the newest operation not yet undone; run it again to go further back.

    The register returns exactly to what it was before that operation, and the undo is
    itself recorded in the history. On a terminal it asks first when that operation
    changed more than 20 agreements (an import, say); --yes does not ask.

    Example: agreements undo --yes
    """
    from agreements.render.operations import change_lines, for_people
    from agreements.render.relative import local_moment
    from agreements.store.history import reverted

    the_register = register(context)
    expected = None
    if not yes and stdin_is_terminal():
        pending = the_register.next_undo()
        if pending is not None and pending[1] > LARGE_UNDO:
            commit, count = pending
            question = (
                f"Undo #{commit.number} from {local_moment(commit.time)} ({commit.command}), which changed "
                f"{count} agreements?"
            )
            if not typer.confirm(printable(question), err=True):
                say("Nothing undone.")
                sys.exit(ExitCode.INTERRUPTED)  # as a Ctrl-C at the question would, but quietly
            expected = commit.number
    target = the_register.undo(command_line(context), expected)
    lines = [f"Undid #{target.number} from {local_moment(target.time)}: {target.command}"]
    if target.upgrade_to is not None:
        lines.append(f"  the register file is back in the schema before {target.upgrade_to}")
    else:
        changes = change_lines(reverted(target.changes), limit=20)
        lines += ["  " + row for line in changes for row in line.split("\n")]
    write_out(for_people(lines, people_width()))
