"""The words of the council report, shared by its HTML and its Markdown: headings, key
figures and the cells of its tables, as plain text that each format escapes its own way."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from agreements import __version__
from agreements.domain.council_report import (
    AgreementRow,
    CouncilReport,
    DormantRow,
    Standing,
)
from agreements.domain.dates import PartialDate
from agreements.domain.due import DueItem, DueKind
from agreements.domain.model import Activity
from agreements.domain.text import counted
from agreements.domain.values import Status
from agreements.render.listing import short_type
from agreements.render.relative import span, written

CountryName = Callable[[str], str]


@dataclass(frozen=True)
class Figure:
    label: str
    value: int


def key_figures(report: CouncilReport) -> list[Figure]:
    standing = dict(report.standing)
    return [
        Figure("Agreements", report.total),
        *(Figure(kind.value.capitalize(), standing[kind]) for kind in Standing),
        Figure("Signed in the period", report.signed_in_period),
        Figure("Activities in the period", report.activities_in_period),
        Figure(
            "Partner countries" if report.home_country else "Countries",
            report.partner_countries,
        ),
    ]


def selected(report: CouncilReport) -> str:
    """ "chosen by --country CN and --dormant"."""
    return f"chosen by {_listed(list(report.selection))}"


def header_lines(report: CouncilReport) -> list[str]:
    chosen = []
    if report.selection:
        chosen = [f"Agreements: {report.total} of {report.register_total}, {selected(report)}"]
    return [
        *chosen,
        f"Period: {report.period.readable()}",
        f"Standing as of {_day(report.as_of)}",
        f"Made on {_day(report.made_on)}",
    ]


def made_with(report: CouncilReport) -> str:
    return f"Made with agreements {__version__} from the register {report.register_name}."


def _day(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def when(day: PartialDate, report: CouncilReport) -> str:
    """A date of the report, with when it is from today on a report of today: "in 3
    months" read a year later would mislead."""
    return written(day, report.as_of) if report.as_of == report.made_on else day.readable()


def in_brief(report: CouncilReport) -> list[str]:
    """The report in a few sentences, as a council paper opens."""
    standing = dict(report.standing)
    where = counted(report.partner_countries, "country", "countries")
    if report.selection:
        held = (
            f"The report covers {report.total} of the register's "
            f"{counted(report.register_total, 'agreement')}, those {selected(report)}."
        )
        if report.partner_countries:
            held += f" Their {'partners' if report.home_country else 'parties'} are in {where}."
    else:
        held = f"The register holds {counted(report.total, 'agreement')}"
        if report.partner_countries:
            held += f" with partners in {where}" if report.home_country else f" in {where}"
        held += "."
    as_of = _day(report.as_of)
    parts = [f"{standing[kind]} {_BRIEF_WORDS[kind]}" for kind in Standing if standing[kind]]
    signed, done = report.signed_in_period, report.activities_in_period
    sentences = [held]
    if parts:
        sentences.append(f"Standing as of {as_of}: {_listed(parts)}.")
    sentences.append(
        f"In the period ({report.period.readable()}), "
        + ("no agreement was" if not signed else f"{counted(signed, 'agreement')} {_was(signed)}")
        + " signed and "
        + (
            "no activity was"
            if not done
            else f"{counted(done, 'activity', 'activities')} {_was(done)}"
        )
        + " recorded."
    )
    ahead = [
        counted(count, noun, plural)
        for count, noun, plural in (
            (len(anniversaries(report)), "anniversary", "anniversaries"),
            (len(other_dates(report)), "other date", "other dates"),
        )
        if count
    ]
    if ahead:
        sentences.append(f"The next 12 months hold {_listed(ahead)}.")
    else:
        sentences.append("Nothing falls due in the next 12 months.")
    if report.overdue:
        overdue = len(report.overdue)
        sentences.append(f"{counted(overdue, 'item')} {'is' if overdue == 1 else 'are'} overdue.")
    return sentences


