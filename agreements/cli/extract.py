"""`extract`: draft a record from an announcement, every value beside its evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    command_line,
    out_console,
    read_input,
    register,
    say,
    stdin_is_terminal,
    stdout_is_terminal,
    whole_day,
)
from agreements.cli.options import format_option
from agreements.errors import InvalidInput, NotFound
from agreements.formats import Format, Formats

if TYPE_CHECKING:
    from agreements.domain.drafting.drafts import Announcement, Draft
    from agreements.domain.vocabulary import Vocabulary

EXTRACT_FORMATS = Formats((Format.TABLE, Format.JSON))


@app.command()
def extract(
    context: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="The announcement: a text file, an HTML page (.html), or - for stdin.",
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="The day the text was published, which 'yesterday', 'on Tuesday' and "
            "dates without a year are read against (else a date line in the text, else "
            "they give nothing). Example: --published 2012-10-12",
        ),
    ] = None,
    number: Annotated[
        int | None,
        typer.Option(
            "--draft",
            min=1,
            help="Only the Nth draft, when the text names several agreements. Example: --draft 2",
        ),
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Add the drafts to the register, as 'add' would, after asking on a "
            "terminal. Example: --save --yes",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="With --save: do not ask. Example: --save --yes")
    ] = False,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Where the text was published, stored as the record's source with --save. "
            "Example: --source https://example.org/news/42",
        ),
    ] = None,
    output: Annotated[str | None, format_option(EXTRACT_FORMATS)] = None,
) -> None:
    """Draft a record from an announcement, each value beside the words it came from.

    Rules read the text offline: the parties and their countries, the signatories (only
    those the text says signed), the date (a relative one only against --published or
    a date line), the place, the type, the focus areas (agreed or possible) and whether
    the signing is still to come. A value the text does not support is left empty.

    Example:
      agreements extract press-release.txt --published 2012-10-12
      agreements extract page.html --source https://example.org/news/42 --save
    """
    from agreements.domain.drafting.drafts import read_announcement
    from agreements.exchange.announcements import announcement_text

    chosen = EXTRACT_FORMATS.choose(output, stdout_is_terminal())
    day = None if published is None else whole_day(published, "--published")
    source_spec = None if source is None else _source_spec(source)
    name = "stdin" if file == "-" else file
    text = announcement_text(read_input(file), name)
    the_register = register(context) if save else None
    vocabulary = _vocabulary() if the_register is None else the_register.read().vocabulary()
    announcement = read_announcement(text, vocabulary, day)
    drafts = announcement.drafts
    if not drafts:
        raise NotFound(
            f"no agreement found in {name}: no sentence says one was signed or is to be signed",
            hint="add it by hand with 'agreements add'",
        )
    if number is not None:
        if number > len(drafts):
            raise InvalidInput(f"there is no draft {number}: the text gives {len(drafts)}")
        drafts = [drafts[number - 1]]
    source_record = _source_record(source, announcement)
    _show(announcement, drafts, source_record, chosen, number)
    if the_register is None:
        return
    _refuse_unsaveable(drafts, number)
    if not yes:
        if not stdin_is_terminal():
            raise InvalidInput(
                "not adding the draft without confirmation", hint="add --yes to add it"
            )
        many = f"these {len(drafts)} agreements" if len(drafts) > 1 else "this agreement"
        if not typer.confirm(f"Add {many} to the register?", err=True):
            say("Nothing added.")
            return
    if source_spec is not None and announcement.publication is not None:
        source_spec = f"{source_spec}; ; {announcement.publication.day.isoformat()}"
    _add(context, drafts, source_spec)


def _source_spec(url: str) -> str:
    from agreements.domain.parsing import parse_source

    parse_source(url)  # refused here, before anything is read, if it is not a web address
    if ";" in url:
        raise InvalidInput(f"the source {url!r} holds a ';'", hint="give the address without it")
    return url


def _vocabulary() -> Vocabulary:
    from agreements.domain.vocabulary import shipped_vocabulary

    return shipped_vocabulary()


def _source_record(url: str | None, announcement: Announcement) -> dict[str, Any] | None:
    if url is None:
        return None
    publication = announcement.publication
    return {
        "url": url,
        "title": None,
        "published_on": None if publication is None else publication.day.isoformat(),
    }


def _show(
    announcement: Announcement,
    drafts: list[Draft],
    source: dict[str, Any] | None,
    chosen: Format,
    number: int | None,
) -> None:
    if chosen is Format.JSON:
        from agreements.render.drafts import drafts_document
        from agreements.render.output import stdout_bytes, write_json

        with stdout_bytes() as stream:
            write_json(drafts_document(announcement, drafts, source), stream)
        return
    from agreements.render.drafts import draft_table

    console = out_console()
    total = len(announcement.drafts)
    for at, draft in enumerate(drafts, start=number or 1):
        heading = f"Draft {at} of {total}: {draft.title}" if total > 1 else f"Draft: {draft.title}"
        console.print(draft_table(draft, heading))


def _refuse_unsaveable(drafts: list[Draft], number: int | None) -> None:
    for at, draft in enumerate(drafts, start=number or 1):
        problems = draft.problems()
        if problems:
            which = f"draft {at}" if len(drafts) > 1 or number else "the draft"
            raise InvalidInput(
                f"{which} cannot be added as it is: {problems[0]}",
                hint="add it by hand with 'agreements add'"
                + ("" if len(drafts) == 1 else ", or save another with --draft N"),
            )


def _add(context: typer.Context, drafts: list[Draft], source: str | None) -> None:
    from agreements.domain.drafting.drafts import draft_input
    from agreements.domain.editing import build_agreement

    added = []
    with register(context).change(command_line(context)) as transaction:
        for draft in drafts:
            agreement = build_agreement(draft_input(draft, source), transaction.vocabulary())
            added.append(transaction.add(agreement))
    for stored in added:
        signed = f", signed {stored.signed_on}" if stored.signed_on else ""
        say(f"Added agreement {stored.id}: {stored.title}{signed}")
