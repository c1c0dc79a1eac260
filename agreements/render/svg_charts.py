"""Charts as inline SVG, drawn by hand: columns for a timeline, bars for a ranking, and
one stacked bar for the standing of the agreements.

Each chart is an image with a `<title>` and a `<desc>` that lists every number it shows,
and the numbers are written on the chart as well, so that it reads without colour, in
grey print, and to a screen reader. All text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from agreements.domain.council_report import Standing
from agreements.domain.report_charts import Chart, ChartShape
from agreements.render.report_style import (
    BAR,
    GRID,
    INK,
    MUTED,
    PAPER,
    RULE,
    STANDING_FILLS,
    Fill,
    Pattern,
)

WIDTH = 640
_FONT = 11
_CHAR = 6.2
"""The width of an average character at the chart's font size, for fitting labels."""
_LABEL_CHARACTERS = 30


def chart_svg(chart: Chart) -> str:
    if chart.shape is ChartShape.TIMELINE:
        return columns_svg(chart)
    return bars_svg(chart)


def _opening(key: str, height: float, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:g}" '
        f'width="{WIDTH}" height="{height:g}" role="img" class="chart-{escape(key)}" '
        f'aria-labelledby="{key}-title {key}-desc" font-size="{_FONT}">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(description)}</desc>'
        f'<rect width="{WIDTH}" height="{height:g}" fill="{PAPER}"/>'
    )


def _numbers(rows: Sequence[tuple[str, int]]) -> str:
    return "; ".join(f"{label}: {count}" for label, count in rows)


def _description(chart: Chart) -> str:
    return f"{chart.summary()} {_numbers(chart.shown())}."


def _shortened(label: str, characters: int = _LABEL_CHARACTERS) -> str:
    return label if len(label) <= characters else label[: characters - 1].rstrip() + "…"


