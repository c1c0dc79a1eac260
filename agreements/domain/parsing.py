"""Turning what a person types (`--party "Qixia District, Nanjing, China"`) into model values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from agreements.domain.countries import resolve_country
from agreements.domain.dates import DateOrder, PartialDate, parse_date
from agreements.domain.model import (
    Agreement,
    Certainty,
    Contact,
    Level,
    Party,
    Sector,
    Signatory,
    Source,
    Status,
    default_title,
    parse_level,
    parse_status,
    parse_type,
    validate,
)
from agreements.domain.text import clean, fold
from agreements.domain.vocabulary import Vocabulary
from agreements.errors import InvalidInput

_LEVEL_WORDS = {
    "district": Level.DISTRICT,
    "borough": Level.DISTRICT,
    "municipality": Level.MUNICIPALITY,
    "kommune": Level.MUNICIPALITY,
    "commune": Level.MUNICIPALITY,
    "gemeinde": Level.MUNICIPALITY,
    "county": Level.COUNTY,
    "landkreis": Level.COUNTY,
    "region": Level.REGION,
    "province": Level.PROVINCE,
    "prefecture": Level.PROVINCE,
    "state": Level.STATE,
}


_LEVEL_HINT = re.compile("|".join(_LEVEL_WORDS))  # cheap test before the word-by-word one


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
    status: str | None = None
    status_reason: str | None = None
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class AgreementEdit(AgreementInput):
    """`edit`: the fields of `add` replace; these add to or remove from lists."""

    add_parties: list[str] = field(default_factory=list)
    remove_parties: list[str] = field(default_factory=list)
    add_sectors: list[str] = field(default_factory=list)
    remove_sectors: list[str] = field(default_factory=list)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    clear: list[str] = field(default_factory=list)


def _required(value: str | None, what: str) -> str:
    cleaned = clean(value)
    if cleaned is None:
        raise InvalidInput(f"the {what} is empty")
    return cleaned


def _split(spec: str, separator: str, most: int, what: str, form: str) -> list[str | None]:
    parts = [clean(part) for part in spec.split(separator)]
    if len(parts) > most:
        raise InvalidInput(f"too many parts in the {what} {spec!r}", hint=f"write it as {form!r}")
    return parts + [None] * (most - len(parts))


def infer_level(name: str) -> Level:
    lowered = name.lower()
    if lowered.isascii() and not _LEVEL_HINT.search(lowered):
        return Level.CITY
    for word in fold(name).replace("-", " ").split():
        if word in _LEVEL_WORDS:
            return _LEVEL_WORDS[word]
    return Level.CITY


def _level_overrides(specs: Sequence[str]) -> dict[str, Level]:
    overrides: dict[str, Level] = {}
    for spec in specs:
        name, equals, level = spec.rpartition("=")
        if not equals or not clean(name):
            raise InvalidInput(f"cannot read the level {spec!r}", hint='write it as "NAME=LEVEL"')
        overrides[fold(name)] = parse_level(level)
    return overrides


def parse_party(spec: str, levels: dict[str, Level] | None = None) -> Party:
    """ "NAME[, PARENT][, COUNTRY]": with two parts the second is a country if it is one."""
    form = "NAME[, PARENT][, COUNTRY]"
    name, second, third = _split(spec, ",", 3, "party", form)
    if name is None:
        raise InvalidInput(f"the party {spec!r} has no name", hint=f"write it as {form!r}")
    parent, country = second, None
    if third is not None:
        country = resolve_country(third)
    elif second is not None:
        try:
            country, parent = resolve_country(second), None
        except InvalidInput as error:
            if error.hint and error.hint.startswith("did you mean"):
                raise
    level = (levels or {}).get(fold(name)) or infer_level(name)
    return Party(name=name, country=country, level=level, parent=parent)


def _find_party(name: str, parties: Sequence[Party], what: str) -> str:
    """The stored name of the party meant by `name`: exact, or the one that contains it."""
    key = fold(name)
    for party in parties:
        if fold(party.name) == key:
            return party.name
    containing = [party.name for party in parties if key and key in fold(party.name)]
    if len(containing) == 1:
        return containing[0]
    known = ", ".join(repr(party.name) for party in parties)
    raise InvalidInput(f"{what} names {name!r}, which is not a party", hint=f"parties: {known}")


def parse_signatory(spec: str, parties: Sequence[Party]) -> Signatory:
    """ "NAME; TITLE; PARTY", or "NAME; PARTY" when the title is unknown."""
    form = "NAME; TITLE; PARTY"
    name, title, party = _split(spec, ";", 3, "signatory", form)
    if party is None:
        title, party = None, title
    if name is None or party is None:
        raise InvalidInput(f"cannot read the signatory {spec!r}", hint=f"write it as {form!r}")
    return Signatory(name, _find_party(party, parties, f"signatory {name!r}"), title)


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[\d\s().\-/]{3,}")


def parse_contact(spec: str, parties: Sequence[Party]) -> Contact:
    """ "NAME; ROLE; PHONE; EMAIL[; PARTY]"; leave a part empty to skip it."""
    form = "NAME; ROLE; PHONE; EMAIL[; PARTY]"
    name, role, phone, email, party = _split(spec, ";", 5, "contact", form)
    if name is None:
        raise InvalidInput(f"the contact {spec!r} has no name", hint=f"write it as {form!r}")
    if phone is not None and not _PHONE.fullmatch(phone):
        raise InvalidInput(f"{phone!r} is not a phone number", hint="for example +45 8940 2195")
    if email is not None and not _EMAIL.fullmatch(email):
        raise InvalidInput(f"{email!r} is not an e-mail address")
    found = None if party is None else _find_party(party, parties, f"contact {name!r}")
    return Contact(name, role, phone, email, found)


def parse_source(spec: str, order: DateOrder | None = None) -> Source:
    """ "URL[; TITLE[; PUBLISHED]]"."""
    url, title, published = _split(spec, ";", 3, "source", "URL[; TITLE[; PUBLISHED]]")
    if url is None or not re.match(r"https?://\S+$", url):
        raise InvalidInput(
            f"{spec!r} does not start with a web address", hint="for example https://…"
        )
    return Source(url, title, None if published is None else parse_date(published, order))


def parse_sectors(
    agreed: Sequence[str], possible: Sequence[str], vocabulary: Vocabulary
) -> list[Sector]:
    """Sector names from the vocabulary; a trailing "?" marks a possible sector."""
    sectors: dict[str, Sector] = {}
    typed = [(text, False) for text in agreed] + [(text, True) for text in possible]
    for text, is_possible in typed:
        stripped = text.strip()
        if stripped.endswith("?"):
            stripped, is_possible = stripped[:-1], True
        name = vocabulary.resolve(stripped)
        certainty = Certainty.POSSIBLE if is_possible else Certainty.AGREED
        if name not in sectors or certainty is Certainty.AGREED:
            sectors[name] = Sector(name, certainty)
    return list(sectors.values())


def _tags(texts: Sequence[str]) -> list[str]:
    found: dict[str, str] = {}
    for text in texts:
        if (tag := clean(text)) is not None:
            found.setdefault(fold(tag), tag)
    return list(found.values())


def _date(text: str | None, order: DateOrder | None) -> PartialDate | None:
    return None if text is None else parse_date(text, order)


def _status(text: str) -> Status | None:
    """A status set by hand, or None for "auto": derived from the dates again."""
    return None if fold(text) == "auto" else parse_status(text)


def _notes(texts: Sequence[str]) -> str | None:
    return clean("\n".join(texts))


def build_agreement(
    given: AgreementInput, vocabulary: Vocabulary, order: DateOrder | None = None
) -> Agreement:
    """A new, validated agreement (without id) from the options of `add`."""
    levels = _level_overrides(given.levels)
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
        signed_on=_date(given.signed, order),
        place=clean(given.place),
        sectors=tuple(parse_sectors(given.sectors, given.possible_sectors, vocabulary)),
        status=None if given.status is None else _status(given.status),
        status_reason=clean(given.status_reason),
        expires_on=_date(given.expires, order),
        review_on=_date(given.review, order),
        contacts=tuple(parse_contact(spec, parties) for spec in given.contacts),
        sources=tuple(parse_source(spec, order) for spec in given.sources),
        notes=_notes(given.notes),
        tags=tuple(_tags(given.tags)),
    )
    validate(agreement)
    return agreement


CLEARABLE = {
    "title": "title",
    "place": "place",
    "signed": "signed_on",
    "signed-on": "signed_on",
    "expires": "expires_on",
    "expires-on": "expires_on",
    "review": "review_on",
    "review-on": "review_on",
    "status": "status",
    "status-reason": "status_reason",
    "notes": "notes",
    "note": "notes",
    "signatories": "signatories",
    "sectors": "sectors",
    "contacts": "contacts",
    "sources": "sources",
    "tags": "tags",
}


def _cleared(agreement: Agreement, names: Sequence[str]) -> Agreement:
    changes: dict[str, object] = {}
    for name in names:
        key = CLEARABLE.get(name.strip().lower().replace("_", "-"))
        if key is None:
            allowed = ", ".join(sorted(set(CLEARABLE.values())))
            raise InvalidInput(f"cannot clear {name!r}", hint=f"clearable fields: {allowed}")
        if key == "title":
            changes["title"] = default_title(agreement.parties)
        elif key in ("signatories", "sectors", "contacts", "sources", "tags"):
            changes[key] = ()
        else:
            changes[key] = None
        if key == "status":
            changes["status_reason"] = None
    return replace(agreement, **changes)  # type: ignore[arg-type]


def _edited_parties(old: Agreement, edit: AgreementEdit) -> tuple[Party, ...]:
    levels = _level_overrides(edit.levels)
    if edit.parties:
        parties = [parse_party(spec, levels) for spec in edit.parties]
    else:
        parties = [
            replace(party, level=levels.get(fold(party.name), party.level)) for party in old.parties
        ]
    for name in edit.remove_parties:
        stored = _find_party(name, parties, "--remove-party")
        parties = [party for party in parties if party.name != stored]
    parties += [parse_party(spec, levels) for spec in edit.add_parties]
    return tuple(parties)


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
    """The agreement after `edit`, validated. A default title follows the parties."""
    new = _cleared(old, edit.clear)
    parties = _edited_parties(new, edit)
    title = new.title
    if edit.title is not None:
        title = _required(edit.title, "title")
    elif title == default_title(old.parties):
        title = default_title(parties)
    changes: dict[str, object] = {"parties": parties, "title": title}
    changes["sectors"] = _edited_sectors(new, edit, vocabulary)
    if edit.type is not None:
        changes["type"] = parse_type(edit.type)
    if edit.signatories:
        changes["signatories"] = tuple(parse_signatory(s, parties) for s in edit.signatories)
    if edit.contacts:
        changes["contacts"] = tuple(parse_contact(s, parties) for s in edit.contacts)
    if edit.sources:
        changes["sources"] = tuple(parse_source(s, order) for s in edit.sources)
    for attribute, text in (
        ("signed_on", edit.signed),
        ("expires_on", edit.expires),
        ("review_on", edit.review),
    ):
        if text is not None:
            changes[attribute] = parse_date(text, order)
    if edit.place is not None:
        changes["place"] = _required(edit.place, "place")
    if edit.status is not None:
        changes["status"] = _status(edit.status)
        if changes["status"] is None:
            changes["status_reason"] = None
    if edit.status_reason is not None:
        changes["status_reason"] = clean(edit.status_reason)
    if edit.notes:
        changes["notes"] = _notes(edit.notes)
    tags = _tags(edit.tags) if edit.tags else list(new.tags)
    removed = {fold(tag) for tag in edit.remove_tags}
    changes["tags"] = tuple(_tags([t for t in tags if fold(t) not in removed] + edit.add_tags))
    updated = replace(new, **changes)  # type: ignore[arg-type]
    validate(updated)
    return updated
