"""The agreement record, its closed sets of values, and its JSON form (a public contract)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any, TypeVar

from agreements.domain.dates import PartialDate, parse_iso
from agreements.domain.text import fold
from agreements.errors import InvalidInput


class AgreementType(StrEnum):
    SISTER_CITY = "sister-city"
    FRIENDSHIP = "friendship"
    COOPERATION = "cooperation"
    MEMORANDUM = "memorandum-of-understanding"
    LETTER_OF_INTENT = "letter-of-intent"
    OTHER = "other"


class Level(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    MUNICIPALITY = "municipality"
    COUNTY = "county"
    REGION = "region"
    PROVINCE = "province"
    STATE = "state"
    COUNTRY = "country"
    OTHER = "other"


class Status(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class Certainty(StrEnum):
    AGREED = "agreed"
    POSSIBLE = "possible"


_TYPE_ALIASES = {
    "twinning": AgreementType.SISTER_CITY,
    "town twinning": AgreementType.SISTER_CITY,
    "sister city": AgreementType.SISTER_CITY,
    "sister cities": AgreementType.SISTER_CITY,
    "partnership": AgreementType.SISTER_CITY,
    "twin town": AgreementType.SISTER_CITY,
    "friendship city": AgreementType.FRIENDSHIP,
    "collaboration": AgreementType.COOPERATION,
    "co operation": AgreementType.COOPERATION,
    "cooperation agreement": AgreementType.COOPERATION,
    "collaboration agreement": AgreementType.COOPERATION,
    "mou": AgreementType.MEMORANDUM,
    "memorandum": AgreementType.MEMORANDUM,
    "memorandum of understanding": AgreementType.MEMORANDUM,
    "loi": AgreementType.LETTER_OF_INTENT,
    "letter of intent": AgreementType.LETTER_OF_INTENT,
}

E = TypeVar("E", bound=StrEnum)


def _choice(kind: type[E], text: str, what: str, aliases: Mapping[str, E] | None = None) -> E:
    key = fold(text).replace("-", " ").replace("_", " ")
    for member in kind:
        if key == member.value.replace("-", " "):
            return member
    if aliases and key in aliases:
        return aliases[key]
    allowed = ", ".join(member.value for member in kind)
    raise InvalidInput(f"unknown {what} {text!r}", hint=f"choose one of: {allowed}")


def parse_type(text: str) -> AgreementType:
    """An agreement type from its name or a common alias (twinning, mou, collaboration)."""
    return _choice(AgreementType, text, "agreement type", _TYPE_ALIASES)


def parse_level(text: str) -> Level:
    return _choice(Level, text, "level")


def parse_status(text: str) -> Status:
    return _choice(Status, text, "status")


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    country: str | None = None
    level: Level = Level.CITY
    parent: str | None = None
    country_as_given: str | None = None
    """An imported country that resolved to no ISO code, kept so it can be fixed later."""


@dataclass(frozen=True, slots=True)
class Signatory:
    name: str
    party: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Sector:
    name: str
    certainty: Certainty = Certainty.AGREED


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    party: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    title: str | None = None
    published_on: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class Agreement:
    title: str
    type: AgreementType
    parties: tuple[Party, ...]
    id: int | None = None
    signatories: tuple[Signatory, ...] = ()
    signed_on: PartialDate | None = None
    place: str | None = None
    sectors: tuple[Sector, ...] = ()
    status: Status | None = None
    """A status set by hand; None means it is derived from the dates."""
    status_reason: str | None = None
    expires_on: PartialDate | None = None
    review_on: PartialDate | None = None
    contacts: tuple[Contact, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: str | None = None
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""

    def current_status(self, today: date) -> Status:
        if self.status is not None:
            return self.status
        if self.signed_on is None:
            return Status.PROPOSED
        if self.expires_on is not None and self.expires_on.last_day() < today:
            return Status.EXPIRED
        return Status.ACTIVE

    def countries(self) -> list[str]:
        return list(dict.fromkeys(p.country for p in self.parties if p.country))

    def sector_names(self) -> list[str]:
        return [sector.name for sector in self.sectors]


def default_title(parties: Sequence[Party]) -> str:
    return " – ".join(party.name for party in parties)


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Problem:
    """A rule between fields that an agreement breaks, and the field that shows it."""

    field: str
    message: str
    hint: str | None = None


def validate(agreement: Agreement) -> None:
    """Raise InvalidInput for the first rule between fields that the agreement breaks."""
    problems = validation_problems(agreement)
    if problems:
        raise InvalidInput(problems[0].message, problems[0].hint)


def _name_one_of(party_keys: dict[str, str]) -> str:
    return "name one of the parties: " + ", ".join(repr(name) for name in party_keys.values())


def validation_problems(agreement: Agreement) -> list[Problem]:
    problems = []
    if len(agreement.parties) < 2:
        problems.append(
            Problem(
                "parties",
                "an agreement needs at least two parties",
                'repeat --party "NAME[, PARENT][, COUNTRY]"',
            )
        )
    party_keys: dict[str, str] = {}
    countries: dict[str, list[str | None]] = {}
    for party in agreement.parties:
        # Places in two countries may share a name (Heidelberg in Germany and South Africa).
        key = fold(party.name)
        same_name = countries.get(key)
        if same_name is None:
            countries[key] = [party.country]
        else:
            if party.country is None or None in same_name or party.country in same_name:
                problems.append(Problem("parties", f"the party {party.name!r} is named twice"))
            same_name.append(party.country)
        party_keys[key] = party.name
    for signatory in agreement.signatories:
        if fold(signatory.party) not in party_keys:
            problems.append(
                Problem(
                    "signatories",
                    f"signatory {signatory.name!r} signs for {signatory.party!r}, "
                    "which is not a party",
                    _name_one_of(party_keys),
                )
            )
    for contact in agreement.contacts:
        if contact.party is not None and fold(contact.party) not in party_keys:
            problems.append(
                Problem(
                    "contacts",
                    f"contact {contact.name!r} belongs to {contact.party!r}, which is not a party",
                    _name_one_of(party_keys),
                )
            )
    names = [sector.name for sector in agreement.sectors]
    if len(set(names)) != len(names):
        problems.append(Problem("sectors", "a sector is named twice"))
    if agreement.status_reason is not None and agreement.status is None:
        problems.append(
            Problem("status_reason", "a status reason needs a status set by hand", "add --status")
        )
    return problems


# Each member's value, by member: a dict lookup costs a tenth of reading `.value`.
VALUES: dict[StrEnum, str] = {
    member: member.value for kind in (AgreementType, Level, Status, Certainty) for member in kind
}

# The JSON form. Field order here is the order of every export.
RECORD_FIELDS = (
    "id", "title", "type", "status", "status_manual", "status_reason", "signed_on", "place",
    "parties", "signatories", "sectors", "expires_on", "review_on", "contacts", "sources",
    "notes", "tags", "created_at", "updated_at",
)  # fmt: skip


def _date_text(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def to_record(agreement: Agreement, today: date) -> dict[str, Any]:
    """The agreement as a JSON object with every field of RECORD_FIELDS, in that order."""
    return {
        "id": agreement.id,
        "title": agreement.title,
        "type": VALUES[agreement.type],
        "status": VALUES[agreement.current_status(today)],
        "status_manual": agreement.status is not None,
        "status_reason": agreement.status_reason,
        "signed_on": _date_text(agreement.signed_on),
        "place": agreement.place,
        "parties": [
            {
                "name": p.name,
                "country": p.country,
                "country_as_given": p.country_as_given,
                "level": VALUES[p.level],
                "parent": p.parent,
            }
            for p in agreement.parties
        ],
        "signatories": [
            {"name": s.name, "title": s.title, "party": s.party} for s in agreement.signatories
        ],
        "sectors": [{"name": s.name, "certainty": VALUES[s.certainty]} for s in agreement.sectors],
        "expires_on": _date_text(agreement.expires_on),
        "review_on": _date_text(agreement.review_on),
        "contacts": [
            {"name": c.name, "role": c.role, "phone": c.phone, "email": c.email, "party": c.party}
            for c in agreement.contacts
        ],
        "sources": [
            {"url": s.url, "title": s.title, "published_on": _date_text(s.published_on)}
            for s in agreement.sources
        ],
        "notes": agreement.notes,
        "tags": list(agreement.tags),
        "created_at": agreement.created_at,
        "updated_at": agreement.updated_at,
    }


class RecordReader:
    """Reads one JSON object into a model value, naming the field of every problem."""

    def __init__(self, data: object, where: str) -> None:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise InvalidInput(f"{where}: expected an object, found {type(data).__name__}")
        self.data: Mapping[str, object] = data
        self.where = where

    def fail(self, key: str, problem: str) -> InvalidInput:
        return InvalidInput(f"{self.where}, field {key!r}: {problem}")

    def check_keys(self, allowed: frozenset[str]) -> None:
        if self.data.keys() <= allowed:
            return
        unknown = [key for key in self.data if key not in allowed]
        raise self.fail(unknown[0], "unknown field")

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if type(value) is str and value:
            return value
        if value is None or value == "":
            if required:
                raise self.fail(key, MISSING)
            return None
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, found {type(value).__name__}")
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def date(self, key: str) -> PartialDate | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return stored_date(value)
        except InvalidInput as error:
            raise self.fail(key, error.message) from None

    def choice(self, key: str, kind: type[E], default: E | None = None) -> E | None:
        value = self.text(key)
        if value is None:
            return default
        found = member(kind, value)
        if found is None:
            raise self.fail(key, not_a_member(kind, value))
        return found

    def objects(self, key: str) -> list[RecordReader]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "expected a list")
        return [RecordReader(item, f"{self.where}, {key}[{n}]") for n, item in enumerate(value)]

    def strings(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "expected a list of non-empty texts")
        return list(value)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false")
        return value


_PARTY_FIELDS = frozenset(("name", "country", "country_as_given", "level", "parent"))
_SIGNATORY_FIELDS = frozenset(("name", "title", "party"))
_SECTOR_FIELDS = frozenset(("name", "certainty"))
_CONTACT_FIELDS = frozenset(("name", "role", "phone", "email", "party"))
_SOURCE_FIELDS = frozenset(("url", "title", "published_on"))
_RECORD_FIELDS = frozenset(RECORD_FIELDS)
_MEMBERS: dict[type[StrEnum], dict[str, StrEnum]] = {
    kind: {member.value: member for member in kind}
    for kind in (AgreementType, Level, Status, Certainty)
}

# The problems a stored value can have, worded once for every reader of records.
MISSING = "missing or empty"


def member(kind: type[E], value: str) -> E | None:
    """The member of `kind` whose value this is, if any."""
    return _MEMBERS[kind].get(value)  # type: ignore[return-value]


def not_a_member(kind: type[StrEnum], value: str) -> str:
    allowed = ", ".join(member.value for member in kind)
    return f"{value!r} is not one of {allowed}"


def country_code_problem(country: str) -> str | None:
    """What is wrong with a stored country, if it is not shaped like an ISO code."""
    if len(country) == 2 and country.isascii() and country.isupper():
        return None
    return f"{country!r} is not an ISO 3166-1 alpha-2 code"


def _party(reader: RecordReader) -> Party:
    reader.check_keys(_PARTY_FIELDS)
    country = reader.text("country")
    problem = None if country is None else country_code_problem(country)
    if problem is not None:
        raise reader.fail("country", problem)
    return Party(
        name=reader.required_text("name"),
        country=country,
        level=reader.choice("level", Level, Level.CITY) or Level.CITY,
        parent=reader.text("parent"),
        country_as_given=reader.text("country_as_given"),
    )


def from_record(data: object, where: str, record_id: int | None = None) -> Agreement:
    """An agreement from its JSON object; raises InvalidInput naming the field at fault.

    `status` counts as set by hand only when `status_manual` is true; otherwise it is
    derived again from the dates, so an exported file reads back to the same record.
    """
    agreement = _read_record(data, where, record_id)
    try:
        validate(agreement)
    except InvalidInput as error:
        raise InvalidInput(f"{where}: {error.message}", error.hint) from None
    return agreement


# Enough for a record to read when only one of its fields is being checked.
_MINIMAL_RECORD = {"type": "other", "parties": [{"name": "A"}, {"name": "B"}]}


def record_problems(data: object, where: str) -> list[str]:
    """Every problem of a stored record, each naming its field; none when it reads back."""
    if not isinstance(data, Mapping):
        return [f"{where}: expected an object, found {type(data).__name__}"]
    try:
        from_record(data, where)
    except InvalidInput:
        pass  # look at each field on its own to name every problem
    else:
        return []
    unknown = [key for key in data if key not in RECORD_FIELDS]
    problems = [f"{where}, field {key!r}: unknown field" for key in unknown]
    for key in RECORD_FIELDS:
        if key in data:
            try:
                _read_record({**_MINIMAL_RECORD, "status_manual": True, key: data[key]}, where)
            except InvalidInput as error:
                problems.append(error.message)
    if "type" not in data:
        problems.append(f"{where}, field 'type': {MISSING}")
    if problems:
        return problems
    try:
        agreement = _read_record(data, where)
    except InvalidInput as error:
        return [error.message]
    return [
        f"{where}, field {problem.field!r}: {problem.message}"
        for problem in validation_problems(agreement)
    ]


def _read_record(data: object, where: str, record_id: int | None = None) -> Agreement:
    reader = RecordReader(data, where)
    reader.check_keys(_RECORD_FIELDS)
    signatories = []
    for item in reader.objects("signatories"):
        item.check_keys(_SIGNATORY_FIELDS)
        signatories.append(
            Signatory(item.required_text("name"), item.required_text("party"), item.text("title"))
        )
    sectors = []
    for item in reader.objects("sectors"):
        item.check_keys(_SECTOR_FIELDS)
        certainty = item.choice("certainty", Certainty, Certainty.AGREED) or Certainty.AGREED
        sectors.append(Sector(item.required_text("name"), certainty))
    contacts = []
    for item in reader.objects("contacts"):
        item.check_keys(_CONTACT_FIELDS)
        contacts.append(
            Contact(
                name=item.required_text("name"),
                role=item.text("role"),
                phone=item.text("phone"),
                email=item.text("email"),
                party=item.text("party"),
            )
        )
    sources = []
    for item in reader.objects("sources"):
        item.check_keys(_SOURCE_FIELDS)
        sources.append(
            Source(item.required_text("url"), item.text("title"), item.date("published_on"))
        )
    manual = reader.flag("status_manual")
    raw_id = reader.data.get("id")
    if raw_id is not None and (
        not isinstance(raw_id, int) or isinstance(raw_id, bool) or raw_id < 1
    ):
        raise reader.fail("id", "expected a positive whole number")
    agreement_type = reader.choice("type", AgreementType)
    if agreement_type is None:
        raise reader.fail("type", MISSING)
    parties = tuple(_party(item) for item in reader.objects("parties"))
    return Agreement(
        id=record_id if record_id is not None else raw_id,
        title=reader.text("title") or default_title(parties),
        type=agreement_type,
        parties=parties,
        signatories=tuple(signatories),
        signed_on=reader.date("signed_on"),
        place=reader.text("place"),
        sectors=tuple(sectors),
        status=reader.choice("status", Status) if manual else None,
        status_reason=reader.text("status_reason"),
        expires_on=reader.date("expires_on"),
        review_on=reader.date("review_on"),
        contacts=tuple(contacts),
        sources=tuple(sources),
        notes=reader.text("notes"),
        tags=tuple(reader.strings("tags")),
        created_at=reader.text("created_at") or "",
        updated_at=reader.text("updated_at") or "",
    )


def changed_fields(old: Agreement, new: Agreement, today: date) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field that differs, bookkeeping fields aside."""
    before, after = to_record(old, today), to_record(new, today)
    return [
        (name, before[name], after[name])
        for name in RECORD_FIELDS
        if name not in ("updated_at", "created_at", "id") and before[name] != after[name]
    ]


