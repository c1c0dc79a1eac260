"""`check`: finding every problem of a register file, with its record and field."""

from __future__ import annotations

from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import command_line, register, say, stdout_is_terminal, write_out
from agreements.cli.options import format_option
from agreements.domain.text import counted
from agreements.errors import CorruptDatabase, InvalidInput
from agreements.formats import Format, Formats

CHECK_FORMATS = Formats((Format.TEXT, Format.JSON))


@app.command()
def check(
    context: typer.Context,
    output: Annotated[str | None, format_option(CHECK_FORMATS)] = None,
    accept_edit: Annotated[
        bool,
        typer.Option(
            "--accept-edit",
            help="Keep a file changed outside agreements (by hand, or by another tool) as it "
            "is, when it is a sound register: it is sealed again, as an operation.",
        ),
    ] = False,
    restore_backup: Annotated[
        bool,
        typer.Option(
            "--restore-backup",
            help="Put the backup back as the register, as an operation; the file it replaces "
            "becomes the backup, so running it again swaps them back.",
        ),
    ] = False,
) -> None:
    """Check the register file and list every problem with its record and field.

    Exits 0 when the file is sound and 5 when it has problems; broken JSON is reported
    with its line, column and byte. It reads the file the strict way whatever its seal
    says, and checks the history and the backup against it.

    Example: agreements check --accept-edit
    """
    from agreements.render.output import stdout_bytes, write_json
    from agreements.store.check import check_register

    if accept_edit and restore_backup:
        raise InvalidInput("--accept-edit and --restore-backup go one at a time")
    if accept_edit or restore_backup:
        _repair(context, restore_backup)
        return
    chosen = CHECK_FORMATS.choose(output, stdout_is_terminal())
    the_register = register(context)
    report = check_register(the_register)
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
        checked = "checked: " + ", ".join(report.checked) if report.checked else ""
        write_out("\n".join([*report.problems, *report.notes, checked]))
    if not report.clean:
        count = len(report.problems)
        way_back = (
            f", or put the backup {the_register.backup_path.name} back with "
            "'agreements check --restore-backup'"
            if the_register.backup_path.is_file()
            else ""
        )
        raise CorruptDatabase(
            f"{report.path}: {counted(count, 'problem')}",
            hint=f"fix {'it' if count == 1 else 'them'} in the file{way_back}",
        )
    say(f"{report.path}: no problems in {counted(report.agreements, 'agreement')}")


def _repair(context: typer.Context, restore_backup: bool) -> None:
    from agreements.store.repair import accept_edit
    from agreements.store.repair import restore_backup as restore

    the_register = register(context)
    if restore_backup:
        number = restore(the_register, command_line(context))
        say(
            f"Put the backup back as operation #{number}; the file it replaced is now "
            f"{the_register.backup_path} (run it again to swap them back)"
        )
    elif accept_edit(the_register, command_line(context)):
        say(f"Accepted {the_register.path} as it is: sealed again, as an operation")
    else:
        say(f"Nothing to accept: {the_register.path} is as agreements left it")
