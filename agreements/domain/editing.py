"""Building a new agreement from the options of `add`, and applying those of `edit`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from agreements.domain.dates import DateOrder, parse_date
from agreements.domain.model import (
    Agreement,
    Party,
    Sector,
    Signatory,
    default_title,
    refuse_impossible_dates,
    validate,
)
from agreements.domain.parsing import (
    joined_notes,
    level_overrides,
    optional_date,
    parse_contact,
    parse_manual_status,
    parse_party,
    parse_sectors,
    parse_signatory,
    parse_source,
    parse_tags,
    party_index,
    required_text,
)
from agreements.domain.parties import may_be_the_same, namesakes_not_told_apart
from agreements.domain.periods import parse_period
from agreements.domain.records import trusted_party
from agreements.domain.schema import BY_NAME, CLEARABLE, Kind
from agreements.domain.text import clean, fold
from agreements.domain.values import parse_renewal, parse_type
from agreements.domain.vocabulary import Vocabulary
from agreements.errors import InvalidInput


@dataclass
class AgreementInput:
    """The fields of `add` and `edit`, as typed. Empty lists and None mean "not given"."""

    title: str | None = None
    type: str | None = None
    parties: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    signed: str | None = None
    place: str | None = None
    sectors: list[str] = field(default_factory=list)
    possible_sectors: list[str] = field(default_factory=list)
    expires: str | None = None
    review: str | None = None
    effective: str | None = None
    council_resolution: str | None = None
    renewal: str | None = None
    notice: str | None = None
    status: str | None = None
    status_reason: str | None = None
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    namesakes: bool = False
    """Whether parties of one name that nothing tells apart are two places, as meant."""


@dataclass
class AgreementEdit(AgreementInput):
    """`edit`: the fields of `add` replace; these add to or remove from lists."""

    add_parties: list[str] = field(default_factory=list)
    remove_parties: list[str] = field(default_factory=list)
    add_sectors: list[str] = field(default_factory=list)
    remove_sectors: list[str] = field(default_factory=list)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    add_signatories: list[str] = field(default_factory=list)
    remove_signatories: list[str] = field(default_factory=list)
    clear: list[str] = field(default_factory=list)


def build_agreement(
    given: AgreementInput, vocabulary: Vocabulary, order: DateOrder | None = None
) -> Agreement:
    """A new, validated agreement (without id) from the options of `add`."""
    levels = level_overrides(given.levels)
    parties = tuple(parse_party(spec, levels) for spec in given.parties)
    if len(parties) < 2:
        raise InvalidInput(
            "an agreement needs at least two parties",
            hint='repeat --party "NAME[, PARENT][, COUNTRY]"',
        )
    if given.type is None:
        raise InvalidInput("the agreement type is missing", hint="add --type, e.g. --type twinning")
    agreement = Agreement(
        title=clean(given.title) or default_title(parties),
        type=parse_type(given.type),
        parties=parties,
        signatories=tuple(parse_signatory(spec, parties) for spec in given.signatories),
        signed_on=optional_date(given.signed, order),
        place=clean(given.place),
        sectors=tuple(parse_sectors(given.sectors, given.possible_sectors, vocabulary)),
        status=None if given.status is None else parse_manual_status(given.status),
        status_reason=clean(given.status_reason),
        expires_on=optional_date(given.expires, order),
        review_on=optional_date(given.review, order),
        effective_on=optional_date(given.effective, order),
        council_resolution_on=optional_date(given.council_resolution, order),
        renewal=None if given.renewal is None else parse_renewal(given.renewal),
        notice=None if given.notice is None else parse_period(given.notice),
        contacts=tuple(parse_contact(spec, parties) for spec in given.contacts),
        sources=tuple(parse_source(spec, order) for spec in given.sources),
        notes=joined_notes(given.notes),
        tags=tuple(parse_tags(given.tags)),
    )
    validate(agreement)
    refuse_impossible_dates(agreement)
    _refuse_namesakes(agreement.parties, given.namesakes)
    return agreement


def _refuse_namesakes(parties: Sequence[Party], accepted: bool) -> None:
    """Two parties of one name that nothing tells apart may be one place typed twice:
    refused unless --namesakes says they are two."""
    pairs = namesakes_not_told_apart(parties)
    if pairs and not accepted:
        one, other = pairs[0]
        raise InvalidInput(
            f"the parties {one.name!r} and {other.name!r} may be one place",
            hint='tell them apart by a parent ("NAME, PARENT, COUNTRY") or a country, '
            "or add --namesakes if they are two places of one name",
        )


def repeats(record: Mapping[str, Any], agreement: Agreement) -> bool:
    """Whether a stored record looks like `agreement` again: the same type and signing
    date (or both undated), and parties that may be the same places, in any order."""
    signed = None if agreement.signed_on is None else str(agreement.signed_on)
    if record["type"] != agreement.type.value or record["signed_on"] != signed:
        return False
    theirs = [trusted_party(party) for party in record["parties"]]
    if len(theirs) != len(agreement.parties):
        return False
    unmatched = list(agreement.parties)
    for party in theirs:
        match = next((ours for ours in unmatched if may_be_the_same(party, ours)), None)
        if match is None:
            return False
        unmatched.remove(match)
    return True


def _cleared(agreement: Agreement, names: Sequence[str]) -> Agreement:
    changes: dict[str, object] = {}
    for name in names:
        key = CLEARABLE.get(name.strip().lower().replace("_", "-"))
        if key is None:
            allowed = ", ".join(sorted(set(CLEARABLE.values())))
            raise InvalidInput(f"cannot clear {name!r}", hint=f"clearable fields: {allowed}")
        if key == "title":
            changes["title"] = default_title(agreement.parties)
        elif BY_NAME[key].kind in (Kind.ITEMS, Kind.TEXTS):
            changes[key] = ()
        else:
            changes[key] = None
        if key == "status":  # a reason explains a status set by hand
            changes["status_reason"] = None
        if key == "expires_on":  # notice is given before the expiry
            changes["notice"] = None
    return replace(agreement, **changes)  # type: ignore[arg-type]


def _edited_parties(old: Agreement, edit: AgreementEdit) -> tuple[Party, ...]:
    levels = level_overrides(edit.levels)
    if edit.parties:
        parties = [parse_party(spec, levels) for spec in edit.parties]
    else:
        parties = [
            replace(party, level=levels.get(fold(party.name), party.level)) for party in old.parties
        ]
    for name in edit.remove_parties:
        del parties[party_index(name, parties, "--remove-party")]
    parties += [parse_party(spec, levels) for spec in edit.add_parties]
    return tuple(parties)


def _renamed_parties(before: Sequence[Party], after: Sequence[Party]) -> dict[str, str]:
    """How the names of `before` read in `after`, by folded name: a party whose name is
    gone was renamed when as many names came as went, the n-th gone to the n-th new."""
    now = {fold(party.name): party.name for party in after}
    names = dict(now)
    gone = [fold(party.name) for party in before if fold(party.name) not in now]
    then = {fold(party.name) for party in before}
    came = [party.name for party in after if fold(party.name) not in then]
    if len(gone) == len(came):
        names.update(zip(gone, came, strict=True))
    return names


def _carried_along(agreement: Agreement, names: dict[str, str]) -> Agreement:
    """Signatories, contacts and activities follow their party's new name; those of a
    party that is gone keep the old one, which `validate` then refuses."""

    def follow(party: str) -> str:
        return names.get(fold(party), party)

    return replace(
        agreement,
        signatories=tuple(replace(s, party=follow(s.party)) for s in agreement.signatories),
        contacts=tuple(
            c if c.party is None else replace(c, party=follow(c.party)) for c in agreement.contacts
        ),
        activities=tuple(
            a if a.party is None else replace(a, party=follow(a.party))
            for a in agreement.activities
        ),
    )


def _edited_signatories(
    old: Agreement, edit: AgreementEdit, parties: Sequence[Party]
) -> tuple[Signatory, ...]:
    if edit.signatories:
        signatories = [parse_signatory(spec, parties) for spec in edit.signatories]
    else:
        signatories = list(old.signatories)
    for name in edit.remove_signatories:
        gone = _find_signatory(name, signatories, old.id)
        signatories = [s for s in signatories if s is not gone]
    for spec in edit.add_signatories:
        added = parse_signatory(spec, parties)
        same = [
            n
            for n, s in enumerate(signatories)
            if fold(s.name) == fold(added.name) and s.party == added.party
        ]
        if same:  # the same person for the same party: a new title, say
            signatories[same[0]] = added
        else:
            signatories.append(added)
    return tuple(signatories)


def _find_signatory(name: str, signatories: Sequence[Signatory], number: int | None) -> Signatory:
    """The signatory `name` means: the one so named, or the only one whose name holds it."""
    key = fold(name)
    exact = [s for s in signatories if fold(s.name) == key]
    found = exact or [s for s in signatories if key and key in fold(s.name)]
    if len(found) == 1:
        return found[0]
    known = ", ".join(repr(s.name) for s in signatories) or "none"
    if found:
        raise InvalidInput(
            f"--remove-signatory {name!r} names more than one signatory",
            hint=f"give more of the name: {', '.join(repr(s.name) for s in found)}",
        )
    raise InvalidInput(
        f"agreement {number} has no signatory {name!r}", hint=f"its signatories: {known}"
    )


def _edited_sectors(
    old: Agreement, edit: AgreementEdit, vocabulary: Vocabulary
) -> tuple[Sector, ...]:
    if edit.sectors or edit.possible_sectors:
        sectors = parse_sectors(edit.sectors, edit.possible_sectors, vocabulary)
    else:
        sectors = list(old.sectors)
    for text in edit.remove_sectors:
        name = vocabulary.resolve(text.strip().rstrip("?"))
        if name not in (sector.name for sector in sectors):
            raise InvalidInput(f"agreement {old.id} has no sector {name!r}")
        sectors = [sector for sector in sectors if sector.name != name]
    for added in parse_sectors(edit.add_sectors, [], vocabulary):
        sectors = [sector for sector in sectors if sector.name != added.name] + [added]
    return tuple(sectors)


def apply_edit(
    old: Agreement, edit: AgreementEdit, vocabulary: Vocabulary, order: DateOrder | None = None
) -> Agreement:
    """The agreement after `edit`, validated. A default title follows the parties, and
    the signatories, contacts and activities of a renamed party follow its new name."""
    new = _cleared(old, edit.clear)
    parties = _edited_parties(new, edit)
    new = _carried_along(new, _renamed_parties(new.parties, parties))
    title = new.title
    if edit.title is not None:
        title = required_text(edit.title, "title")
    elif title == default_title(old.parties):
        title = default_title(parties)
    changes: dict[str, object] = {"parties": parties, "title": title}
    changes["sectors"] = _edited_sectors(new, edit, vocabulary)
    if edit.type is not None:
        changes["type"] = parse_type(edit.type)
    changes["signatories"] = _edited_signatories(new, edit, parties)
    if edit.contacts:
        changes["contacts"] = tuple(parse_contact(s, parties) for s in edit.contacts)
    if edit.sources:
        changes["sources"] = tuple(parse_source(s, order) for s in edit.sources)
    for attribute, text in (
        ("signed_on", edit.signed),
        ("expires_on", edit.expires),
        ("review_on", edit.review),
        ("effective_on", edit.effective),
        ("council_resolution_on", edit.council_resolution),
    ):
        if text is not None:
            changes[attribute] = parse_date(text, order)
    if edit.renewal is not None:
        changes["renewal"] = parse_renewal(edit.renewal)
    if edit.notice is not None:
        changes["notice"] = parse_period(edit.notice)
    if edit.place is not None:
        changes["place"] = required_text(edit.place, "place")
    if edit.status is not None:
        changes["status"] = parse_manual_status(edit.status)
        if changes["status"] is None:
            changes["status_reason"] = None
    if edit.status_reason is not None:
        changes["status_reason"] = clean(edit.status_reason)
    if edit.notes:
        changes["notes"] = joined_notes(edit.notes)
    tags = parse_tags(edit.tags) if edit.tags else list(new.tags)
    removed = {fold(tag) for tag in edit.remove_tags}
    changes["tags"] = tuple(parse_tags([t for t in tags if fold(t) not in removed] + edit.add_tags))
    updated = replace(new, **changes)  # type: ignore[arg-type]
    validate(updated)
    refuse_impossible_dates(updated, before=old)
    if updated.parties != old.parties:
        _refuse_namesakes(updated.parties, edit.namesakes)
    return updated
