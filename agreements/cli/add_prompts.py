"""Interactive `add`: a question per field people know, asked again after a typo.

Every answer is checked as soon as it is typed, with the same parser the options use,
so a mistake costs one line and not everything typed before it. What was given on the
command line is the default of its question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import typer

from agreements.cli.context import say
from agreements.errors import InvalidInput

if TYPE_CHECKING:
    from agreements.domain.dates import DateOrder
    from agreements.domain.editing import AgreementInput
    from agreements.domain.model import Party
    from agreements.domain.vocabulary import Vocabulary

T = TypeVar("T")

PARTY_FORM = "NAME[, PARENT][, COUNTRY]"
TYPES = "sister-city, friendship, cooperation, mou, loi, other"


def _ask(question: str, default: str | None, check: Callable[[str], T]) -> tuple[str, T]:
    """The answer and what it means; an empty answer is the default ("" when none)."""
    while True:
        answer = typer.prompt(
            question, default=default or "", show_default=bool(default), err=True
        ).strip()
        try:
            return answer, check(answer)
        except InvalidInput as error:
            hint = f" ({error.hint})" if error.hint else ""
            say(f"Error: {error.message}{hint}")


def _optional(parse: Callable[[str], T]) -> Callable[[str], T | None]:
    return lambda text: parse(text) if text else None


def _required(what: str, parse: Callable[[str], T]) -> Callable[[str], T]:
    def check(text: str) -> T:
        if not text:
            raise InvalidInput(f"an agreement needs {what}")
        return parse(text)

    return check


def ask_parties(given: AgreementInput, *, more: bool) -> list[Party]:
    """Two parties at least; with `more`, further ones until an empty answer."""
    from agreements.domain.parsing import parse_party

    parties = [parse_party(spec) for spec in given.parties]
    while True:
        number = len(parties) + 1
        if number <= 2:
            spec, party = _ask(
                f"Party {number} ({PARTY_FORM})", None, _required("two parties", parse_party)
            )
        elif more:
            spec, found = _ask(f"Party {number} (empty when done)", None, _optional(parse_party))
            if found is None:
                return parties
            party = found
        else:
            return parties
        given.parties.append(spec)
        parties.append(party)


def ask_type(given: AgreementInput) -> None:
    from agreements.domain.values import parse_type

    given.type, _ = _ask(f"Type ({TYPES})", given.type or "sister-city", parse_type)


def ask_everything(given: AgreementInput, vocabulary: Vocabulary, order: DateOrder | None) -> None:
    """Every field people normally know, in the order they are written down."""
    from agreements.domain.dates import parse_date
    from agreements.domain.parsing import parse_sectors, parse_signatory

    parties = ask_parties(given, more=True)
    ask_type(given)
    signed, _ = _ask(
        "Signed on (2012-10-02, 2012-10, 2012, 2 October 2012; empty if not known)",
        given.signed,
        _optional(lambda text: parse_date(text, order)),
    )
    given.signed = signed or None
    place, _ = _ask("Place of signing (empty if not known)", given.place, str)
    given.place = place or None

    def sectors(text: str) -> list[str]:
        names = [name for name in (part.strip() for part in text.split(",")) if name]
        parse_sectors(names, [], vocabulary)
        return names

    _, names = _ask(
        'Sectors (comma between them, "?" after a possible one; empty for none)',
        ", ".join(given.sectors) or None,
        sectors,
    )
    given.sectors = names
    while True:
        number = len(given.signatories) + 1
        spec, signatory = _ask(
            f"Signatory {number} (NAME; TITLE; PARTY; empty when done)",
            None,
            _optional(lambda text: parse_signatory(text, parties)),
        )
        if signatory is None:
            return
        given.signatories.append(spec)
