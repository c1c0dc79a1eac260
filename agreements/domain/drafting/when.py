"""Dates in an announcement: what each mention fixes, the publication date the relative
ones are read against, and how a signing's date follows from them.

Nothing is taken from today. A mention without a year ("on 2 October", "on Tuesday",
"yesterday") is resolved only against a known publication date, and its evidence says
how; without one it gives nothing.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from agreements.domain.dates import PartialDate
from agreements.domain.drafting.evidence import Evidence, Sentence

_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_WEEKDAYS = {calendar.day_name[number].casefold(): number for number in range(7)}
_MONTH = (
    r"(?P<month>" + "|".join(sorted((m.title() for m in _MONTHS), key=len, reverse=True)) + r")\.?"
)
_MONTH_B = _MONTH.replace("?P<month>", "?P<month2>")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?P<weekday>" + "|".join(day.title() for day in _WEEKDAYS) + r")"


class Reading(StrEnum):
    """How a mention becomes a date."""

    FULL = "full"  # it gives its year
    NO_YEAR = "no year"  # a day and month, or a month: the year comes from the reference
    WEEKDAY = "weekday"  # the last such weekday on or before the reference
    DAYS_BEFORE = "days before"  # today (0), yesterday (1)
    THIS_MONTH = "this month"
    LAST_MONTH = "last month"
    THIS_YEAR = "this year"
    LAST_YEAR = "last year"


@dataclass(frozen=True)
class Mention:
    """A date expression of a sentence and what it fixes."""

    reading: Reading
    evidence: Evidence
    year: int | None = None
    month: int | None = None
    day: int | None = None
    days_before: int = 0
    of_saying: bool = False
    """Whether it dates a saying, not a deed: "the province said Friday"."""

    def fixed(self) -> PartialDate | None:
        """The date it gives on its own, without a publication date."""
        if self.reading is not Reading.FULL or self.year is None:
            return None
        return _partial(self.year, self.month, self.day)

    def resolved(self, reference: date | None) -> PartialDate | None:
        """The latest date it may mean on or before `reference` (a past signing)."""
        if self.reading is Reading.FULL:
            return self.fixed()
        if reference is None:
            return None
        if self.reading is Reading.NO_YEAR:
            assert self.month is not None
            year = reference.year
            if (self.month, self.day or 1) > (reference.month, reference.day):
                year -= 1
            return _partial(year, self.month, self.day)
        if self.reading is Reading.WEEKDAY:
            assert self.day is not None
            back = (reference.weekday() - self.day) % 7
            return _day(reference - timedelta(days=back))
        if self.reading is Reading.DAYS_BEFORE:
            return _day(reference - timedelta(days=self.days_before))
        if self.reading is Reading.THIS_MONTH:
            return PartialDate(reference.year, reference.month)
        if self.reading is Reading.LAST_MONTH:
            first = reference.replace(day=1) - timedelta(days=1)
            return PartialDate(first.year, first.month)
        if self.reading is Reading.THIS_YEAR:
            return PartialDate(reference.year)
        return PartialDate(reference.year - 1)


def _partial(year: int, month: int | None, day: int | None) -> PartialDate | None:
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


def _day(value: date) -> PartialDate:
    return PartialDate(value.year, value.month, value.day)


def _month(match: re.Match[str], group: str = "month") -> int:
    return _MONTHS[match.group(group).rstrip(".").casefold()]


_FULL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})\b"), "ISO date"),
    (re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b"), "day month year"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"), "month day, year"),
    (re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<year>\d{4})\b"), "day.month.year"),
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b")
_NO_YEAR = (
    re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}(?![\w-])"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?![\d:])"),
)
_IN_MONTH = re.compile(rf"\b(?:in|during|since)\s+(?:early\s+|late\s+|mid-?)?{_MONTH}(?![\w-])")
_IN_YEAR = re.compile(rf"\b(?:in|during)\s+(?:early\s+|late\s+|mid-?)?{_YEAR}\b")
_WEEKDAY_MENTION = re.compile(rf"\b(?P<last>last\s+)?{_WEEKDAY}\b")
_RELATIVE: tuple[tuple[re.Pattern[str], Reading, int], ...] = (
    (re.compile(r"\b(?:yesterday|last night)\b", re.I), Reading.DAYS_BEFORE, 1),
    (
        re.compile(
            r"\b(?:today|tonight|this (?:morning|afternoon|evening)|earlier (?:today|in the day)"
            r"|on the same day)\b",
            re.I,
        ),
        Reading.DAYS_BEFORE,
        0,
    ),
    (re.compile(r"\b(?:earlier |later )?this month\b", re.I), Reading.THIS_MONTH, 0),
    (re.compile(r"\blast month\b", re.I), Reading.LAST_MONTH, 0),
    (re.compile(r"\b(?:earlier |later )?this year\b", re.I), Reading.THIS_YEAR, 0),
    (re.compile(r"\blast year\b", re.I), Reading.LAST_YEAR, 0),
)


def mentions(sentence: Sentence) -> list[Mention]:
    """Every date expression of a sentence, the fullest reading of each span first."""
    text = sentence.text
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        return all(match.end() <= start or match.start() >= end for start, end in taken)

    def keep(match: re.Match[str], mention: Mention) -> None:
        taken.append((match.start(), match.end()))
        found.append(mention)

    for pattern, rule in _FULL_PATTERNS:
        for match in pattern.finditer(text):
            month = int(match.group("m")) if "m" in pattern.groupindex else _month(match)
            if free(match) and _partial(int(match.group("year")), month, int(match.group("day"))):
                keep(
                    match,
                    Mention(
                        Reading.FULL,
                        sentence.evidence(match, rule),
                        int(match.group("year")),
                        month,
                        int(match.group("day")),
                    ),
                )
    for match in _MONTH_YEAR.finditer(text):
        if free(match):
            evidence = sentence.evidence(match, "month year")
            keep(match, Mention(Reading.FULL, evidence, int(match.group("year")), _month(match)))
    for pattern in _NO_YEAR:
        for match in pattern.finditer(text):
            day = int(match.group("day"))
            if free(match) and 1 <= day <= 31:
                evidence = sentence.evidence(match, "day and month without a year")
                keep(match, Mention(Reading.NO_YEAR, evidence, None, _month(match), day))
    for match in _IN_MONTH.finditer(text):
        if free(match):
            evidence = sentence.evidence(match, "month without a year")
            keep(match, Mention(Reading.NO_YEAR, evidence, None, _month(match)))
    for match in _IN_YEAR.finditer(text):
        if free(match):
            keep(
                match,
                Mention(Reading.FULL, sentence.evidence(match, "year"), int(match.group("year"))),
            )
    for match in _WEEKDAY_MENTION.finditer(text):
        if free(match):
            weekday = _WEEKDAYS[match.group("weekday").casefold()]
            keep(match, Mention(Reading.WEEKDAY, sentence.evidence(match, "weekday"), day=weekday))
    for pattern, reading, days in _RELATIVE:
        for match in pattern.finditer(text):
            if free(match):
                evidence = sentence.evidence(match, reading.value)
                keep(match, Mention(reading, evidence, days_before=days))
    return sorted((_with_saying(text, sentence, m) for m in found), key=lambda m: m.evidence.start)


_SAYING = re.compile(
    r"\b(?:said|says|announced|reported|told\s+\w+|stated|confirmed|noted|added|wrote|"
    r"revealed|disclosed)\s+(?:on\s+)?$",
    re.I,
)


def _with_saying(text: str, sentence: Sentence, mention: Mention) -> Mention:
    start = mention.evidence.start - sentence.start
    if _SAYING.search(text[max(0, start - 30) : start]):
        return replace(mention, of_saying=True)
    return mention


@dataclass(frozen=True)
class Publication:
    """The day the announcement speaks from, and where that day came from."""

    day: date
    how: str
    evidence: Evidence | None = None


_DATELINE_DATE = re.compile(
    r"^[^–—\-\n]{0,60}?(?:--|[–—-])\s*(?P<date>[^–—\n]{6,30}?)\s*(?:--|[–—-])"
    r"|^(?P<before>[^–—\n]{6,80}?)\s*(?:\([^)\n]{1,40}\)\s*)?\.?\s*(?:--|[–—-])\s"
)


def publication_in_text(found: list[Sentence]) -> Publication | None:
    """A date line, byline or dateline near the top that gives a full date: "By City of
    Aarhus, October 12, 2012", "date 2023-08-24", "Mission, Texas – October 27, 2023 –"."""
    for sentence in found[:40]:
        if sentence.start > 2000:
            break
        words = len(sentence.text.split())
        full = [m for m in mentions(sentence) if m.reading is Reading.FULL and m.day is not None]
        if not full:
            continue
        if words <= 12 and sentence.first_in_paragraph:
            return _published(full[0], "a date line near the top of the text")
        prefix = _DATELINE_DATE.match(sentence.text) if sentence.first_in_paragraph else None
        if prefix is not None:
            group = "date" if prefix.group("date") else "before"
            inside = [
                m
                for m in full
                if m.evidence.start - sentence.start >= prefix.start(group)
                and m.evidence.end - sentence.start <= prefix.end(group)
            ]
            if inside:
                return _published(inside[0], "the dateline")
    return None


