"""What an import did or would do, for the person running it."""

from __future__ import annotations

from agreements.domain.countries import CountryReading, Resolution
from agreements.domain.text import counted, printable
from agreements.exchange.import_report import Action, ImportReport

_ACTION_WORDS = {
    "imported": "import as #{id}",
    "merged": "merge into row {row} (#{id})",
    "skipped": "skip: {reason} as #{id}",
    "updated": "update #{id}",
}
_SHOWN_REJECTIONS = 5
_SHOWN_NAMES = 4
_READ_THROUGH = {
    Resolution.SUBDIVISION: "through a region",
    Resolution.FORMER: "as a former country",
    Resolution.ALIAS: "through an alias",
    Resolution.QUALIFIED: "without their qualifier",
}


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
    lines += _reading_lines(report)
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


def _reading_lines(report: ImportReport) -> list[str]:
    """Every guess the import made: countries read other than by code or name, namesakes
    kept as two parties, and names with a qualifier in parentheses."""
    lines = []
    for how, found in report.readings_by_kind().items():
        rows = sum(count for _, _, count in found)
        shown = ", ".join(
            f"{text!r} → {_read_as(reading)}" + (f" ×{count}" if count > 1 else "")
            for text, reading, count in found[:_SHOWN_NAMES]
        )
        more = f", … {len(found) - _SHOWN_NAMES} more" if len(found) > _SHOWN_NAMES else ""
        lines.append(
            f"Countries read {_READ_THROUGH[how]} ({counted(rows, 'cell')}): {shown}{more}"
        )
    if report.places:
        lines.append(_places_line(report))
    if report.namesakes:
        shown = ", ".join(f"{n.where} ({n.name})" for n in report.namesakes[:_SHOWN_NAMES])
        hidden = len(report.namesakes) - _SHOWN_NAMES
        more = f", … {hidden} more (--report lists them)" if hidden > 0 else ""
        verb = "names" if len(report.namesakes) == 1 else "name"
        lines.append(
            f"{counted(len(report.namesakes), 'row')} {verb} two parties of one name that "
            f"nothing tells apart, kept as two parties: {shown}{more}; a parent column "
            "(--map partyN.parent=COLUMN) tells them apart"
        )
    if report.qualified_names:
        count = sum(report.qualified_names.values())
        names = ", ".join(repr(name) for name in list(report.qualified_names)[:_SHOWN_NAMES])
        more = ", …" if len(report.qualified_names) > _SHOWN_NAMES else ""
        done = {
            "keep": "kept as given (--parenthesis parent|alias reads the qualifier)",
            "parent": "read as name and parent, where the row gave no parent",
            "alias": "read as name and other name",
        }[report.parenthesis]
        lines.append(
            f"{counted(count, 'name')} with a qualifier in parentheses ({names}{more}) {done}"
        )
    return [printable(line) for line in lines]


def _places_line(report: ImportReport) -> str:
    """The parties in a former country of several successors ("USSR"): today's country
    told by a city of the place's name, or left empty."""
    found = report.places.most_common()
    told = [(place, country, n) for (_, place, country), n in found if country is not None]
    untold = [(place, n) for (_, place, country), n in found if country is None]
    parts = []
    if told:
        shown = ", ".join(
            f"{place!r} → {country}" + (f" ×{n}" if n > 1 else "")
            for place, country, n in told[:_SHOWN_NAMES]
        )
        more = f", … {len(told) - _SHOWN_NAMES} more" if len(told) > _SHOWN_NAMES else ""
        total = counted(sum(n for _, _, n in told), "party", "parties")
        parts.append(f"Countries today told by a city of the place's name ({total}): {shown}{more}")
    if untold:
        shown = ", ".join(repr(place) for place, _ in untold[:_SHOWN_NAMES])
        more = ", …" if len(untold) > _SHOWN_NAMES else ""
        count = sum(n for _, n in untold)
        parts.append(
            f"no country today for {counted(count, 'party', 'parties')} ({shown}{more}): "
            "no city of that name told it, and the former country is kept"
        )
    line = "; ".join(parts)
    return line[:1].upper() + line[1:]


def _read_as(reading: CountryReading) -> str:
    parts = [reading.region_code or reading.former or reading.country or "?"]
    if reading.former and reading.country:
        parts.append(f"today {reading.country}")
    elif reading.region_code is None and reading.region and reading.country:
        parts = [reading.country]
    return " ".join(parts) if len(parts) == 1 else f"{parts[0]} ({parts[1]})"
