"""`report --format md`: the council report as Markdown, for pasting into a council paper.

The same sections as the page, with each chart's numbers as a table. User text is
escaped, so that a title is never read as markup, a link or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from agreements.domain.council_report import CouncilReport
from agreements.domain.text import printable
from agreements.render import report_content as content

# What Markdown reads as markup within a line; what it reads only at the start of one
# ("-", "1.") never starts a line of user text here.
if TYPE_CHECKING:
    from rich.console import Console

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&$])")
# What GitHub's Markdown turns into a link without any markup.
_BARE_LINK = re.compile(r"(?<=[A-Za-z])(?=://)|(?<=\bwww)(?=\.)", re.IGNORECASE)


def markdown_text(value: str) -> str:
    """Text that Markdown shows as it is: its punctuation escaped, on one line."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(printable(value).split()))
    return _BARE_LINK.sub("\\\\", escaped)


def _table(columns: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()) -> str:
    lines = [
        "| " + " | ".join(markdown_text(column) for column in columns) + " |",
        "|" + "|".join("---:" if index in right else "---" for index in range(len(columns))) + "|",
    ]
    lines += ["| " + " | ".join(markdown_text(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def report_markdown(report: CouncilReport, country_name: content.CountryName) -> str:
    parts = [f"# {markdown_text(report.title)}\n"]
    parts.append("\n".join(f"- {markdown_text(line)}" for line in content.header_lines(report)))
    parts.append("\n## Key figures\n")
    parts.append(markdown_text(" ".join(content.in_brief(report))) + "\n")
    figures = [(figure.label, str(figure.value)) for figure in content.key_figures(report)]
    parts.append(_table(("Figure", "Number"), figures, right=(1,)))
    parts.append(markdown_text(content.standing_note(report)) + "\n")
    parts.append("## The partnerships in figures\n")
    for chart in report.charts:
        parts.append(f"### {markdown_text(chart.title)}\n")
        if not chart.total():
            parts.append(markdown_text(chart.summary()) + "\n")
            continue
        counts = [(label, str(count)) for label, count in chart.shown()]
        columns = (chart.dimension.capitalize(), chart.unit.capitalize())
        parts.append(_table(columns, counts, right=(1,)))
        if chart.note:
            parts.append(markdown_text(chart.note) + "\n")
    parts.append("## Coming up in the next 12 months\n")
    for section in content.due_sections(report):
        parts.append(f"### {markdown_text(section.heading)}\n")
        if section.items:
            rows = [content.due_cells(item, report) for item in section.items]
            parts.append(_table(content.DUE_COLUMNS, rows))
        else:
            parts.append(markdown_text(section.empty) + "\n")
    parts.append("## Dormant partnerships\n")
    if report.dormant:
        rows = [content.dormant_cells(row, report) for row in report.dormant]
        parts.append(_table(content.DORMANT_COLUMNS, rows))
    else:
        parts.append("No partnership in force has gone quiet.\n")
    parts.append(f"## Activities, {markdown_text(report.period.readable())}\n")
    if not report.activities:
        parts.append("No activities are recorded in the period.\n")
    for group in report.activities:
        parts.append(f"### {markdown_text(group.title)} (\\#{group.id})\n")
        rows = [content.activity_cells(activity) for activity in group.activities]
        parts.append(_table(content.ACTIVITY_COLUMNS, rows))
    parts.append(f"## Every agreement ({report.total})\n")
    rows = [content.agreement_cells(row, country_name) for row in report.agreements]
    parts.append(_table(content.AGREEMENT_COLUMNS, rows, right=(0,)))
    if any(how == "possible" for row in report.agreements for _, how in row.sectors):
        parts.append(markdown_text(content.POSSIBLE_NOTE) + "\n")
    parts.append(markdown_text(content.made_with(report)) + "\n")
    return "\n".join(parts)


def show_on_terminal(markdown: str, console: Console) -> None:
    """The Markdown laid out for the terminal's width: tables drawn, headings set off."""
    from rich.markdown import Markdown

    console.print(Markdown(markdown))
