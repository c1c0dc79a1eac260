"""The report for a council: what the register says about a period, worked out once.

Everything a report shows, in every format, comes from the `CouncilReport` built here:
the standing of each agreement on the day the report is made as of, what was signed and
done in the period, what is due in the year ahead and what is overdue, and the counts
its charts draw. The renderers only lay it out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from agreements.domain.dates import PartialDate
from agreements.domain.due import (
    DueItem,
    DueKind,
    Watch,
    due_items,
    has_no_activity,
    is_dormant,
    last_day_within,
)
from agreements.domain.due_dates import last_activity
from agreements.domain.model import Activity
from agreements.domain.periods import Period, Unit
from agreements.domain.queries import record_countries
from agreements.domain.records import record_status, stored_activities, stored_date
from agreements.domain.report_charts import (
    Chart,
    activity_chart,
    continent_chart,
    country_chart,
    sector_chart,
    signed_by,
    signed_chart,
    type_chart,
)
from agreements.domain.report_period import ReportPeriod
from agreements.domain.values import Status

Record = Mapping[str, Any]
Hit = tuple[int, Record]
Counted = TypeVar("Counted")

AHEAD = Period(12, Unit.MONTH)
"""How far ahead "coming up" looks from the day the report is made as of."""


class Standing(StrEnum):
    """Where an agreement stands, as a council asks it: is the partnership alive?"""

    ACTIVE = "active"
    """In force, with an activity within the dormancy period."""
    DORMANT = "dormant"
    NO_ACTIVITY = "no activity recorded"
    PROPOSED = "proposed"
    SUSPENDED = "suspended"
    ENDED = "ended"
    """Expired or terminated."""


def standing(record: Record, today: date, dormant_after: Period) -> Standing:
    status = record_status(record, today)
    if status == Status.PROPOSED.value:
        return Standing.PROPOSED
    if status == Status.SUSPENDED.value:
        return Standing.SUSPENDED
    if status != Status.ACTIVE.value:
        return Standing.ENDED
    if has_no_activity(record, today):
        return Standing.NO_ACTIVITY
    return Standing.DORMANT if is_dormant(record, today, dormant_after) else Standing.ACTIVE


@dataclass(frozen=True)
class PartyCell:
    name: str
    country: str | None
    """The present-day country."""
    country_at_signing: str | None
    """The former country it signed as part of (SUHH), if it did."""

    def shown_country(self) -> str | None:
        """The country to name beside the party: today's, else the former one."""
        return self.country or self.country_at_signing


@dataclass(frozen=True)
class AgreementRow:
    id: int
    title: str
    type: str
    status: str
    standing: Standing
    signed: PartialDate | None
    parties: tuple[PartyCell, ...]
    sectors: tuple[tuple[str, str], ...]
    """(name, certainty) of each sector: "agreed" or "possible"."""


@dataclass(frozen=True)
class DormantRow:
    id: int
    title: str
    parties: tuple[str, ...]
    last_activity: PartialDate


@dataclass(frozen=True)
class ActivityGroup:
    """The activities of one agreement in the period, in date order."""

    id: int
    title: str
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class CouncilReport:
    title: str
    register_name: str
    register_total: int
    """How many agreements the whole register holds."""
    selection: tuple[str, ...]
    period: ReportPeriod
    as_of: date
    made_on: date
    home_country: str | None
    """The country on more than half of the agreements, if one is: their other
    countries are the partner countries."""
    dormant_after: Period
    upcoming_until: date
    """The last day "coming up" looks to: 12 months from the day judged."""
    standing: tuple[tuple[Standing, int], ...]
    signed_in_period: int
    activities_in_period: int
    partner_countries: int
    charts: tuple[Chart, ...]
    upcoming: tuple[DueItem, ...]
    overdue: tuple[DueItem, ...]
    dormant: tuple[DormantRow, ...]
    activities: tuple[ActivityGroup, ...]
    agreements: tuple[AgreementRow, ...]

    @property
    def total(self) -> int:
        return len(self.agreements)


@dataclass(frozen=True)
class ReportRequest:
    """What the report is asked to cover, beside the agreements themselves."""

    period: ReportPeriod
    as_of: date
    made_on: date
    register_name: str
    title: str | None = None
    home_country: str | None = None
    watch: Watch = field(default_factory=Watch)
    selection: tuple[str, ...] = ()
    """The filters that chose the agreements, as typed; none for the whole register."""


