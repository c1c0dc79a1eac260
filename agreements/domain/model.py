"""The agreement and its parts, the rule that derives its status, and the rules between fields.

The stored and exchanged forms of these values are declared in `schema` and encoded in
`records`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from agreements.domain.dates import PartialDate
from agreements.domain.parties import reference_forms
from agreements.domain.periods import Period
from agreements.domain.text import fold
from agreements.domain.values import (
    ActivityKind,
    AgreementType,
    Certainty,
    Level,
    Renewal,
    Status,
)
from agreements.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    country: str | None = None
    level: Level = Level.CITY
    parent: str | None = None
    country_as_given: str | None = None
    """An imported country that resolved to no ISO code, kept so it can be fixed later."""
    other_names: tuple[str, ...] = ()
    """Other names the place goes by ("Breslau" for Wrocław), which searches also match."""
    region: str | None = None
    """The region, state or constituent country it lies in, as written ("Bavaria")."""
    region_code: str | None = None
    """The region's ISO 3166-2 code ("DE-BY", "GB-SCT") where it is known."""
    country_at_signing: str | None = None
    """The ISO 3166-3 code of a country that no longer exists ("SUHH" for the Soviet
    Union) when the agreement was signed with it; `country` is the present-day one."""


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
class Activity:
    """Something the partners did together, and the next step it calls for."""

    kind: ActivityKind
    on: PartialDate
    summary: str
    party: str | None = None
    """The party that hosted or led it, when one did."""
    follow_up_on: PartialDate | None = None
    follow_up: str | None = None

    def identity(self) -> tuple[object, ...]:
        """What makes two records the same activity: its kind, its date and its summary."""
        return self.kind, self.on, fold(self.summary)


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field two colleagues changed differently, found by `merge-driver`: the record
    keeps our value, and this keeps both sides' and the one they started from, each as
    its JSON text, until `resolve` settles it. For the field "record" (removed on one side,
    changed on the other) the values are the words "removed", "changed" and "present"."""

    field: str
    ours: str
    theirs: str
    base: str


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
    """A status set by hand; None means it is derived from the dates whenever it is read."""
    status_reason: str | None = None
    expires_on: PartialDate | None = None
    review_on: PartialDate | None = None
    effective_on: PartialDate | None = None
    council_resolution_on: PartialDate | None = None
    """When the council resolved it: many registries count a link only from then."""
    renewal: Renewal | None = None
    notice: Period | None = None
    """How long before the expiry a party must give notice or decide."""
    contacts: tuple[Contact, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: str | None = None
    tags: tuple[str, ...] = ()
    activities: tuple[Activity, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    """Merge conflicts not yet resolved (`Conflict`)."""
    uid: str | None = None
    """What the agreement is, in every clone of a register shared over git, whatever id a
    merge gives it: made when it is added; None for agreements added before uids were."""
    created_at: str = ""
    updated_at: str = ""

    def current_status(self, today: date) -> Status:
        if self.status is not None:
            return self.status
        signed, expires = self.signed_on, self.expires_on
        return derived_status(
            None if signed is None else str(signed),
            None if expires is None else str(expires),
            today.isoformat(),
            None if self.renewal is None else self.renewal.value,
        )

    def countries(self) -> list[str]:
        return list(dict.fromkeys(p.country for p in self.parties if p.country))

    def sector_names(self) -> list[str]:
        return [sector.name for sector in self.sectors]


def derived_status(
    signed_on: str | None, expires_on: str | None, today: str, renewal: str | None = None
) -> Status:
    """The status of an agreement nobody set one for, from its stored ISO dates and
    today's: proposed until the first day it may have been signed, expired once the
    last day of `expires_on` has passed (unless it renews itself), active otherwise.
    No signing date means "signed, date unknown" (lists of twin towns are full of
    them), not "not yet signed": a planned agreement is proposed by hand or by a date.

    ISO dates compare as text, a partial one as the period it names: "2027" is after
    "2026-12-01", and "2026-11" is before the "2026-12" that today falls in.
    """
    if signed_on is not None and signed_on > today:
        return Status.PROPOSED
    if (
        expires_on is not None
        and expires_on < today[: len(expires_on)]
        and renewal != Renewal.AUTOMATIC.value
    ):
        return Status.EXPIRED
    return Status.ACTIVE


TITLE_SEPARATOR = " – "
"""Between the parties' names in the title of an agreement nobody gave one."""


