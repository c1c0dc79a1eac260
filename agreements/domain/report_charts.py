"""The charts of a council report: what each counts, worked out from stored records.

Each chart holds every value it counts; `Chart.shown` is what a page draws of it.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from agreements.domain.dates import PartialDate
from agreements.domain.model import Activity
from agreements.domain.records import stored_date
from agreements.domain.report_period import ReportPeriod
from agreements.domain.text import counted

Record = Mapping[str, Any]

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


def signed_by(record: Record, today: date) -> PartialDate | None:
    """When the agreement was signed, if it had been by `today`."""
    signed = stored_date(record["signed_on"])
    return signed if signed is not None and signed.first_day() <= today else None


def _ranked(counts: Counter[str], label: Callable[[str], str] = str) -> tuple[ChartRow, ...]:
    """Largest first; what is not known (`UNKNOWN`, labelled by `label`) last."""
    ordered = sorted(counts.items(), key=lambda item: (item[0] == UNKNOWN, -item[1], item[0]))
    return tuple(
        ChartRow(None if key == UNKNOWN else key, label(key), count) for key, count in ordered
    )


def signed_chart(records: Sequence[Record], today: date) -> Chart:
    signings = [signed_by(record, today) for record in records]
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


def country_chart(
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


def continent_chart(
    partners: Sequence[list[str]], continent_of: Callable[[str], str | None]
) -> Chart:
    counts: Counter[str] = Counter()
    for codes in partners:
        counts.update({continent_of(code) or UNKNOWN for code in codes} or {UNKNOWN})
    rows = _ranked(counts, lambda name: NO_CONTINENT if name == UNKNOWN else name)
    return Chart(
        "continents", "Agreements by continent", "agreements", "continent", ChartShape.RANKING, rows
    )


def sector_chart(records: Sequence[Record]) -> Chart:
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


def type_chart(records: Sequence[Record]) -> Chart:
    rows = _ranked(
        Counter(record["type"] for record in records), lambda kind: kind.replace("-", " ")
    )
    return Chart("types", "Agreements by type", "agreements", "type", ChartShape.RANKING, rows)


def activity_chart(activities: Sequence[Activity], period: ReportPeriod) -> Chart:
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
