"""`add`, `show`, `edit` and `remove`: one agreement at a time."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import (
    command_line,
    out_console,
    people_width,
    register,
    say,
    stdin_is_terminal,
    stdout_is_terminal,
    today,
    write_out,
)
from agreements.cli.options import AsOfOption, DateOrderOption, format_option
from agreements.cli.record_options import (
    Contacts,
    CouncilResolution,
    Effective,
    Expires,
    Levels,
    Many,
    Namesakes,
    Notes,
    Notice,
    Parties,
    Place,
    PossibleSectors,
    RenewalOption,
    Review,
    Sectors,
    Signatories,
    Signed,
    Sources,
    StatusOption,
    StatusReason,
    Tags,
    Title,
    Type,
)
from agreements.domain.text import printable
from agreements.errors import ExitCode, InvalidInput
from agreements.formats import Format, Formats

if TYPE_CHECKING:
    from agreements.domain.dates import DateOrder
    from agreements.domain.editing import AgreementInput
    from agreements.domain.model import Agreement

RECORD_FORMATS = Formats((Format.TEXT, Format.JSON))
FormatOption = Annotated[str | None, format_option(RECORD_FORMATS)]


def _wants_json(output: str | None) -> bool:
    return RECORD_FORMATS.choose(output, stdout_is_terminal()) is Format.JSON


def _print_json(agreement: Agreement, as_of: str | None = None) -> None:
    from agreements.domain.records import exchanged_record
    from agreements.render.output import stdout_bytes, write_json

    with stdout_bytes() as stream:
        write_json(exchanged_record(agreement, today(as_of)), stream)


def _prompt(
    given: AgreementInput, interactive: bool, context: typer.Context, order: DateOrder | None
) -> None:
    """Ask on a terminal (or with --interactive): every field when no party was given,
    else what `add` cannot do without. Without a terminal a missing field is an error.
    Ctrl-D or Ctrl-C at a question ends `add` with nothing saved."""
    from agreements.cli import add_prompts

    everything = interactive or (not given.parties and stdin_is_terminal())
    if not everything and len(given.parties) >= 2 and given.type is not None:
        return
    if not everything and not stdin_is_terminal():
        missing = "two parties (--party)" if len(given.parties) < 2 else "a type (--type)"
        raise InvalidInput(f"an agreement needs {missing}", hint="see 'agreements add --help'")
    try:
        if everything:
            vocabulary = register(context).read().vocabulary()
            add_prompts.ask_everything(given, vocabulary, order)
            return
        add_prompts.ask_parties(given, more=False)
        if given.type is None:
            add_prompts.ask_type(given)
    except typer.Abort:
        typer.echo(err=True)  # end the line of the question
        say("Stopped: no agreement was added.")
        sys.exit(ExitCode.INTERRUPTED)


def _agreements(numbers: list[int]) -> str:
    """ "agreement 3 has", "agreements 3 and 5 have", "agreements 3, 5 and 8 have"."""
    if len(numbers) == 1:
        return f"agreement {numbers[0]} has"
    listed = ", ".join(str(n) for n in numbers[:-1])
    return f"agreements {listed} and {numbers[-1]} have"


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
    effective: Effective = None,
    council_resolution: CouncilResolution = None,
    renewal: RenewalOption = None,
    notice: Notice = None,
    status: StatusOption = None,
    status_reason: StatusReason = None,
    note: Notes = None,
    source: Sources = None,
    contact: Contacts = None,
    tag: Tags = None,
    namesakes: Namesakes = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Ask for each field (parties, type, date, place, sectors, signatories), "
            "as add does on a terminal when no --party is given. Example: --interactive",
        ),
    ] = False,
    no_duplicates: Annotated[
        bool,
        typer.Option(
            "--no-duplicates",
            help="Refuse to add it when an agreement with the same parties, type and signing "
            "date exists (without it, that is a warning). Example: --no-duplicates",
        ),
    ] = False,
    date_order: DateOrderOption = None,
    output: FormatOption = None,
) -> None:
    """Add an agreement and print its new id.

    Example:
      agreements add --party "Aarhus, Denmark" --party "Qixia District, Nanjing, China"
        --type collaboration --signed 2012-10-02 --sector cleantech --sector education?
    """
    from agreements.domain.editing import AgreementInput, build_agreement, repeats

    given = AgreementInput(
        title=title, type=type_, parties=list(party or []), levels=list(level or []),
        signatories=list(signatory or []), signed=signed, place=place,
        sectors=list(sector or []), possible_sectors=list(possible_sector or []),
        expires=expires, review=review, effective=effective,
        council_resolution=council_resolution, renewal=renewal, notice=notice,
        status=status, status_reason=status_reason,
        notes=list(note or []), sources=list(source or []), contacts=list(contact or []),
        tags=list(tag or []), namesakes=namesakes,
    )  # fmt: skip
    as_json = _wants_json(output)
    _prompt(given, interactive, context, date_order)
    with register(context).change(command_line(context)) as transaction:
        agreement = build_agreement(given, transaction.vocabulary(), date_order)
        signed = None if agreement.signed_on is None else str(agreement.signed_on)
        same = [n for n, r in transaction.records_signed_on(signed) if repeats(r, agreement)]
        if same and no_duplicates:
            raise InvalidInput(
                f"{_agreements(same)} the same parties, type and signing date",
                hint=f"see 'agreements show {same[0]}'; without --no-duplicates it is added",
            )
        stored = transaction.add(agreement)
    if as_json:
        _print_json(stored)
    else:
        write_out(str(stored.id))
    if same:
        say(f"Warning: {_agreements(same)} the same parties, type and signing date")
    signed_text = f", signed {stored.signed_on}" if stored.signed_on else ""
    say(f"Added agreement {stored.id}: {stored.title}{signed_text}")


@app.command()
def show(
    context: typer.Context,
    agreement_id: Annotated[int, typer.Argument(metavar="ID", help="The agreement's id.")],
    as_of: AsOfOption = None,
    output: FormatOption = None,
) -> None:
    """Show one agreement in full: its activities, newest first, and what is due.

    Example: agreements show 1 --format json
    """
    as_json = _wants_json(output)
    now = today(as_of)
    the_register = register(context)
    snapshot = the_register.read()
    agreement = snapshot.get(agreement_id)
    if as_json:
        _print_json(agreement, as_of)
        return
    from agreements.render.details import detail_lines, detail_table, detail_text
    from agreements.render.operations import operation_lines
    from agreements.render.relative import local_moment

    lines = detail_lines(agreement, now)
    operations, ledger = the_register.history(agreement_id, snapshot.fingerprint)
    for operation in operations:
        changes = "\n".join(operation_lines(operation))
        mark = " [not applied]" if operation.number in ledger.not_applied else ""
        lines.append(
            ("History", f"#{operation.number} {local_moment(operation.time)}{mark}: {changes}")
        )
    if stdout_is_terminal():
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
    add_signatory: Annotated[
        Many,
        typer.Option(
            "--add-signatory",
            metavar="NAME; TITLE; PARTY",
            help="Add a signatory (one of the same name and party is replaced). "
            'Example: --add-signatory "Xing Zhengjun; Governor; Qixia"',
        ),
    ] = None,
    remove_signatory: Annotated[
        Many,
        typer.Option(
            "--remove-signatory",
            metavar="NAME",
            help="Remove a signatory; a unique part of the name is enough. "
            "Example: --remove-signatory Bundsgaard",
        ),
    ] = None,
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
    effective: Effective = None,
    council_resolution: CouncilResolution = None,
    renewal: RenewalOption = None,
    notice: Notice = None,
    status: StatusOption = None,
    status_reason: StatusReason = None,
    note: Notes = None,
    source: Sources = None,
    contact: Contacts = None,
    tag: Tags = None,
    namesakes: Namesakes = False,
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
            help="Empty a field: place, signed, expires (and notice), review, effective, council-resolution, renewal, notice, status, status-reason, notes, signatories, sectors, contacts, sources, tags, activities; title goes back to the default. Example: --clear place",
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
    from agreements.domain.editing import AgreementEdit, apply_edit
    from agreements.domain.records import differing_fields

    given = AgreementEdit(
        title=title, type=type_, parties=list(party or []), levels=list(level or []),
        signatories=list(signatory or []), signed=signed, place=place,
        sectors=list(sector or []), possible_sectors=list(possible_sector or []),
        expires=expires, review=review, effective=effective,
        council_resolution=council_resolution, renewal=renewal, notice=notice,
        status=status, status_reason=status_reason,
        notes=list(note or []), sources=list(source or []), contacts=list(contact or []),
        tags=list(tag or []), namesakes=namesakes, add_parties=list(add_party or []),
        remove_parties=list(remove_party or []), add_sectors=list(add_sector or []),
        remove_sectors=list(remove_sector or []), add_tags=list(add_tag or []),
        remove_tags=list(remove_tag or []), add_signatories=list(add_signatory or []),
        remove_signatories=list(remove_signatory or []), clear=list(clear or []),
    )  # fmt: skip
    as_json = _wants_json(output)
    with register(context).change(command_line(context)) as transaction:
        old = transaction.get(agreement_id)
        new = apply_edit(old, given, transaction.vocabulary(), date_order)
        differences = differing_fields(old, new)
        stored = transaction.put(new) if differences else old
    if as_json:
        _print_json(stored)
        return
    from agreements.render.operations import field_change_lines, for_people

    if not differences:
        say(f"Agreement {agreement_id}: nothing changed.")
        return
    lines = [f"Changed agreement {agreement_id}:"]
    lines += ["  " + line for change in differences for line in field_change_lines(*change)]
    write_out(for_people(lines, people_width()))


@app.command()
def remove(
    context: typer.Context,
    agreement_id: Annotated[int, typer.Argument(metavar="ID", help="The agreement's id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove an agreement. Its id is never given out again.

    Example: agreements remove 7 --yes
    """
    the_register = register(context)
    if not yes:
        agreement = the_register.read().get(agreement_id)
        if not stdin_is_terminal():
            raise InvalidInput(
                f"not removing agreement {agreement_id} without confirmation",
                hint="add --yes to remove it",
            )
        question = f"Remove agreement {agreement_id} ({printable(agreement.title)})?"
        if not typer.confirm(question, err=True):
            say("Nothing removed.")
            return
    with the_register.change(command_line(context)) as transaction:
        removed = transaction.remove(agreement_id)
    say(f"Removed agreement {agreement_id}: {removed.title}")
