"""`check`: finding every problem of a register file, with its record and field."""

from __future__ import annotations

from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import register, say, stdout_is_terminal, write_out
from agreements.cli.options import format_option
from agreements.errors import CorruptDatabase
from agreements.formats import Format, Formats

CHECK_FORMATS = Formats((Format.TEXT, Format.JSON))


@app.command()
def check(
    context: typer.Context,
    output: Annotated[str | None, format_option(CHECK_FORMATS)] = None,
) -> None:
    """Check the register file and list every problem with its record and field.

    Exits 0 when the file is sound and 5 when it has problems; broken JSON is reported
    with its line, column and byte.

    Example: agreements check
    """
    from agreements.render.output import stdout_bytes, write_json
    from agreements.store.check import check_register

    chosen = CHECK_FORMATS.choose(output, stdout_is_terminal())
    report = check_register(register(context))
    if chosen is Format.JSON:
        data = {
            "file": str(report.path),
            "clean": report.clean,
            "agreements": report.agreements,
            "problems": report.problems,
            "notes": report.notes,
        }
        with stdout_bytes() as stream:
            write_json(data, stream)
    else:
        write_out("\n".join([*report.problems, *report.notes]))
    if not report.clean:
        raise CorruptDatabase(
            f"{report.path}: {len(report.problems)} problems",
            hint="fix them in the file, or restore the .bak file beside it",
        )
    say(f"{report.path}: no problems in {report.agreements} agreements")