def _published(mention: Mention, how: str) -> Publication:
    fixed = mention.fixed()
    assert fixed is not None and fixed.day is not None
    return Publication(fixed.first_day(), how, mention.evidence)


_WIRE_DATELINE = re.compile(
    rf"^(?P<place>[^\W\d_][^,()\n]{{1,40}}?),(?:\s*[^,()\n]{{2,30}},)?\s*"
    rf"(?:{_MONTH}\s+{_DAY}|{_DAY.replace('day>', 'day2>')}\s+{_MONTH_B})"
    r"\s*(?:\([^)]{1,30}\))?\s*(?:--|[–—-])"
)


def story_day(first: Sentence, publication: Publication | None) -> Publication | None:
    """The day of a wire story's dateline ("COPENHAGEN, Sept. 26 (Xinhua) --"): the day
    its "Wednesday" and "today" mean, in the year of the publication on or before it."""
    match = _WIRE_DATELINE.match(first.text)
    if match is None or publication is None:
        return publication
    if match.group("month") is not None:
        month, day = _month(match), int(match.group("day"))
        span = (match.start("month"), match.end("day"))
    else:
        month, day = _month(match, "month2"), int(match.group("day2"))
        span = (match.start("day2"), match.end("month2"))
    evidence = first.span(*span, "dateline")
    mention = Mention(Reading.NO_YEAR, evidence, None, month, day)
    resolved = mention.resolved(publication.day)
    if resolved is None:
        return publication
    return Publication(
        resolved.first_day(), f"the dateline, in the year of {publication.how}", evidence
    )
