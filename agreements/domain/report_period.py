"""The period a report covers: the days it counts signings and activities in."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from agreements.domain.dates import PartialDate
from agreements.errors import InvalidInput


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
