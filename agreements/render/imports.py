"""What an import did or would do, for the person running it."""

from __future__ import annotations

from agreements.domain.text import counted, printable
from agreements.exchange.import_report import Action, ImportReport

_ACTION_WORDS = {
    "imported": "import as #{id}",
    "merged": "merge into row {row} (#{id})",
    "skipped": "skip: {reason} as #{id}",
    "updated": "update #{id}",
}
_SHOWN_REJECTIONS = 5


def import_details(report: ImportReport) -> list[str]:
    """One line per row of a dry run: what would happen to it."""
    lines = []
    for outcome in report.outcomes:
        if outcome.action is Action.REJECTED:
            lines.append(f"{outcome.where}: reject: {outcome.reason}")
            continue
        words = _ACTION_WORDS[outcome.action.value].format(
            id=outcome.id, row=outcome.merged_into_row, reason=outcome.reason
        )
        lines.append(f"{outcome.where}: {words} — {outcome.title}")
    return [printable(line) for line in lines]


def import_summary(report: ImportReport) -> list[str]:
    """What an import did, for stderr: counts, then what needs the user's attention."""
    counts = {action: report.count(action) for action in Action}
    verb = "Would import" if report.dry_run else "Imported"
    parts = [f"{counted(len(report.outcomes), 'row')} read"]
    parts += [f"{counts[a]} {a.value}" for a in Action if a is not Action.IMPORTED and counts[a]]
    if report.renumbered:
        parts.append(f"{report.renumbered} got new ids because theirs were taken")
    lines = [
        f"{verb} {counted(counts[Action.IMPORTED], 'agreement')} from {report.source}: "
        f"{', '.join(parts)}"
    ]
    if report.unresolved_countries:
        found = ", ".join(
            f"{name!r} ×{count}" for name, count in report.unresolved_countries.most_common()
        )
        lines.append(
            f"Countries not recognised, left empty with the name kept: {found}; "
            'give a code with --country-alias "NAME=CODE"'
        )
    if report.conflicts:
        pairs = (
            "1 pair appears"
            if len(report.conflicts) == 1
            else f"{len(report.conflicts)} pairs appear"
        )
        lines.append(
            f"{pairs} more than once with a different type or date; each listing was kept "
            "as its own agreement (--report lists them)"
        )
    rejected = report.rejected()
    if rejected and not report.dry_run:
        lines += [f"Rejected {o.where}: {o.reason}" for o in rejected[:_SHOWN_REJECTIONS]]
        if len(rejected) > _SHOWN_REJECTIONS:
            lines.append(f"… and {len(rejected) - _SHOWN_REJECTIONS} more; --report lists them")
    return lines
