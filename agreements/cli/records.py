"""`add`, `show`, `edit` and `remove`: one agreement at a time."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    DateOrderOption,
    command_line,
    out_console,
    say,
    settings,
    stdin_is_terminal,
    today,
    write_out,
)
from agreements.errors import InvalidInput

if TYPE_CHECKING:
    from agreements.domain.parsing import AgreementInput

Many = list[str] | None
Title = Annotated[str | None, typer.Option(help='Title; default: the parties joined by " – ".')]
Type = Annotated[
    str | None,
    typer.Option(
        "--type",
        "-t",
        help="sister-city, friendship, cooperation, "
        "memorandum-of-understanding, letter-of-intent or other; aliases such as "
        "twinning, mou, collaboration work too. Example: --type collaboration",
    ),
]
Parties = Annotated[
    Many,
    typer.Option(
        "--party",
        "-p",
        metavar="NAME[, PARENT][, COUNTRY]",
        help='A party; repeat for each. Example: --party "Qixia District, Nanjing, China"',
    ),
]
Levels = Annotated[
    Many,
    typer.Option(
        "--level",
        metavar="NAME=LEVEL",
        help="Set a party's level when its name does not tell (city, district, "
        "municipality, county, region, province, state, country, other). "
        'Example: --level "Aarhus=municipality"',
    ),
]
Signatories = Annotated[
    Many,
    typer.Option(
        "--signatory",
        metavar="NAME; TITLE; PARTY",
        help="Who signed, for which party; repeat. Example: --signatory "
        '"Jacob Bundsgaard; Mayor; Aarhus"',
    ),
]
Signed = Annotated[
    str | None,
    typer.Option(
        "--signed",
        metavar="DATE",
        help="Date of signing: 2012-10-02, 2012-10, 2012 or "
        '"2 October 2012". Example: --signed 2012-10-02',
    ),
]
Place = Annotated[
    str | None, typer.Option(help='Where it was signed. Example: --place "Aarhus City Hall"')
]
Sectors = Annotated[
    Many,
    typer.Option(
        "--sector",
        "-s",
        help='A focus area from the vocabulary; repeat; end with "?" '
        "when only possible. Example: --sector cleantech --sector education?",
    ),
]
PossibleSectors = Annotated[
    Many,
    typer.Option(
        "--possible-sector",
        help="A focus area named as possible, not agreed. Example: --possible-sector education",
    ),
]
Expires = Annotated[
    str | None,
    typer.Option("--expires", metavar="DATE", help="When it ends. Example: --expires 2030"),
]
Review = Annotated[
    str | None,
    typer.Option(
        "--review", metavar="DATE", help="When it is due for review. Example: --review 2027-06"
    ),
]
StatusOption = Annotated[
    str | None,
    typer.Option(
        "--status",
        help="Set the status by hand: proposed, active, expired, suspended, "
        "terminated; 'auto' derives it from the dates again. Example: --status suspended",
    ),
]
StatusReason = Annotated[
    str | None,
    typer.Option(
        "--status-reason",
        help='Why the status was set by hand. Example: --status-reason "paused by the council"',
    ),
]
Notes = Annotated[
    Many,
    typer.Option(
        "--note", help='A note; repeat for paragraphs. Example: --note "Areas to be set in 2013"'
    ),
]
Sources = Annotated[
    Many,
    typer.Option(
        "--source",
        metavar="URL[; TITLE[; PUBLISHED]]",
        help='Where it is documented; repeat. Example: --source "https://example.org/news"',
    ),
]
Contacts = Annotated[
    Many,
    typer.Option(
        "--contact",
        metavar="NAME; ROLE; PHONE; EMAIL[; PARTY]",
        help="A contact; leave parts empty to skip them. Example: --contact "
        '"International Office; primary contact; +45 8940 2195; ; Aarhus"',
    ),
]
Tags = Annotated[Many, typer.Option("--tag", help="A free tag; repeat. Example: --tag nordic")]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", help="text (default) or json. Example: --format json"),
]


def _wants_json(output: str | None) -> bool:
    if output is None or output == "text":
        return False
    if output == "json":
        return True
    raise InvalidInput(f"unknown format {output!r}", hint="choose text or json")


def _print_record_json(record: object) -> None:
    import orjson

    write_out(orjson.dumps(record, option=orjson.OPT_INDENT_2).decode())


def _prompt_missing(given: AgreementInput) -> None:
    """On a terminal, ask for what `add` cannot do without; elsewhere that is an error."""
    from agreements.domain.model import AgreementType
    from agreements.domain.parsing import parse_party

    if len(given.parties) >= 2 and given.type is not None:
        return
    if not stdin_is_terminal():
        missing = "two parties (--party)" if len(given.parties) < 2 else "a type (--type)"
        raise InvalidInput(f"an agreement needs {missing}", hint="see 'agreements add --help'")
    while len(given.parties) < 2:
        number = len(given.parties) + 1
        spec = typer.prompt(f"Party {number} (NAME[, PARENT][, COUNTRY])", err=True)
        try:
            parse_party(spec)
        except InvalidInput as error:
            say(f"Error: {error.message}")
            continue
        given.parties.append(spec)
    if given.type is None:
        types = ", ".join(kind.value for kind in AgreementType)
        given.type = typer.prompt(f"Type ({types})", err=True)


@app.command()
def add(
    context: typer.Context,
    party: Parties = None,
    type_: Type = None,
    signed: Signed = None,
    place: Place = None,
    signatory: Signatories = None,
    sector: Sectors = None,
    possible_sector: PossibleSectors = None,
    title: Title = None,
    level: Levels = None,
    expires: Expires = None,
    review: Review = None,
    status: StatusOption = None,
    status_reason: StatusReason = None,
    note: Notes = None,
    source: Sources = None,
    contact: Contacts = None,
    tag: Tags = None,
    date_order: DateOrderOption = None,
    output: FormatOption = None,
) -> None:
    """Add an agreement and print its new id.

    Example:
      agreements add --party "Aarhus, Denmark" --party "Qixia District, Nanjing, China"
        --type collaboration --signed 2012-10-02 --sector cleantech --sector education?
    """
    from agreements.domain.parsing import AgreementInput, build_agreement

    given = AgreementInput(
        title=title, type=type_, parties=list(party or []), levels=list(level or []),
        signatories=list(signatory or []), signed=signed, place=place,
        sectors=list(sector or []), possible_sectors=list(possible_sector or []),
        expires=expires, review=review, status=status, status_reason=status_reason,
        notes=list(note or []), sources=list(source or []), contacts=list(contact or []),
        tags=list(tag or []),
    )  # fmt: skip
    as_json = _wants_json(output)
    _prompt_missing(given)
    register = settings(context).register()
    with register.change(command_line(context)) as change:
        agreement = build_agreement(given, change.vocabulary(), date_order)
        stored = change.add(agreement)
    if as_json:
        from agreements.domain.model import to_record

        _print_record_json(to_record(stored, today()))
    else:
        write_out(str(stored.id))
    signed_text = f", signed {stored.signed_on}" if stored.signed_on else ""
    say(f"Added agreement {stored.id}: {_safe(stored.title)}{signed_text}")


def _safe(text: str) -> str:
    from agreements.domain.text import printable

    return printable(text)


@app.command()
def show(
    context: typer.Context,
    agreement_id: Annotated[int, typer.Argument(metavar="ID", help="The agreement's id.")],
    output: FormatOption = None,
) -> None:
    """Show one agreement in full.

    Example: agreements show 1 --format json
    """
    as_json = _wants_json(output)
    register = settings(context).register()
    snapshot = register.read()
    agreement = snapshot.get(agreement_id)
    if as_json:
        from agreements.domain.model import to_record

        _print_record_json(to_record(agreement, today()))
        return
    from agreements.render.output import change_lines, detail_lines, detail_table, detail_text

    lines = detail_lines(agreement, today())
    for operation in register.history(agreement_id, snapshot.fingerprint):
        changes = "\n".join(change_lines(operation.changes))
        lines.append(("History", f"#{operation.number} {operation.time}: {changes}"))
    if sys.stdout.isatty():
        out_console().print(detail_table(lines))
    else:
        write_out(detail_text(lines))


@app.command()
def edit(
    context: typer.Context,
    agreement_id: Annotated[int, typer.Argument(metavar="ID", help="The agreement's id.")],
    party: Parties = None,
    add_party: Annotated[
        Many,
        typer.Option(
            "--add-party",
            metavar="NAME[, PARENT][, COUNTRY]",
            help='Add a party. Example: --add-party "Turku, Finland"',
        ),
    ] = None,
    remove_party: Annotated[
        Many,
        typer.Option(
            "--remove-party", metavar="NAME", help="Remove a party. Example: --remove-party Turku"
        ),
    ] = None,
    type_: Type = None,
    signed: Signed = None,
    place: Place = None,
    signatory: Signatories = None,
    sector: Sectors = None,
    possible_sector: PossibleSectors = None,
    add_sector: Annotated[
        Many,
        typer.Option(
            "--add-sector", help='Add a sector ("?" for possible). Example: --add-sector energy'
        ),
    ] = None,
    remove_sector: Annotated[
        Many,
        typer.Option("--remove-sector", help="Remove a sector. Example: --remove-sector education"),
    ] = None,
    title: Title = None,
    level: Levels = None,
    expires: Expires = None,
    review: Review = None,
    status: StatusOption = None,
    status_reason: StatusReason = None,
    note: Notes = None,
    source: Sources = None,
    contact: Contacts = None,
    tag: Tags = None,
    add_tag: Annotated[
        Many, typer.Option("--add-tag", help="Add a tag. Example: --add-tag nordic")
    ] = None,
    remove_tag: Annotated[
        Many, typer.Option("--remove-tag", help="Remove a tag. Example: --remove-tag nordic")
    ] = None,
    clear: Annotated[
        Many,
        typer.Option(
            "--clear",
            metavar="FIELD",
            help="Empty a field: place, signed, expires, review, status, status-reason, notes, signatories, sectors, contacts, sources, tags; title goes back to the default. Example: --clear place",
        ),
    ] = None,
    date_order: DateOrderOption = None,
    output: FormatOption = None,
) -> None:
    """Change an agreement and print what changed.

    Options that also exist on `add` replace the field (a repeated option replaces the
    whole list); --add-* and --remove-* change one item.

    Example: agreements edit 1 --add-sector energy --place "Aarhus City Hall"
    """
    from agreements.domain.parsing import AgreementEdit, apply_edit

    given = AgreementEdit(
        title=title, type=type_, parties=list(party or []), levels=list(level or []),
        signatories=list(signatory or []), signed=signed, place=place,
        sectors=list(sector or []), possible_sectors=list(possible_sector or []),
        expires=expires, review=review, status=status, status_reason=status_reason,
        notes=list(note or []), sources=list(source or []), contacts=list(contact or []),
        tags=list(tag or []), add_parties=list(add_party or []),
        remove_parties=list(remove_party or []), add_sectors=list(add_sector or []),
        remove_sectors=list(remove_sector or []), add_tags=list(add_tag or []),
        remove_tags=list(remove_tag or []), clear=list(clear or []),
    )  # fmt: skip
    as_json = _wants_json(output)
    from agreements.domain.model import changed_fields, to_record

    with settings(context).register().change(command_line(context)) as change:
        old = change.get(agreement_id)
        new = apply_edit(old, given, change.vocabulary(), date_order)
        differences = changed_fields(old, new, today())
        stored = change.put(new) if differences else old
    if as_json:
        _print_record_json(to_record(stored, today()))
        return
    from agreements.render.output import describe

    if not differences:
        say(f"Agreement {agreement_id}: nothing changed.")
        return
    lines = [f"Changed agreement {agreement_id}:"]
    lines += [f"  {name}: {describe(a)} → {describe(b)}" for name, a, b in differences]
    write_out(_safe("\n".join(lines)))


@app.command()
def remove(
    context: typer.Context,
    agreement_id: Annotated[int, typer.Argument(metavar="ID", help="The agreement's id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove an agreement. Its id is never given out again.

    Example: agreements remove 7 --yes
    """
    register = settings(context).register()
    if not yes:
        agreement = register.read().get(agreement_id)
        if not stdin_is_terminal():
            raise InvalidInput(
                f"not removing agreement {agreement_id} without confirmation",
                hint="add --yes to remove it",
            )
        question = f"Remove agreement {agreement_id} ({_safe(agreement.title)})?"
        if not typer.confirm(question, err=True):
            say("Nothing removed.")
            return
    with register.change(command_line(context)) as change:
        removed = change.remove(agreement_id)
    say(f"Removed agreement {agreement_id}: {_safe(removed.title)}")
