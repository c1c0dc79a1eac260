"""The closed sets of values a record holds, and how typed names map onto them."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

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


class ActivityKind(StrEnum):
    VISIT = "visit"
    DELEGATION = "delegation"
    MEETING = "meeting"
    EXCHANGE = "exchange"
    PROJECT = "project"
    EVENT = "event"
    CORRESPONDENCE = "correspondence"
    FUNDING = "funding"
    OTHER = "other"


class Renewal(StrEnum):
    NONE = "none"
    AUTOMATIC = "automatic"
    ON_DECISION = "on-decision"


E = TypeVar("E", bound=StrEnum)

_KINDS: tuple[type[StrEnum], ...] = (
    AgreementType, Level, Status, Certainty, ActivityKind, Renewal,
)  # fmt: skip

# Each member's value, by member: a dict lookup costs a tenth of reading `.value`.
VALUES: dict[StrEnum, str] = {member: member.value for kind in _KINDS for member in kind}
_MEMBERS: dict[type[StrEnum], dict[str, StrEnum]] = {
    kind: {member.value: member for member in kind} for kind in _KINDS
}


def member(kind: type[E], value: str) -> E | None:
    """The member of `kind` whose stored value this is, if any."""
    return _MEMBERS[kind].get(value)  # type: ignore[return-value]


def not_a_member(kind: type[StrEnum], value: str) -> str:
    allowed = ", ".join(member.value for member in kind)
    return f"{value!r} is not one of {allowed}"


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


def _choice(kind: type[E], text: str, what: str, aliases: Mapping[str, E] | None = None) -> E:
    key = fold(text).replace("-", " ").replace("_", " ")
    for candidate in kind:
        if key == candidate.value.replace("-", " "):
            return candidate
    if aliases and key in aliases:
        return aliases[key]
    import difflib  # only when a value is wrong

    allowed = ", ".join(candidate.value for candidate in kind)
    spellings = {candidate.value.replace("-", " "): candidate for candidate in kind}
    spellings.update(aliases or {})
    close = difflib.get_close_matches(key, spellings, n=1, cutoff=0.75)
    guess = f"did you mean {spellings[close[0]].value!r}? " if close else ""
    raise InvalidInput(f"unknown {what} {text!r}", hint=f"{guess}choose one of: {allowed}")


_ACTIVITY_ALIASES = {
    "trip": ActivityKind.VISIT,
    "study trip": ActivityKind.VISIT,
    "study visit": ActivityKind.VISIT,
    "official visit": ActivityKind.VISIT,
    "mission": ActivityKind.DELEGATION,
    "call": ActivityKind.MEETING,
    "video call": ActivityKind.MEETING,
    "working group": ActivityKind.MEETING,
    "workshop": ActivityKind.MEETING,
    "youth exchange": ActivityKind.EXCHANGE,
    "school exchange": ActivityKind.EXCHANGE,
    "conference": ActivityKind.EVENT,
    "festival": ActivityKind.EVENT,
    "anniversary": ActivityKind.EVENT,
    "ceremony": ActivityKind.EVENT,
    "letter": ActivityKind.CORRESPONDENCE,
    "email": ActivityKind.CORRESPONDENCE,
    "e mail": ActivityKind.CORRESPONDENCE,
    "grant": ActivityKind.FUNDING,
    "funds": ActivityKind.FUNDING,
}
_RENEWAL_ALIASES = {
    "no": Renewal.NONE,
    "never": Renewal.NONE,
    "auto": Renewal.AUTOMATIC,
    "tacit": Renewal.AUTOMATIC,
    "decision": Renewal.ON_DECISION,
    "by decision": Renewal.ON_DECISION,
}


def parse_activity_kind(text: str) -> ActivityKind:
    """A kind of activity from its name or a common word for it (trip, conference, grant)."""
    return _choice(ActivityKind, text, "activity kind", _ACTIVITY_ALIASES)


def parse_renewal(text: str) -> Renewal:
    return _choice(Renewal, text, "renewal", _RENEWAL_ALIASES)


def parse_type(text: str) -> AgreementType:
    """An agreement type from its name or a common alias (twinning, mou, collaboration)."""
    return _choice(AgreementType, text, "agreement type", _TYPE_ALIASES)


def parse_level(text: str) -> Level:
    return _choice(Level, text, "level")


def parse_status(text: str) -> Status:
    return _choice(Status, text, "status")


_ALIASES: dict[type[StrEnum], Mapping[str, StrEnum]] = {
    AgreementType: _TYPE_ALIASES,
    ActivityKind: _ACTIVITY_ALIASES,
    Renewal: _RENEWAL_ALIASES,
}
_NAMES: dict[type[StrEnum], str] = {
    AgreementType: "agreement type",
    ActivityKind: "activity kind",
}


def parse_member(kind: type[E], text: str) -> E:
    """A value of `kind` from what a person typed, with the aliases that kind has."""
    aliases: Mapping[str, E] = _ALIASES.get(kind, {})  # type: ignore[assignment]
    return _choice(kind, text, _NAMES.get(kind, kind.__name__.lower()), aliases)
