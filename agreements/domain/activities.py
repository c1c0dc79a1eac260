"""Recording what partners do together: adding an activity to an agreement, and removing one.

An agreement keeps its activities in the order of their dates (ties in the order they
were added), and `activity list` and `activity remove` number them in that order from 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from agreements.domain.dates import DateOrder, PartialDate, parse_date
from agreements.domain.model import Activity, Agreement, validate
from agreements.domain.parsing import find_party, optional_date, required_text
from agreements.domain.records import stored_activities
from agreements.domain.text import clean
from agreements.domain.values import ActivityKind, parse_activity_kind
from agreements.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class ActivityInput:
    """The options of `activity add`, as typed."""

    kind: str
    on: str
    summary: str
    party: str | None = None
    follow_up: str | None = None
    follow_up_note: str | None = None


def build_activity(
    agreement: Agreement, given: ActivityInput, order: DateOrder | None = None
) -> Activity:
    """An activity of `agreement` from what was typed; its party must be one of the parties."""
    party = None if given.party is None else find_party(given.party, agreement.parties, "--party")
    return Activity(
        kind=parse_activity_kind(given.kind),
        on=parse_date(given.on, order),
        summary=required_text(given.summary, "summary"),
        party=party,
        follow_up_on=optional_date(given.follow_up, order),
        follow_up=clean(given.follow_up_note),
    )


@dataclass(frozen=True)
class ActivityEdit:
    """The options of `activity edit`: what is given replaces, `clear` empties."""

    kind: str | None = None
    on: str | None = None
    summary: str | None = None
    party: str | None = None
    follow_up: str | None = None
    follow_up_note: str | None = None
    clear: tuple[str, ...] = ()


_CLEARABLE = {"party": ("party",), "follow-up": ("follow_up_on", "follow_up"),
              "follow-up-note": ("follow_up",)}  # fmt: skip


def edited_activity(
    agreement: Agreement, old: Activity, edit: ActivityEdit, order: DateOrder | None = None
) -> Activity:
    """The activity with the edit applied; a cleared follow-up takes its note with it."""
    changes: dict[str, object] = {}
    for name in edit.clear:
        keys = _CLEARABLE.get(name.strip().lower().replace("_", "-"))
        if keys is None:
            allowed = ", ".join(_CLEARABLE)
            raise InvalidInput(f"cannot clear {name!r}", hint=f"clearable: {allowed}")
        changes.update(dict.fromkeys(keys))
    if edit.kind is not None:
        changes["kind"] = parse_activity_kind(edit.kind)
    if edit.on is not None:
        changes["on"] = parse_date(edit.on, order)
    if edit.summary is not None:
        changes["summary"] = required_text(edit.summary, "summary")
    if edit.party is not None:
        changes["party"] = find_party(edit.party, agreement.parties, "--party")
    if edit.follow_up is not None:
        changes["follow_up_on"] = parse_date(edit.follow_up, order)
    if edit.follow_up_note is not None:
        changes["follow_up"] = clean(edit.follow_up_note)
    return replace(old, **changes)  # type: ignore[arg-type]


def with_activity_replaced(agreement: Agreement, number: int, activity: Activity) -> Agreement:
    """The agreement with its activity `number` (from 1) replaced, in date order, checked."""
    rest, _old = without_activity(agreement, number)
    return with_activities(rest, [activity])


def with_activities(agreement: Agreement, added: Iterable[Activity]) -> Agreement:
    """The agreement with these activities too, in date order, checked."""
    activities = sorted((*agreement.activities, *added), key=activity_sort_key)
    changed = replace(agreement, activities=tuple(activities))
    validate(changed)
    return changed


def activity_numbered(agreement: Agreement, number: int) -> Activity:
    return without_activity(agreement, number)[1]


def without_activity(agreement: Agreement, number: int) -> tuple[Agreement, Activity]:
    """The agreement without its activity `number` (from 1), and that activity."""
    count = len(agreement.activities)
    if not 1 <= number <= count:
        has = f"it has {count}" if count else "it has none"
        raise NotFound(
            f"agreement {agreement.id} has no activity {number} ({has})",
            hint=f"see 'agreements activity list {agreement.id}'",
        )
    removed = agreement.activities[number - 1]
    rest = agreement.activities[: number - 1] + agreement.activities[number:]
    return replace(agreement, activities=rest), removed


def activity_sort_key(activity: Activity) -> tuple[int, int, int]:
    """Earliest first; a date known to its year or month sorts at that period's start."""
    day = activity.on.first_day()
    return day.toordinal(), activity.on.month is not None, activity.on.day is not None


def refuse_if_recorded(
    agreement: Agreement, activity: Activity, *, besides: int | None = None
) -> None:
    """Refuses to record an activity twice on one agreement."""
    known = already_recorded(agreement, activity, besides=besides)
    if known is not None:
        raise InvalidInput(
            f"agreement {agreement.id} already has this activity (number {known})",
            hint=f"see 'agreements activity list {agreement.id}'",
        )


def already_recorded(
    agreement: Agreement, activity: Activity, *, besides: int | None = None
) -> int | None:
    """The number of the same activity if the agreement has it (other than number `besides`)."""
    identity = activity.identity()
    for number, known in enumerate(agreement.activities, start=1):
        if number != besides and known.identity() == identity:
            return number
    return None


@dataclass(frozen=True)
class ListedActivity:
    agreement_id: int
    title: str
    number: int
    """Its place among the agreement's activities, from 1: what `activity remove` takes."""
    activity: Activity


def listed_activities(
    hits: Iterable[tuple[int, Mapping[str, Any]]],
    kinds: frozenset[ActivityKind] = frozenset(),
    since: PartialDate | None = None,
) -> list[ListedActivity]:
    """The activities of these stored records that `--kind` and `--since` keep, newest first."""
    listed = [
        ListedActivity(number, record["title"], place, activity)
        for number, record in hits
        if record["activities"]
        for place, activity in enumerate(stored_activities(record), start=1)
        if _kept(activity, kinds, since)
    ]
    listed.sort(key=lambda row: (activity_sort_key(row.activity), row.agreement_id, row.number))
    return listed[::-1]


def _kept(activity: Activity, kinds: frozenset[ActivityKind], since: PartialDate | None) -> bool:
    if kinds and activity.kind not in kinds:
        return False
    return since is None or activity.on.last_day() >= since.first_day()
