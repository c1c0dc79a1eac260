"""`sectors`: the vocabulary of focus areas, and adding to it or removing from it on purpose."""

from __future__ import annotations

from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import command_line, register, say, write_out

sectors_app = typer.Typer(
    help="The vocabulary of sectors (focus areas).", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(sectors_app, name="sectors")


@sectors_app.command("list")
def list_(context: typer.Context) -> None:
    """List the known sectors and their synonyms, one per line.

    Example: agreements sectors list
    """
    vocabulary = register(context).read().vocabulary()
    lines = []
    for term in sorted(vocabulary.terms, key=lambda term: term.name):
        mark = " (added to this register)" if term.custom else ""
        synonyms = f": {', '.join(term.synonyms)}" if term.synonyms else ""
        lines.append(f"{term.name}{mark}{synonyms}")
    write_out("\n".join(lines))


@sectors_app.command("add")
def add(
    context: typer.Context,
    name: Annotated[str, typer.Argument(help="The new sector, lowercase with hyphens.")],
    synonym: Annotated[
        list[str] | None,
        typer.Option(
            "--synonym", help="Another name that means it; repeat. Example: --synonym 'food safety'"
        ),
    ] = None,
) -> None:
    """Add a sector to this register's vocabulary, on purpose.

    Example: agreements sectors add food-security --synonym "food safety"
    """
    from agreements.domain.vocabulary import new_sector_term

    with register(context).change(command_line(context)) as transaction:
        term = new_sector_term(name, synonym or [], transaction.vocabulary())
        transaction.add_sector(term)
    say(f"Added the sector {term.name!r}")


@sectors_app.command("remove")
def remove(
    context: typer.Context,
    name: Annotated[str, typer.Argument(help="A sector this register added, unused.")],
) -> None:
    """Remove a sector added to this register, when no agreement uses it (undoable).

    Example: agreements sectors remove food-security
    """
    from agreements.domain.vocabulary import removable_sector
    from agreements.errors import InvalidInput

    with register(context).change(command_line(context)) as transaction:
        sector = removable_sector(name, transaction.vocabulary())
        uses = transaction.sector_uses(sector)
        if uses:
            raise InvalidInput(
                f"the sector {sector!r} is used by {uses:,} agreement{'' if uses == 1 else 's'}",
                hint=f"see 'agreements list --sector {sector}'",
            )
        transaction.remove_sector(sector)
    say(f"Removed the sector {sector!r}")
