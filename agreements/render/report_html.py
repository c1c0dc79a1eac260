"""The council report as one self-contained HTML page: no script, no font, no stylesheet
or image from anywhere else, so that it opens offline and travels as an attachment.

Every piece of user text is escaped; a Content-Security-Policy forbids scripts and every
outside request besides, should anything ever slip through.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from agreements import __version__
from agreements.domain.council_report import CouncilReport
from agreements.domain.report_charts import Chart
from agreements.domain.text import printable
from agreements.render import report_content as content
from agreements.render.report_style import stylesheet
from agreements.render.svg_charts import chart_svg, standing_svg

PAPERS = {"a4": "A4", "letter": "letter"}
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def text(value: str) -> str:
    """User text for HTML: escaped, its control characters shown, never obeyed."""
    return escape(printable(value), quote=True)


def css_string(value: str) -> str:
    """A CSS string of `value` in which only letters, digits and spaces stand as they are,
    so that nothing in it can end the string or the stylesheet."""
    escaped = "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):x} "
        for char in printable(value)
    )
    return f'"{escaped}"'


def report_html(report: CouncilReport, country_name: content.CountryName, paper: str) -> str:
    css = stylesheet(PAPERS[paper], css_string(report.title), css_string(report.period.readable()))
    body = "".join(
        (
            _header(report),
            _figures(report),
            _charts(report),
            _due(report),
            _dormant(report),
            _activities(report),
            _agreements(report, country_name),
            _footer(report),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="agreements {__version__}">\n'
        f"<title>{text(report.title)} – {text(report.period.readable())}</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _header(report: CouncilReport) -> str:
    lines = "".join(f"<p>{text(line)}</p>" for line in content.header_lines(report))
    return f'<header class="report"><h1>{text(report.title)}</h1>{lines}</header>\n'


def _figures(report: CouncilReport) -> str:
    figures = "".join(
        f"<div><dt>{text(figure.label)}</dt><dd>{figure.value}</dd></div>"
        for figure in content.key_figures(report)
    )
    brief = " ".join(content.in_brief(report))
    return (
        '<section class="figures"><h2>Key figures</h2>'
        f'<p class="lead">{text(brief)}</p><dl class="figures">{figures}</dl>'
        f'<figure class="chart">{standing_svg(report.standing)}'
        f"<p>{text(content.standing_note(report))}</p></figure></section>\n"
    )


def _charts(report: CouncilReport) -> str:
    return (
        '<section class="charts"><h2>The partnerships in figures</h2>'
        + "".join(_chart(chart) for chart in report.charts)
        + "</section>\n"
    )


def _chart(chart: Chart) -> str:
    if not chart.total():
        return f'<h3>{text(chart.title)}</h3><p class="note">{text(chart.summary())}</p>'
    note = f"<p>{text(chart.note)}</p>" if chart.note else ""
    return (
        f'<figure class="chart" id="chart-{chart.key}"><figcaption>{text(chart.title)}'
        f"</figcaption>{chart_svg(chart)}{note}</figure>"
    )


def _table(
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numbers: Sequence[int] = (),
    dates: Sequence[int] = (),
    texts: Sequence[int] = (),
    row_class: Sequence[str] | None = None,
) -> str:
    """A table; `texts` are the columns of long free text, which may break within a word
    that is wider than the column, so that no word pushes the others off the page."""

    def cell(index: int, value: str, tag: str) -> str:
        kind = "number" if index in numbers else ""
        if tag == "td" and not kind:
            kind = "date" if index in dates else "text" if index in texts else ""
        attribute = f' class="{kind}"' if kind else ""
        return f"<{tag}{attribute}>{text(value)}</{tag}>"

    head = "".join(cell(index, column, "th") for index, column in enumerate(columns))
    body = []
    for position, row in enumerate(rows):
        classes = row_class[position] if row_class else ""
        attribute = f' class="{classes}"' if classes else ""
        cells = "".join(cell(index, value, "td") for index, value in enumerate(row))
        body.append(f"<tr{attribute}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _due(report: CouncilReport) -> str:
    parts = ['<section class="due"><h2>Coming up in the next 12 months</h2>']
    for section in content.due_sections(report):
        parts.append(f"<h3>{text(section.heading)}</h3>")
        if not section.items:
            parts.append(f'<p class="note">{text(section.empty)}</p>')
            continue
        rows = [content.due_cells(item, report) for item in section.items]
        marks = ["overdue"] * len(rows) if section.overdue else None
        parts.append(_table(content.DUE_COLUMNS, rows, dates=(0,), texts=(1, 2), row_class=marks))
    parts.append("</section>\n")
    return "".join(parts)


def _dormant(report: CouncilReport) -> str:
    parts = ['<section class="dormant"><h2>Dormant partnerships</h2>']
    if report.dormant:
        rows = [content.dormant_cells(row, report) for row in report.dormant]
        parts.append(_table(content.DORMANT_COLUMNS, rows, dates=(2,), texts=(0, 1)))
    else:
        parts.append('<p class="note">No partnership in force has gone quiet.</p>')
    parts.append("</section>\n")
    return "".join(parts)


def _activities(report: CouncilReport) -> str:
    heading = f"Activities, {report.period.readable()}"
    parts = [f'<section class="activities"><h2>{text(heading)}</h2>']
    if not report.activities:
        parts.append('<p class="note">No activities are recorded in the period.</p>')
    for group in report.activities:
        parts.append(f'<h3>{text(group.title)} <span class="muted">#{group.id}</span></h3>')
        rows = [content.activity_cells(activity) for activity in group.activities]
        parts.append(_table(content.ACTIVITY_COLUMNS, rows, dates=(0,), texts=(2, 3)))
    parts.append("</section>\n")
    return "".join(parts)


def _agreements(report: CouncilReport, country_name: content.CountryName) -> str:
    rows = [content.agreement_cells(row, country_name) for row in report.agreements]
    heading = f"Every agreement ({report.total})"
    return (
        f'<section class="agreements"><h2>{text(heading)}</h2>'
        + _table(content.AGREEMENT_COLUMNS, rows, numbers=(0,), dates=(4,), texts=(1, 5, 6))
        + _possible_note(report)
        + "</section>\n"
    )


def _possible_note(report: CouncilReport) -> str:
    possible = any(how == "possible" for row in report.agreements for _, how in row.sectors)
    return f'<p class="note">{text(content.POSSIBLE_NOTE)}</p>' if possible else ""


def _footer(report: CouncilReport) -> str:
    return f"<footer><p>{text(content.made_with(report))}</p></footer>\n"