_BRIEF_WORDS = {
    Standing.ACTIVE: "active", Standing.DORMANT: "dormant",
    Standing.NO_ACTIVITY: "with no activity recorded", Standing.PROPOSED: "proposed",
    Standing.SUSPENDED: "suspended", Standing.ENDED: "ended",
}  # fmt: skip


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def standing_note(report: CouncilReport) -> str:
    return (
        f"An agreement in force is active when an activity is recorded within "
        f"{report.dormant_after} of {_day(report.as_of)}, "
        "dormant when its last activity is older, and otherwise has no activity recorded."
    )


DUE_COLUMNS = ("Date", "What", "Agreement")


def due_cells(item: DueItem, report: CouncilReport) -> tuple[str, ...]:
    what = item.description
    if item.kind is DueKind.FOLLOW_UP:
        what = f"follow-up: {what}"
    return when(item.when(), report), what, f"{item.title} (#{item.agreement_id})"


DORMANT_COLUMNS = ("Agreement", "Parties", "Last activity", "Quiet for")


def dormant_cells(row: DormantRow, report: CouncilReport) -> tuple[str, ...]:
    quiet = (report.as_of - row.last_activity.last_day()).days
    return (
        f"{row.title} (#{row.id})",
        "; ".join(row.parties),
        row.last_activity.readable(),
        span(quiet) if quiet > 0 else "",
    )


ACTIVITY_COLUMNS = ("Date", "Kind", "Summary", "Follow-up")


def activity_cells(activity: Activity) -> tuple[str, ...]:
    follow_up = ""
    if activity.follow_up_on is not None:
        follow_up = activity.follow_up_on.readable()
        if activity.follow_up:
            follow_up += f": {activity.follow_up}"
    elif activity.follow_up:
        follow_up = activity.follow_up
    summary = (
        activity.summary
        if activity.party is None
        else (f"{activity.summary} (by {activity.party})")
    )
    return activity.on.readable(), activity.kind.value, summary, follow_up


_QUIET = {Standing.DORMANT: "dormant", Standing.NO_ACTIVITY: "no activity"}

POSSIBLE_NOTE = "A sector ending in ? is possible: named, not yet agreed."

AGREEMENT_COLUMNS = ("#", "Title", "Type", "Status", "Signed", "Parties", "Sectors")


def agreement_cells(row: AgreementRow, country_name: CountryName) -> tuple[str, ...]:
    status = row.status
    if row.status == Status.ACTIVE.value and row.standing is not Standing.ACTIVE:
        status = f"{row.status} ({_QUIET[row.standing]})"
    parties = "; ".join(
        party.name if shown is None else f"{party.name} ({country_name(shown)})"
        for party in row.parties
        for shown in (party.shown_country(),)
    )
    return (
        str(row.id),
        row.title,
        short_type(row.type),
        status,
        "" if row.signed is None else row.signed.readable(),
        parties,
        ", ".join(name + ("?" if how == "possible" else "") for name, how in row.sectors),
    )


@dataclass(frozen=True)
class DueSection:
    heading: str
    items: list[DueItem]
    empty: str
    """What to say when it has no items."""
    overdue: bool = False


def due_sections(report: CouncilReport) -> list[DueSection]:
    """What comes up, in the order a council reads it: celebrations, duties, arrears."""
    return [
        DueSection(
            "Anniversaries", anniversaries(report), "No anniversaries in the next 12 months."
        ),
        DueSection(
            "Reviews, expiries, notice deadlines and follow-ups",
            other_dates(report),
            "Nothing else falls due in the next 12 months.",
        ),
        DueSection("Overdue", list(report.overdue), "Nothing is overdue.", overdue=True),
    ]


def anniversaries(report: CouncilReport) -> list[DueItem]:
    return [item for item in report.upcoming if item.kind is DueKind.ANNIVERSARY]


def other_dates(report: CouncilReport) -> list[DueItem]:
    return [item for item in report.upcoming if item.kind is not DueKind.ANNIVERSARY]
