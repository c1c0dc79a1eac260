"""Where a value came from: a span of the announcement and the rule that read it, and
the sentences the rules work on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from agreements.domain.text import word_set


@dataclass(frozen=True, slots=True)
class Evidence:
    """The exact span of the text a value was read from, and how it was read."""

    text: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a headline, caption or date line) with its place in the text."""

    text: str
    start: int
    paragraph: int
    """The number of its line in the text, counting non-empty lines from 0."""
    first_in_paragraph: bool

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @cached_property
    def folded(self) -> str:
        return self.text.casefold()

    def span(self, start: int, end: int, rule: str) -> Evidence:
        """Evidence for the characters `start`..`end` of this sentence."""
        return Evidence(self.text[start:end], self.start + start, self.start + end, rule)

    def evidence(self, match: re.Match[str], rule: str, group: int | str = 0) -> Evidence:
        return self.span(match.start(group), match.end(group), rule)


_ABBREVIATIONS = word_set(
    "mr mrs ms dr st no nos jan feb mar apr jun jul aug sep sept oct nov dec gov sen rep gen "
    "lt col capt prof jr sr inc co corp ltd vs approx etc cllr hon rev messrs dept fig"
)
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[^\W_a-z])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?][\"”’)\]]*\s+$")


def sentences(text: str) -> list[Sentence]:
    """The text's sentences, line by line: a line is a paragraph, a headline or a caption,
    and a full stop ends a sentence unless it ends an abbreviation or an initial."""
    found: list[Sentence] = []
    paragraph = -1
    for line in re.finditer(r"[^\n]+", text):
        if not line.group().strip():
            continue
        paragraph += 1
        first = True
        begin = line.start()
        for boundary in _BOUNDARY.finditer(text, line.start(), line.end()):
            before = _WORD_BEFORE.search(text, begin, boundary.end())
            word = before.group(1) if before else ""
            if word.casefold().rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                continue
            found.append(_sentence(text, begin, boundary.start() + 1, paragraph, first))
            first = False
            begin = boundary.end()
        found.append(_sentence(text, begin, line.end(), paragraph, first))
    return [part for sentence in found if sentence.text.strip() for part in _bounded(sentence)]


LONGEST = 2000
"""No sentence of an announcement is longer; a longer run of text is read in pieces, so
that a file of one endless line is read in a time that grows with its length."""


def _bounded(sentence: Sentence) -> list[Sentence]:
    if len(sentence.text) <= LONGEST:
        return [sentence]
    return [
        Sentence(
            sentence.text[at : at + LONGEST],
            sentence.start + at,
            sentence.paragraph,
            sentence.first_in_paragraph and at == 0,
        )
        for at in range(0, len(sentence.text), LONGEST)
    ]


def _sentence(text: str, start: int, end: int, paragraph: int, first: bool) -> Sentence:
    chunk = text[start:end]
    stripped = chunk.lstrip()
    start += len(chunk) - len(stripped)
    return Sentence(stripped.rstrip(), start, paragraph, first)
