"""The words of the council report, shared by its HTML and its Markdown: headings, key
figures and the cells of its tables, as plain text that each format escapes its own way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from agreements.domain.council_report import (
    AgreementRow,
    CouncilReport,
    DormantRow,
    Standing,
)
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
        f"Standing as of {report.as_of.day} {report.as_of:%B} {report.as_of.year}",
        f"Made on {report.made_on.day} {report.made_on:%B} {report.made_on.year} "
        f"from the register {report.register_name}",
    ]


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
    as_of = f"{report.as_of.day} {report.as_of:%B} {report.as_of.year}"
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
        counted(len(anniversaries(report)), "anniversary", "anniversaries"),
        counted(len(other_dates(report)), "other date"),
    ]
    sentences.append(f"The next 12 months hold {_listed(ahead)}.")
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
        f"{report.dormant_after} of {report.as_of.day} {report.as_of:%B} {report.as_of.year}, "
        "dormant when its last activity is older, and otherwise has no activity recorded."
    )


DUE_COLUMNS = ("Date", "What", "Agreement")


def due_cells(item: DueItem, report: CouncilReport) -> tuple[str, ...]:
    what = item.description
    if item.kind is DueKind.FOLLOW_UP:
        what = f"follow-up: {what}"
    return written(item.when(), report.as_of), what, f"{item.title} (#{item.agreement_id})"


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

AGREEMENT_COLUMNS = ("#", "Title", "Type", "Status", "Signed", "Parties", "Sectors")


def agreement_cells(row: AgreementRow, country_name: CountryName) -> tuple[str, ...]:
    status = row.status
    if row.status == Status.ACTIVE.value and row.standing is not Standing.ACTIVE:
        status = f"{row.status} ({_QUIET[row.standing]})"
    parties = "; ".join(
        party.name if party.country is None else f"{party.name} ({country_name(party.country)})"
        for party in row.parties
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


def anniversaries(report: CouncilReport) -> list[DueItem]:
    return [item for item in report.upcoming if item.kind is DueKind.ANNIVERSARY]


def other_dates(report: CouncilReport) -> list[DueItem]:
    return [item for item in report.upcoming if item.kind is not DueKind.ANNIVERSARY]