def default_title(parties: Sequence[Party]) -> str:
    return TITLE_SEPARATOR.join(party.name for party in parties)


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
    references: set[str] = set()
    if agreement.signatories or agreement.contacts or agreement.activities:
        references = set().union(*(reference_forms(party) for party in agreement.parties))
    party_keys = {fold(party.name): party.name for party in agreement.parties}
    for signatory in agreement.signatories:
        if fold(signatory.party) not in references:
            problems.append(
                Problem(
                    "signatories",
                    f"signatory {signatory.name!r} signs for {signatory.party!r}, "
                    "which is not a party",
                    _name_one_of(party_keys),
                )
            )
    for contact in agreement.contacts:
        if contact.party is not None and fold(contact.party) not in references:
            problems.append(
                Problem(
                    "contacts",
                    f"contact {contact.name!r} belongs to {contact.party!r}, which is not a party",
                    _name_one_of(party_keys),
                )
            )
    seen: dict[tuple[object, ...], int] = {}
    for number, activity in enumerate(agreement.activities, start=1):
        identity = activity.identity()
        if identity in seen:
            problems.append(
                Problem(
                    "activities",
                    f"activity {number} repeats activity {seen[identity]} "
                    f"({activity.kind.value} on {activity.on}: {activity.summary!r})",
                )
            )
        seen.setdefault(identity, number)
        if activity.party is not None and fold(activity.party) not in references:
            problems.append(
                Problem(
                    "activities",
                    f"the activity of {activity.on} names {activity.party!r}, which is not a party",
                    _name_one_of(party_keys),
                )
            )
        problems += _follow_up_problems(activity)
    names = [sector.name for sector in agreement.sectors]
    if len(set(names)) != len(names):
        problems.append(Problem("sectors", "a sector is named twice"))
    if agreement.status_reason is not None and agreement.status is None:
        problems.append(
            Problem("status_reason", "a status reason needs a status set by hand", "add --status")
        )
    return problems


def _follow_up_problems(activity: Activity) -> list[Problem]:
    if activity.follow_up is not None and activity.follow_up_on is None:
        return [Problem("activities", "a follow-up note needs its date", "add --follow-up DATE")]
    if (
        activity.follow_up_on is not None
        and activity.follow_up_on.last_day() < activity.on.first_day()
    ):
        return [
            Problem(
                "activities",
                f"the follow-up ({activity.follow_up_on}) comes before the activity "
                f"({activity.on})",
            )
        ]
    return []


_DATE_FIELDS = ("signed_on", "effective_on", "expires_on", "notice", "review_on")


def date_problems(agreement: Agreement) -> list[Problem]:
    """Dates that cannot all be true of one agreement: an expiry before the signing, a
    notice longer than the term, a review before the signing.

    `add`, `edit` (when it changes a date) and `import` refuse them. They are not part
    of a record's validity: a register saved before these rules may hold such dates, and
    it stays readable and editable.
    """
    problems = _term_problems(agreement)
    review, signed = agreement.review_on, agreement.signed_on
    if review is not None and signed is not None and review.last_day() < signed.first_day():
        problems.append(
            Problem(
                "review_on",
                f"the review ({review}) would come before the signing ({signed})",
                "change --review or --signed",
            )
        )
    return problems


def refuse_impossible_dates(agreement: Agreement, before: Agreement | None = None) -> None:
    """Raises the first of `date_problems`; after an edit, only when it changed a date."""
    if before is not None and all(
        getattr(agreement, name) == getattr(before, name) for name in _DATE_FIELDS
    ):
        return
    problems = date_problems(agreement)
    if problems:
        raise InvalidInput(problems[0].message, problems[0].hint)


def _term_problems(agreement: Agreement) -> list[Problem]:
    """An agreement may not end before it begins, nor ask for notice longer than its term."""
    expires, start = agreement.expires_on, agreement.effective_on or agreement.signed_on
    if expires is None:
        if agreement.notice is not None:
            return [Problem("notice", "a notice period needs an expiry", "add --expires DATE")]
        return []
    if agreement.signed_on is not None and expires.last_day() < agreement.signed_on.first_day():
        return [
            Problem(
                "expires_on",
                f"the agreement would expire ({expires}) before it was signed "
                f"({agreement.signed_on})",
            )
        ]
    if (
        agreement.effective_on is not None
        and expires.last_day() < agreement.effective_on.first_day()
    ):
        return [
            Problem(
                "expires_on",
                f"the agreement would expire ({expires}) before it takes effect "
                f"({agreement.effective_on})",
            )
        ]
    notice = agreement.notice
    if (
        notice is not None
        and start is not None
        and notice.before(expires.last_day()) < start.first_day()
    ):
        return [
            Problem(
                "notice",
                f"a notice of {notice} is longer than the term, from {start} to {expires}",
            )
        ]
    return []