@lru_cache(maxsize=1 << 16)
def stored_date(text: str | None) -> PartialDate | None:
    """A date as records store it (ISO, possibly partial), read once per distinct text."""
    return None if text is None else parse_iso(text)


# Enum members by value: a dict lookup costs a tenth of calling the enum.
_TYPES = {member.value: member for member in AgreementType}
_LEVELS = {member.value: member for member in Level}
_STATUSES = {member.value: member for member in Status}
_CERTAINTIES = {member.value: member for member in Certainty}


def trusted_agreement(record: Mapping[str, Any], record_id: int) -> Agreement:
    """An agreement from a record that was validated when it was saved: no checks, fast.

    Only for records read from a sealed register file; anything else goes through
    `from_record`.
    """
    signatories, sectors, contacts, sources = (
        record["signatories"],
        record["sectors"],
        record["contacts"],
        record["sources"],
    )
    return Agreement(
        id=record_id,
        title=record["title"],
        type=_TYPES[record["type"]],
        parties=tuple(
            Party(
                p["name"], p["country"], _LEVELS[p["level"]], p["parent"], p.get("country_as_given")
            )
            for p in record["parties"]
        ),
        signatories=tuple(Signatory(s["name"], s["party"], s["title"]) for s in signatories)
        if signatories
        else (),
        signed_on=stored_date(record["signed_on"]),
        place=record["place"],
        sectors=tuple(Sector(s["name"], _CERTAINTIES[s["certainty"]]) for s in sectors)
        if sectors
        else (),
        status=_STATUSES[record["status"]] if record["status_manual"] else None,
        status_reason=record["status_reason"],
        expires_on=stored_date(record["expires_on"]),
        review_on=stored_date(record["review_on"]),
        contacts=tuple(
            Contact(c["name"], c["role"], c["phone"], c["email"], c["party"]) for c in contacts
        )
        if contacts
        else (),
        sources=tuple(Source(s["url"], s["title"], stored_date(s["published_on"])) for s in sources)
        if sources
        else (),
        notes=record["notes"],
        tags=tuple(record["tags"]),
        created_at=record["created_at"],
        updated_at=record["updated_at"],
    )
