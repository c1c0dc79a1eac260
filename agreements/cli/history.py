"""`history` and `undo`: what changed, and taking it back."""

from __future__ import annotations

from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    command_line,
    people_width,
    register,
    say,
    stdout_is_terminal,
    write_out,
)
from agreements.cli.options import format_option
from agreements.domain.text import counted
from agreements.formats import Format, Formats

HISTORY_FORMATS = Formats((Format.TEXT, Format.JSON))


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
def undo(context: typer.Context) -> None:
    """Take back the newest operation not yet undone; run it again to go further back.

    The register returns exactly to what it was before that operation, and the undo is
    itself recorded in the history.

    Example: agreements undo
    """
    from agreements.render.operations import change_lines, for_people
    from agreements.store.history import reverted

    target = register(context).undo(command_line(context))
    lines = [f"Undid #{target.number} from {target.time}: {target.command}"]
    if target.upgrade_to is not None:
        lines.append(f"  the register file is back in the schema before {target.upgrade_to}")
    else:
        changes = change_lines(reverted(target.changes), limit=20)
        lines += ["  " + row for line in changes for row in line.split("\n")]
    write_out(for_people(lines, people_width()))