def bars_svg(chart: Chart) -> str:
    """A ranking: one horizontal bar a row, its label on the left, its count at its end."""
    rows = chart.shown()
    row_height, top = 22, 6
    height = top * 2 + row_height * len(rows)
    longest = max((len(_shortened(label)) for label, _ in rows), default=4)
    label_width = min(longest * _CHAR + 8, 210)
    start, end = label_width + 8, WIDTH - 48
    largest = max((count for _, count in rows), default=0) or 1
    parts = [_opening(chart.key, height, chart.title, _description(chart))]
    parts.append(
        f'<line x1="{start}" y1="{top}" x2="{start}" y2="{height - top}" stroke="{RULE}"/>'
    )
    for index, (label, count) in enumerate(rows):
        y = top + index * row_height
        length = (end - start) * count / largest
        middle = y + row_height / 2
        parts.append(
            f"<g><title>{escape(label)}: {count}</title>"
            f'<text x="{label_width:g}" y="{middle:g}" text-anchor="end" '
            f'dominant-baseline="central" fill="{INK}">{escape(_shortened(label))}</text>'
            f'<rect x="{start}" y="{y + 4:g}" width="{length:.1f}" height="{row_height - 8}" '
            f'fill="{BAR}"/>'
            f'<text x="{start + length + 5:.1f}" y="{middle:g}" dominant-baseline="central" '
            f'fill="{INK}" font-weight="700">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def columns_svg(chart: Chart) -> str:
    """A timeline: one column a year, decade or month, with the count above each."""
    height, left, right, top, bottom = 230, 44, 12, 22, 34
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    rows = chart.shown()
    largest = max((count for _, count in rows), default=0)
    step = _tick_step(largest)
    ceiling = max(step * math.ceil(largest / step), step)
    parts = [_opening(chart.key, height, chart.title, _description(chart))]
    for tick in range(0, ceiling + 1, step):
        y = top + plot_height * (1 - tick / ceiling)
        colour = RULE if tick == 0 else GRID
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{colour}"/>'
            f'<text x="{left - 6}" y="{y:.1f}" text-anchor="end" dominant-baseline="central" '
            f'fill="{MUTED}">{tick}</text>'
        )
    slot = plot_width / max(len(rows), 1)
    widest = max((len(label) for label, _ in rows), default=1) * _CHAR + 6
    labelled = _labelled(len(rows), max(1, math.ceil(widest / slot)))
    counts_fit = slot >= len(str(largest)) * _CHAR + 1
    for index, (label, count) in enumerate(rows):
        x = left + index * slot
        column = plot_height * count / ceiling
        middle = x + slot / 2
        parts.append(f"<g><title>{escape(label)}: {count}</title>")
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{top + plot_height - column:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{column:.1f}" fill="{BAR}"/>'
        )
        if count and counts_fit:
            parts.append(
                f'<text x="{middle:.1f}" y="{top + plot_height - column - 4:.1f}" '
                f'text-anchor="middle" fill="{INK}" font-weight="700">{count}</text>'
            )
        if index in labelled:
            parts.append(
                f'<text x="{middle:.1f}" y="{height - bottom + 15}" text-anchor="middle" '
                f'fill="{INK}">{escape(label)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _labelled(count: int, every: int) -> set[int]:
    """Which columns of `count` carry their label, one in `every`: the first and the last
    always, so that a timeline says where it begins and ends."""
    chosen = set(range(0, count, every))
    if count and count - 1 not in chosen:
        chosen.discard(max(chosen))
        chosen.add(count - 1)
    return chosen


def _tick_step(largest: int) -> int:
    """A round step for about four gridlines: 1, 2, 5, 10, 20, 50…"""
    if largest <= 4:
        return 1
    rough = largest / 4
    power: int = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= rough:
            return multiple * power
    return 10 * power


_PATTERN_SHAPES = {
    Pattern.DIAGONAL: '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{line}" '
    'stroke-width="1.6"/>',
    Pattern.DOTS: '<circle cx="4" cy="4" r="1.6" fill="{line}"/>',
    Pattern.HORIZONTAL: '<path d="M0,4 h8" stroke="{line}" stroke-width="1.6"/>',
    Pattern.CROSS: '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="{line}" stroke-width="1.2"/>',
    Pattern.VERTICAL: '<path d="M4,0 v8" stroke="{line}" stroke-width="1.6"/>',
}


def _pattern(key: str, fill: Fill) -> tuple[str, str]:
    """The `<pattern>` definition for a fill (none for a solid one) and what fills with it."""
    if fill.pattern is Pattern.SOLID:
        return "", fill.colour
    shape = _PATTERN_SHAPES[fill.pattern].format(line=PAPER)
    definition = (
        f'<pattern id="{key}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{fill.colour}"/>{shape}</pattern>'
    )
    return definition, f"url(#{key})"


_THINNEST = 6.0
"""The least width of a segment of the standing bar: one dormant agreement in a
thousand is still seen."""


def _segment_widths(shown: Sequence[tuple[Standing, int]], width: float) -> list[float]:
    total = sum(count for _, count in shown)
    thin = [count * width / total < _THINNEST for _, count in shown]
    rest = sum(count for (_, count), small in zip(shown, thin, strict=True) if not small)
    left = width - _THINNEST * sum(thin)
    return [
        _THINNEST if small else left * count / rest
        for (_, count), small in zip(shown, thin, strict=True)
    ]


def standing_svg(standing: Sequence[tuple[Standing, int]]) -> str:
    """The agreements by standing as one bar of segments, each with its own colour and
    pattern, and a legend that gives every count."""
    shown = [(kind, count) for kind, count in standing if count]
    total = sum(count for _, count in shown)
    rows = (len(standing) + 2) // 3
    height = 56 + 22 * rows
    numbers = "; ".join(f"{kind.value}: {count}" for kind, count in standing)
    parts = [
        _opening(
            "standing",
            height,
            "Agreements by standing",
            f"{total} agreements by standing. {numbers}.",
        )
    ]
    fills = {}
    definitions = []
    for kind in Standing:
        definition, fills[kind] = _pattern(f"standing-{kind.name.lower()}", STANDING_FILLS[kind])
        definitions.append(definition)
    parts.append(f"<defs>{''.join(definitions)}</defs>")
    x = 0.0
    for (kind, count), width in zip(shown, _segment_widths(shown, WIDTH - 2), strict=True):
        parts.append(
            f"<g><title>{escape(kind.value)}: {count}</title>"
            f'<rect x="{x + 1:.1f}" y="4" width="{width:.1f}" height="30" fill="{fills[kind]}" '
            f'stroke="{PAPER}" stroke-width="1"/></g>'
        )
        x += width
    for index, (kind, count) in enumerate(standing):
        column, row = index % 3, index // 3
        left, y = column * (WIDTH / 3), 50 + row * 22
        parts.append(
            f'<rect x="{left + 1:.1f}" y="{y}" width="16" height="16" fill="{fills[kind]}" '
            f'stroke="{RULE}"/>'
            f'<text x="{left + 24:.1f}" y="{y + 8}" dominant-baseline="central" fill="{INK}">'
            f'{escape(kind.value)}: <tspan font-weight="700">{count}</tspan></text>'
        )
    parts.append("</svg>")
    return "".join(parts)
