"""The report for a council: what the register says about a period, worked out once.

Everything a report shows, in every format, comes from the `CouncilReport` built here:
the standing of each agreement on the day the report is made as of, what was signed and
done in the period, what is due in the year ahead and what is overdue, and the counts
its charts draw. The renderers only lay it out.
"""

from __future__ import annotations

import calendar
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
    last_activity,
    last_day_within,
)
from agreements.domain.model import Activity
from agreements.domain.periods import Period, Unit
from agreements.domain.queries import record_countries
from agreements.domain.records import record_status, stored_activities, stored_date
from agreements.domain.text import counted
from agreements.domain.values import Status
from agreements.errors import InvalidInput

Record = Mapping[str, Any]
Hit = tuple[int, Record]
Counted = TypeVar("Counted")

AHEAD = Period(12, Unit.MONTH)
"""How far ahead "coming up" looks from the day the report is made as of."""
LARGEST = 12
"""How many countries or sectors a chart shows before it sums the rest as others."""
YEARS_BEFORE_DECADES = 30
"""A timeline of signings spanning more years than this counts decades instead."""
YEARS_BEFORE_CENTURIES = 400
"""… and one spanning more than this, centuries."""
MONTHS_BEFORE_YEARS = 24
"""Activities of a period longer than this many months are counted per year."""
NO_SECTOR = "no sector given"
NO_COUNTRY = "country unknown"
NO_CONTINENT = "continent unknown"
UNKNOWN = ""
"""What a chart counts where the country, continent or sector is not known: no country
code, continent or sector is empty."""


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
class ReportPeriod:
    """The days a report covers, both included."""

    first: date
    last: date

    def holds(self, when: PartialDate) -> bool:
        """Whether a date falls in the period; one known only to its month or year falls
        on that month's or year's first day, as `due` places it, so that no date counts
        in two reports of adjacent periods."""
        return self.first <= when.first_day() <= self.last

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, January as 1."""
        index, end = self.first.year * 12 + self.first.month - 1, self.last.year * 12
        end += self.last.month - 1
        return [(month // 12, month % 12 + 1) for month in range(index, end + 1)]

    def readable(self) -> str:
        """ "2026", "March 2026", "1 January – 1 December 2026", "July 2025 – June 2026"."""
        first, last = self.first, self.last
        whole_months = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
        if whole_months and (first.month, last.month) == (1, 12):
            return str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
        if whole_months:
            start = f"{calendar.month_name[first.month]} {first.year}"
            end = f"{calendar.month_name[last.month]} {last.year}"
            if start == end:
                return start
            if first.year == last.year:
                return f"{calendar.month_name[first.month]} – {end}"
            return f"{start} – {end}"
        start = f"{first.day} {calendar.month_name[first.month]}"
        end = f"{last.day} {calendar.month_name[last.month]} {last.year}"
        if first == last:
            return end
        return f"{start} – {end}" if first.year == last.year else f"{start} {first.year} – {end}"


def report_period(
    year: int | None, start: PartialDate | None, end: PartialDate | None, today: date
) -> ReportPeriod:
    """The period `--year` or `--from`/`--to` ask for; by default, the year to `today`."""
    if year is not None and (start is not None or end is not None):
        raise InvalidInput("--year does not go with --from and --to", hint="give one or the other")
    if (start is None) != (end is None):
        raise InvalidInput("--from and --to go together", hint="give both, or use --year")
    if year is not None:
        if not 1 <= year <= 9999:
            raise InvalidInput(f"--year {year} is not a year", hint="for example --year 2026")
        return ReportPeriod(date(year, 1, 1), date(year, 12, 31))
    if start is not None and end is not None:
        period = ReportPeriod(start.first_day(), end.last_day())
        if period.last < period.first:
            raise InvalidInput(f"--to {end} is before --from {start}")
        return period
    return ReportPeriod(date(today.year, 1, 1), today)


class ChartShape(StrEnum):
    TIMELINE = "timeline"
    """Columns in the order of time, each a year, decade or month."""
    RANKING = "ranking"
    """Bars, largest first."""


@dataclass(frozen=True)
class ChartRow:
    key: str | None
    """What is counted, as machines name it: a country code, a sector, "1990s", "2026-03";
    None for what is not known (no country, no sector, no continent)."""
    label: str
    """The same for people: "Germany", "cleantech", "1990s", "Mar"."""
    count: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    unit: str
    """What the numbers count, in the plural: "agreements", "activities"."""
    dimension: str
    """What each row is: "decade", "country", "month"."""
    shape: ChartShape
    rows: tuple[ChartRow, ...]
    """Every value: a timeline in the order of time, a ranking largest first."""
    note: str = ""
    """What the chart leaves out, in a sentence: "2 agreements without a known date"."""

    def total(self) -> int:
        return sum(row.count for row in self.rows)

    def shown(self, largest: int = LARGEST) -> tuple[tuple[str, int], ...]:
        """(label, count) as drawn: a ranking cut to its `largest` values and the rest
        summed as others, unless only one would be left out."""
        rows = [(row.label, row.count) for row in self.rows]
        if self.shape is ChartShape.TIMELINE or len(rows) <= largest + 1:
            return tuple(rows)
        rest = rows[largest:]
        others = (f"{len(rest)} others", sum(count for _, count in rest))
        return (*rows[:largest], others)

    def summary(self) -> str:
        """The chart in a sentence, for those who do not see it."""
        if not self.total():
            return f"No {self.unit} to show. {self.note}".strip()
        first, last = self.rows[0], self.rows[-1]
        if self.shape is ChartShape.TIMELINE:
            peak = max(self.rows, key=lambda row: row.count)
            text = (
                f"{self.title}, from {first.label} to {last.label}; "
                f"the most, {peak.count}, in {peak.label}."
            )
        else:
            text = f"{self.title}: {len(self.rows)} in all; the most, {first.count}, {first.label}."
        return f"{text} {self.note}".strip()


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
            _signed_chart(records, today),
            _country_chart(partners, home, country_name),
            _continent_chart(partners, continent_of),
            _sector_chart(records),
            _type_chart(records),
            _activity_chart(groups, period),
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
    signed = _signed_by(record, today)
    return signed is not None and period.holds(signed)


def _signed_by(record: Record, today: date) -> PartialDate | None:
    """When the agreement was signed, if it had been by `today`."""
    signed = stored_date(record["signed_on"])
    return signed if signed is not None and signed.first_day() <= today else None


def _ranked(counts: Counter[str], label: Callable[[str], str] = str) -> tuple[ChartRow, ...]:
    """Largest first; what is not known (`UNKNOWN`, labelled by `label`) last."""
    ordered = sorted(counts.items(), key=lambda item: (item[0] == UNKNOWN, -item[1], item[0]))
    return tuple(
        ChartRow(None if key == UNKNOWN else key, label(key), count) for key, count in ordered
    )


def _signed_chart(records: Sequence[Record], today: date) -> Chart:
    signings = [_signed_by(record, today) for record in records]
    years = Counter(signed.year for signed in signings if signed is not None)
    unsigned = len(records) - years.total()
    note = (
        f"{counted(unsigned, 'agreement')} not signed by then or without a known date."
        if unsigned
        else ""
    )
    rows: tuple[ChartRow, ...] = ()
    title, dimension = "Agreements signed per year", "year"
    if years and max(years) - min(years) < YEARS_BEFORE_DECADES:
        span = range(min(years), max(years) + 1)
        rows = tuple(ChartRow(str(year), str(year), years[year]) for year in span)
    elif years and max(years) - min(years) < YEARS_BEFORE_CENTURIES:
        decades = Counter({year // 10 * 10: 0 for year in range(min(years), max(years) + 1)})
        for year, count in years.items():
            decades[year // 10 * 10] += count
        rows = tuple(
            ChartRow(f"{decade}s", f"{decade}s", count) for decade, count in sorted(decades.items())
        )
        title, dimension = "Agreements signed per decade", "decade"
    elif years:
        centuries = Counter({year // 100 * 100: 0 for year in range(min(years), max(years) + 1)})
        for year, count in years.items():
            centuries[year // 100 * 100] += count
        rows = tuple(
            ChartRow(f"{start}-{start + 99}", f"{start}–{start + 99}", count)
            for start, count in sorted(centuries.items())
        )
        title, dimension = "Agreements signed per century", "century"
    return Chart("signed", title, "agreements", dimension, ChartShape.TIMELINE, rows, note)


def _country_chart(
    partners: Sequence[list[str]], home: str | None, country_name: Callable[[str], str]
) -> Chart:
    counts: Counter[str] = Counter()
    for codes in partners:
        counts.update(codes or [UNKNOWN])
    if home is None:
        title = "Agreements by country of the parties"
    else:
        title = f"Agreements by partner country (beside {country_name(home)})"

    def label(code: str) -> str:
        if code == UNKNOWN:
            return NO_COUNTRY
        return f"{country_name(code)} (within)" if code == home else country_name(code)

    rows = _ranked(counts, label)
    return Chart("countries", title, "agreements", "country", ChartShape.RANKING, rows)


def _continent_chart(
    partners: Sequence[list[str]], continent_of: Callable[[str], str | None]
) -> Chart:
    counts: Counter[str] = Counter()
    for codes in partners:
        counts.update({continent_of(code) or UNKNOWN for code in codes} or {UNKNOWN})
    rows = _ranked(counts, lambda name: NO_CONTINENT if name == UNKNOWN else name)
    return Chart(
        "continents", "Agreements by continent", "agreements", "continent", ChartShape.RANKING, rows
    )


def _sector_chart(records: Sequence[Record]) -> Chart:
    counts: Counter[str] = Counter()
    for record in records:
        counts.update([s["name"] for s in record["sectors"]] or [UNKNOWN])
    rows = _ranked(counts, lambda name: NO_SECTOR if name == UNKNOWN else name)
    possible = any(s["certainty"] == "possible" for record in records for s in record["sectors"])
    note = (
        "Sectors marked possible (? in the table) are counted with those agreed."
        if possible
        else ""
    )
    title = "Agreements by sector"
    return Chart("sectors", title, "agreements", "sector", ChartShape.RANKING, rows, note)


def _type_chart(records: Sequence[Record]) -> Chart:
    rows = _ranked(
        Counter(record["type"] for record in records), lambda kind: kind.replace("-", " ")
    )
    return Chart("types", "Agreements by type", "agreements", "type", ChartShape.RANKING, rows)


def _activity_chart(groups: Sequence[ActivityGroup], period: ReportPeriod) -> Chart:
    activities = [activity for group in groups for activity in group.activities]
    months = period.months()
    if len(months) > MONTHS_BEFORE_YEARS:
        years = Counter(activity.on.year for activity in activities)
        rows = tuple(
            ChartRow(str(year), str(year), years[year])
            for year in range(period.first.year, period.last.year + 1)
        )
        title = "Activities per year"
        return Chart("activities", title, "activities", "year", ChartShape.TIMELINE, rows)
    dated = [a for a in activities if a.on.month is not None]
    by_month = Counter((a.on.year, a.on.month) for a in dated)
    several_years = months[0][0] != months[-1][0]
    rows = tuple(
        ChartRow(
            f"{year:04d}-{month:02d}",
            _month_label(year, month, several_years),
            by_month[(year, month)],
        )
        for year, month in months
    )
    undated = len(activities) - len(dated)
    note = f"{counted(undated, 'activity', 'activities')} known only by year." if undated else ""
    return Chart(
        "activities", "Activities per month", "activities", "month", ChartShape.TIMELINE, rows, note
    )


def _month_label(year: int, month: int, with_year: bool) -> str:
    name = calendar.month_abbr[month]
    return f"{name} {year}" if with_year else name


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