def build_report(
    hits: Iterable[Hit],
    request: ReportRequest,
    *,
    country_name: Callable[[str], str],
    continent_of: Callable[[str], str | None],
    title_key: Callable[[str], Any] = str.casefold,
    register: Sequence[Record] | None = None,
) -> CouncilReport:
    """The report on these agreements; `country_name` names a code, `continent_of` gives
    the continent of a present-day country, and `title_key` orders titles. The home
    country and the default title come from the whole `register` where a filter chose
    the agreements: a report on those with China is still Aarhus's."""
    chosen = sorted(hits, key=lambda hit: (title_key(hit[1]["title"]), hit[0]))
    records = [record for _, record in chosen]
    whole = records if register is None else register
    today, period, watch = request.as_of, request.period, request.watch
    standings = [standing(record, today, watch.dormant_after) for record in records]
    home = request.home_country or home_country(whole)
    partners = [_partner_countries(record, home) for record in records]
    groups = _activity_groups(chosen, period, today)
    until = last_day_within(AHEAD, today)
    due = due_items(chosen, today, until, watch)
    due = [item for item in due if item.kind is not DueKind.DORMANT]
    counts = Counter(standings)
    return CouncilReport(
        title=request.title or default_title(whole),
        register_name=request.register_name,
        register_total=len(whole),
        selection=request.selection,
        period=period,
        as_of=today,
        made_on=request.made_on,
        home_country=home,
        dormant_after=watch.dormant_after,
        upcoming_until=until,
        standing=tuple((kind, counts[kind]) for kind in Standing),
        signed_in_period=sum(_signed_in(record, period, today) for record in records),
        activities_in_period=sum(len(group.activities) for group in groups),
        partner_countries=len({code for codes in partners for code in codes} - {home}),
        charts=(
            signed_chart(records, today),
            country_chart(partners, home, country_name),
            continent_chart(partners, continent_of),
            sector_chart(records),
            type_chart(records),
            activity_chart([a for group in groups for a in group.activities], period),
        ),
        upcoming=tuple(item for item in due if not item.overdue),
        overdue=tuple(item for item in due if item.overdue),
        dormant=_dormant_rows(chosen, standings, today),
        activities=tuple(groups),
        agreements=tuple(
            _agreement_row(number, record, today, kind)
            for (number, record), kind in zip(chosen, standings, strict=True)
        ),
    )


def default_title(records: Sequence[Record]) -> str:
    """ "Partnerships of Aarhus" when one party is on more than half of the agreements,
    and on more than any other."""
    on: Counter[tuple[str, str | None]] = Counter()
    for record in records:
        on.update(list(dict.fromkeys((p["name"], p["country"]) for p in record["parties"])))
    leader = _leader(on, len(records))
    return "Partnership agreements" if leader is None else f"Partnerships of {leader[0]}"


def home_country(records: Sequence[Record]) -> str | None:
    """The country on more than half of the agreements, and on more than any other."""
    on: Counter[str] = Counter()
    for record in records:
        on.update(record_countries(record))
    return _leader(on, len(records))


def _leader(counts: Counter[Counted], total: int) -> Counted | None:
    """The value counted most, if it is counted in more than half of `total` and more
    than any other; None on a tie, which nothing here breaks by chance or the alphabet."""
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] * 2 <= total:
        return None
    if len(ranked) == 2 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def _partner_countries(record: Record, home: str | None) -> list[str]:
    """The countries of an agreement other than the home one; the home country itself for
    an agreement at home; every country when there is no home country."""
    countries = record_countries(record)
    return [code for code in countries if code != home] or countries


def _signed_in(record: Record, period: ReportPeriod, today: date) -> bool:
    signed = signed_by(record, today)
    return signed is not None and period.holds(signed)


def _activity_groups(hits: Sequence[Hit], period: ReportPeriod, today: date) -> list[ActivityGroup]:
    """The activities in the period that had begun by `today`: planned ones are not done."""
    groups = []
    for number, record in hits:
        if not record["activities"]:
            continue
        held = tuple(
            a for a in stored_activities(record) if period.holds(a.on) and a.on.first_day() <= today
        )
        if held:
            groups.append(ActivityGroup(number, record["title"], held))
    return groups


def _dormant_rows(
    hits: Sequence[Hit], standings: Sequence[Standing], today: date
) -> tuple[DormantRow, ...]:
    rows = []
    for (number, record), kind in zip(hits, standings, strict=True):
        latest = last_activity(record, today)
        if kind is Standing.DORMANT and latest is not None:  # always set when dormant
            parties = tuple(p["name"] for p in record["parties"])
            rows.append(DormantRow(number, record["title"], parties, latest))
    return tuple(sorted(rows, key=lambda row: row.last_activity.first_day()))


def _agreement_row(number: int, record: Record, today: date, kind: Standing) -> AgreementRow:
    return AgreementRow(
        id=number,
        title=record["title"],
        type=record["type"],
        status=record_status(record, today),
        standing=kind,
        signed=stored_date(record["signed_on"]),
        parties=tuple(
            PartyCell(p["name"], p["country"], p["country_at_signing"]) for p in record["parties"]
        ),
        sectors=tuple((s["name"], s["certainty"]) for s in record["sectors"]),
    )
