"""The order titles sort in: letters where the people who read them expect them.

Accents and case only break ties ("Arhus" before "Århus" only in Swedish and Danish,
where Å is a letter of its own), punctuation is passed over ("St. Louis" sorts as
"St Louis"), and the letters some languages keep as their own come where those
languages put them:

- `default`: Æ, Ø and Å after Z, in that order, as in Danish and Norwegian, the two
  languages where they are letters; Ä, Ö, Ü with A, O, U, as in German and most others.
- `da` (also `nb`, `nn`, `no`): as the default, and Ä, Ö with Æ, Ø; "Aa" is Å.
- `sv` (also `fi`): Å, Ä, Ö after Z; Æ with Ä, Ø with Ö.
- `de`: every letter with its base letter, Æ as AE and Ø as O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from agreements.domain.text import fold
from agreements.errors import InvalidInput


class Collation(StrEnum):
    DEFAULT = "default"
    DANISH = "da"
    SWEDISH = "sv"
    GERMAN = "de"


_ALIASES = {"nb": Collation.DANISH, "nn": Collation.DANISH, "no": Collation.DANISH,
            "fi": Collation.SWEDISH}  # fmt: skip

# Letters of their own, written as the characters after "z", which sort after every letter.
_OWN_LETTERS: dict[Collation, Mapping[str, str]] = {
    Collation.DEFAULT: {"æ": "{", "ø": "|", "å": "}"},
    Collation.DANISH: {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "aa": "}"},
    Collation.SWEDISH: {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"},
    Collation.GERMAN: {},
}
_PATTERNS = {
    collation: re.compile("|".join(sorted(letters, key=len, reverse=True)))
    for collation, letters in _OWN_LETTERS.items()
    if letters
}
_PUNCTUATION = re.compile(r"[^\w\s{|}]+")


def parse_collation(text: str) -> Collation:
    """A collation from its name or a language code (da, nb, sv, fi, de, da_DK.UTF-8)."""
    code = text.strip().lower().split(".")[0].split("_")[0].split("-")[0]
    try:
        return _ALIASES.get(code) or Collation(code)
    except ValueError:
        allowed = ", ".join(collation.value for collation in Collation)
        hint = f"choose one of: {allowed}"
        raise InvalidInput(f"unknown collation {text!r}", hint=hint) from None


def collation_from_locale(language: str) -> Collation:
    """The collation for a locale's language ("da_DK.UTF-8"); the default for any other."""
    try:
        return parse_collation(language)
    except InvalidInput:
        return Collation.DEFAULT


def collation_key(text: str, collation: Collation = Collation.DEFAULT) -> tuple[str, str, str]:
    """A key that sorts texts in `collation`'s order: letters first, then accents, then case."""
    lowered = text.casefold()
    pattern = _PATTERNS.get(collation)
    if pattern is not None:
        letters = _OWN_LETTERS[collation]
        if collation is Collation.DANISH:  # "Aarhus" is "Århus", but not "Kanaan" mid-word
            lowered = re.sub(r"\baa", "å", lowered)
        lowered = pattern.sub(lambda found: letters[found.group()], lowered)
    primary = " ".join(_PUNCTUATION.sub("", fold(lowered)).split())
    return primary, lowered, text
