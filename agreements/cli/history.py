"""`history`, `undo` and `check`: seeing what changed, taking it back, and finding damage."""

from __future__ import annotations

from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import command_line, say, settings, write_out
from agreements.errors import CorruptDatabase, InvalidInput

TextOrJson = Annotated[
    str, typer.Option("--format", "-f", help="text or json. Example: --format json")
]


def _as_json(output: str) -> bool:
    if output not in ("text", "json"):
        raise InvalidInput(f"unknown format {output!r}", hint="choose text or json")
    return output == "json"


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
    output: TextOrJson = "text",
) -> None:
    """List the changes made to the register, newest first, field by field.

    Every command that changes the register is one operation: an import of 5,000 rows
    too. 'agreements undo' takes back the newest one not yet undone.

    Example: agreements history 3
    """
    from agreements.render.output import change_lines, operation_heading, operations_json
    from agreements.store.history import undone_numbers

    as_json = _as_json(output)
    register = settings(context).register()
    if agreement_id is not None:
        register.read().get(agreement_id)  # an unknown id is an error, not an empty history
    operations = register.history(agreement_id)
    undone = undone_numbers(operations)
    shown = operations[-limit:] if limit else operations
    if as_json:
        write_out(operations_json(shown, undone))
        return
    if not shown:
        say("No changes recorded yet.")
        return
    lines = []
    for operation in reversed(shown):
        lines.append(operation_heading(operation, undone.get(operation.number)))
        lines += ["    " + line for line in change_lines(operation.changes, limit=10)]
    write_out("\n".join(lines))
    if len(shown) < len(operations):
        say(f"({len(operations) - len(shown)} older operations; -n 0 shows all)")


@app.command()
def undo(context: typer.Context) -> None:
    """Take back the newest operation not yet undone; run it again to go further back.

    The register returns exactly to what it was before that operation, and the undo is
    itself recorded in the history.

    Example: agreements undo
    """
    from agreements.domain.text import printable
    from agreements.render.output import change_lines
    from agreements.store.history import reverted

    register = settings(context).register()
    target = register.undo(command_line(context))
    lines = [printable(f"Undid #{target.number} from {target.time}: {target.command}")]
    lines += ["  " + line for line in change_lines(reverted(target.changes), limit=20)]
    write_out("\n".join(lines))


@app.command()
def check(context: typer.Context, output: TextOrJson = "text") -> None:
    """Check the register file and list every problem with its record and field.

    Exits 0 when the file is sound and 5 when it has problems; broken JSON is reported
    with its line, column and byte.

    Example: agreements check
    """
    import orjson

    from agreements.store.check import check_register

    as_json = _as_json(output)
    report = check_register(settings(context).register())
    if as_json:
        data = {
            "file": str(report.path),
            "clean": report.clean,
            "agreements": report.agreements,
            "problems": report.problems,
            "notes": report.notes,
        }
        write_out(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
    else:
        from agreements.domain.text import printable

        write_out(printable("\n".join([*report.problems, *report.notes])) or "")
    if not report.clean:
        raise CorruptDatabase(
            f"{report.path}: {len(report.problems)} problems",
            hint="fix them in the file, or restore the .bak file beside it",
        )
    say(f"{report.path}: no problems in {report.agreements} agreements")
