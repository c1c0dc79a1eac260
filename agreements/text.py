"""Normalising text at the boundary and comparing it the way people expect."""

import re
import unicodedata
from functools import lru_cache

from agreements.errors import InvalidInput

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(value: str | None) -> str | None:
    """NFC, outer whitespace removed; an empty value becomes None."""
    if value is None:
        return None
    if _SURROGATE.search(value):
        raise InvalidInput(f"{value.encode(errors='replace').decode()!r} is not valid UTF-8 text")
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


@lru_cache(maxsize=1 << 16)
def fold(value: str) -> str:
    """A key for comparing text without regard to case or accents: "Århus" ~ "arhus"."""
    if value.isascii():
        return " ".join(value.lower().split())
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Letters that do not decompose into base + accent.
    return " ".join(stripped.translate(_EXTRA_FOLDS).split())


_EXTRA_FOLDS = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "ı": "i"})


def printable(text: str) -> str:
    """Control bytes (escape sequences, bells) shown as visible escapes instead of obeyed."""
    if text.isprintable():
        return text
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)
