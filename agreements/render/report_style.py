"""The look of the council report: its colours, declared once, and its stylesheet.

Text colours keep a contrast of at least 4.5:1 with the paper and chart fills at least
3:1 (WCAG 2.2 AA); the standings also differ by pattern, so that a page printed in grey
still tells them apart. `tests/test_report.py` holds the palette to those ratios.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from agreements.domain.council_report import Standing

PAPER = "#ffffff"
INK = "#1a1a1a"
MUTED = "#4f4f4f"
"""Secondary text: dates, notes, the labels of axes."""
BAND = "#173b61"
"""The report's heading band, with text in PAPER on it."""
BAR = "#1f5a96"
RULE = "#767676"
"""Axes and the lines of tables: at least 3:1, as a part of a chart must be."""
GRID = "#d9d9d9"
"""Gridlines, which only help the eye; the numbers are written on the bars."""
STRIPE = "#f2f4f7"
"""Every other row of a table; text in INK keeps its contrast on it."""
OVERDUE = "#a3201f"

TEXT_COLOURS = (INK, MUTED, BAR, OVERDUE)
"""Colours text is written in, on PAPER or STRIPE."""


class Pattern(StrEnum):
    SOLID = "solid"
    DIAGONAL = "diagonal"
    DOTS = "dots"
    HORIZONTAL = "horizontal"
    CROSS = "cross"
    VERTICAL = "vertical"


@dataclass(frozen=True)
class Fill:
    colour: str
    pattern: Pattern


STANDING_FILLS = {
    Standing.ACTIVE: Fill("#1d6b3a", Pattern.SOLID),
    Standing.DORMANT: Fill("#935400", Pattern.DIAGONAL),
    Standing.NO_ACTIVITY: Fill("#6a6a6a", Pattern.DOTS),
    Standing.PROPOSED: Fill("#2c5c9c", Pattern.HORIZONTAL),
    Standing.SUSPENDED: Fill("#7b3d91", Pattern.CROSS),
    Standing.ENDED: Fill("#333333", Pattern.VERTICAL),
}

FONTS = '"Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'


def stylesheet(paper: str, running_title: str, running_period: str) -> str:
    """The report's CSS; `running_title` and `running_period` are CSS strings, escaped."""
    return f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
html {{ background: {PAPER}; }}
body {{ margin: 0 auto; max-width: 60rem; padding: 0 1.5rem 3rem; color: {INK};
  font-family: {FONTS}; font-size: 15px; line-height: 1.45; background: {PAPER}; }}
header.report {{ background: {BAND}; color: {PAPER}; margin: 0 -1.5rem 1.5rem;
  padding: 1.4rem 1.5rem 1.1rem; }}
header.report h1 {{ margin: 0 0 .3rem; font-size: 1.9rem; line-height: 1.2; }}
header.report p {{ margin: 0; }}
h2 {{ font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 2px solid {BAND}; break-after: avoid; page-break-after: avoid; }}
h3 {{ font-size: 1.05rem; margin: 1.2rem 0 .3rem; break-after: avoid; }}
p.note, .muted {{ color: {MUTED}; }}
p.lead {{ font-size: 1.05rem; margin: 0 0 .8rem; }}
dl.figures {{ display: grid; grid-template-columns: repeat(5, 1fr); gap: .6rem; margin: 0; }}
@media (max-width: 40rem) {{ dl.figures {{ grid-template-columns: repeat(2, 1fr); }} }}
dl.figures div {{ border: 1px solid {RULE}; border-radius: 4px; padding: .5rem .7rem;
  break-inside: avoid; }}
dl.figures dt {{ font-size: .85rem; color: {MUTED}; }}
dl.figures dd {{ margin: 0; font-size: 1.6rem; font-weight: 700; }}
figure.chart {{ margin: 1rem 0 1.4rem; break-inside: avoid; page-break-inside: avoid; }}
figure.chart figcaption {{ font-weight: 700; margin-bottom: .3rem; }}
figure.chart p {{ margin: .2rem 0 0; font-size: .85rem; color: {MUTED}; }}
svg {{ display: block; width: 100%; height: auto; font-family: {FONTS}; }}
table {{ border-collapse: collapse; width: 100%; font-size: .88rem; margin: .4rem 0 1rem; }}
th, td {{ text-align: left; vertical-align: top; padding: .3rem .45rem;
  border-bottom: 1px solid {RULE}; overflow-wrap: break-word; }}
td.text {{ overflow-wrap: anywhere; }}
h1, h2, h3, p, dd, dt {{ overflow-wrap: anywhere; }}
thead th {{ border-bottom: 2px solid {INK}; }}
thead {{ display: table-header-group; }}
tbody tr:nth-child(even) {{ background: {STRIPE}; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
td.number, th.number {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.date {{ white-space: nowrap; }}
tr.overdue td:first-child {{ color: {OVERDUE}; font-weight: 700; }}
ul.plain {{ padding-left: 1.2rem; }}
footer {{ margin-top: 2.5rem; color: {MUTED}; font-size: .85rem; }}
@page {{
  size: {paper};
  margin: 18mm 14mm 16mm;
  @top-left {{ content: {running_title}; font: 8pt {FONTS}; color: {MUTED}; }}
  @top-right {{ content: {running_period}; font: 8pt {FONTS}; color: {MUTED}; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
    font: 8pt {FONTS}; color: {MUTED}; }}
}}
@page wide {{ size: {paper} landscape; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  header.report {{ margin: 0 0 1rem; -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }}
  section.agreements, footer {{ page: wide; }}
  section.agreements table {{ font-size: 8.5pt; }}
  tbody tr:nth-child(even) {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""
