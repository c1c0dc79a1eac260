"""`where`: the register file in use, what chose it, and what it holds."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import register, settings, write_out
from agreements.cli.options import format_option
from agreements.errors import AgreementsError
from agreements.formats import Format, Formats

if TYPE_CHECKING:
    from agreements.render.where import Whereabouts

WHERE_FORMATS = Formats((Format.TEXT, Format.JSON))


@app.command()
def where(
    context: typer.Context,
    output: Annotated[str | None, format_option(WHERE_FORMATS)] = None,
) -> None:
    """Show which register file is in use, why (--db, AGREEMENTS_DB or the default), and
    whether there is a register there yet.

    Example: agreements where
    """
    from agreements.cli.context import stdout_is_terminal

    chosen = WHERE_FORMATS.choose(output, stdout_is_terminal())
    found = whereabouts(context, count=True)
    if chosen is Format.JSON:
        from agreements.render.output import stdout_bytes, write_json
        from agreements.render.where import where_data

        with stdout_bytes() as stream:
            write_json(where_data(found), stream)
        return
    from agreements.render.where import where_text

    write_out(where_text(found))


def whereabouts(context: typer.Context, *, count: bool) -> Whereabouts:
    """The register file of this run; with `count`, how many agreements it holds (read
    without a lock, nothing written)."""
    from agreements.render.where import Whereabouts
    from agreements.store.location import locate_db

    db_option = settings(context).db_option
    _, source = locate_db(db_option)
    files = register(context)
    exists = os.path.exists(files.path)  # noqa: PTH110 (False where it cannot be looked at)
    if not (count and exists):
        return Whereabouts(files.path, source, db_option, exists)
    try:
        held = files.read().agreement_count()
    except AgreementsError as error:
        return Whereabouts(files.path, source, db_option, exists, problem=error.message)
    return Whereabouts(files.path, source, db_option, exists, agreements=held)
