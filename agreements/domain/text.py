"""Normalising text at the boundary and comparing it the way people expect."""

import re
import unicodedata
from functools import lru_cache

from agreements.errors import InvalidInput

_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters a terminal obeys instead of showing: C0 and C1 controls (escape sequences,
# bells, the clipboard's OSC 52), and those that turn text around or break it into lines
# unseen (bidirectional overrides and isolates, marks, line and paragraph separators).
_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_DIRECTIONAL}]")
# Paragraphs (notes) may break lines, CRLF included, and hold tabs.
_UNSAFE_IN_PARAGRAPHS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_DIRECTIONAL}]|\r(?!\n)")
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_DIRECTIONAL}]")


def clean(value: str | None, *, paragraphs: bool = False) -> str | None:
    """NFC, outer whitespace removed; an empty value becomes None.

    Text holding a control or direction-changing character is refused, naming it and its
    position: shown on a terminal it would be obeyed, not seen. Only `paragraphs` (notes)
    may hold line breaks and tabs.
    """
    if value is None:
        return None
    if _SURROGATE.search(value):
        raise InvalidInput(f"{value.encode(errors='replace').decode()!r} is not valid UTF-8 text")
    value = unicodedata.normalize("NFC", value).strip()
    if paragraphs:
        value = value.replace("\r\n", "\n")
    unsafe = (_UNSAFE_IN_PARAGRAPHS if paragraphs else _UNSAFE).search(value)
    if unsafe is not None:
        raise InvalidInput(
            f"{value!r} holds the character U+{ord(unsafe.group()):04X} at position "
            f"{unsafe.start() + 1}",
            hint="control and direction-changing characters are not allowed in text",
        )
    return value or None


_UNSAFE_BUT_CR = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_DIRECTIONAL}]")


def only_paragraph_text(text: str) -> bool:
    """Whether a whole file's text holds nothing `clean(paragraphs=True)` would refuse;
    quick on megabytes: a carriage return is safe wherever the text counts it in CRLF."""
    return _UNSAFE_BUT_CR.search(text) is None and text.count("\r") == text.count("\r\n")


def unsafe_character(value: str, *, paragraphs: bool = False) -> str | None:
    """Where `value` holds a character `clean` refuses, as "U+001B at position 5"; or None."""
    unsafe = (_UNSAFE_IN_PARAGRAPHS if paragraphs else _UNSAFE).search(value)
    if unsafe is None:
        return None
    return f"U+{ord(unsafe.group()):04X} at position {unsafe.start() + 1}"


@lru_cache(maxsize=1 << 16)
def fold(value: str) -> str:
    """A key for comparing text without regard to case or accents: "Århus" ~ "arhus".

    Case folded, decomposed (NFKD) with the accents dropped, and the letters that do not
    decompose (ø, æ, ł…) spelled plainly, typographic apostrophes as "'"; runs of
    whitespace become one space.
    """
    if value.isascii():
        return " ".join(value.lower().split())
    return " ".join(value.casefold().translate(_FOLDED_CHARACTERS).split())


# Letters that do not decompose into base + accent.
_EXTRA_FOLDS = str.maketrans(
    {"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "ı": "i", "’": "'", "‘": "'"}
)


class _FoldedCharacters(dict[int, str]):
    """Each character's folded form, worked out the first time `str.translate` asks.

    Decomposing a whole text and dropping its accents is the same as doing so character
    by character, and a table lets `translate` do it in C: ten times faster on the
    long texts `--search` folds.
    """

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        kept = "".join(char for char in decomposed if not unicodedata.combining(char))
        self[code] = folded = kept.translate(_EXTRA_FOLDS)
        return folded


_FOLDED_CHARACTERS = _FoldedCharacters()


def printable(text: str) -> str:
    """Control and direction-changing characters shown as visible escapes (\\x1b, \\u202e)
    instead of obeyed; line breaks and tabs are kept."""
    if text.isprintable() or text.replace("\n", " ").isprintable():  # most texts
        return text
    return _CONTROL.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_TERMINAL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_DIRECTIONAL}]|\r(?!\n)")


def for_terminal(text: str) -> str:
    """`printable`, but keeping the CRLF line ends of a CSV file: data shown on a terminal."""
    if text.isprintable():
        return text
    return _TERMINAL.sub(_escaped, text)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 problem", "2 problems": a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


_QUALIFIED = re.compile(r"(?P<name>[^()]*[^()\s])\s*\((?P<qualifier>[^()]*[^()\s])\s*\)")


def qualified_name(name: str) -> tuple[str, str] | None:
    """(name, qualifier) of "Frankfurt (Oder)" or "Korea (South)"; None for a name
    without one."""
    if not name.endswith(")"):
        return None
    found = _QUALIFIED.fullmatch(name)
    return (
        None if found is None else (found.group("name").strip(), found.group("qualifier").strip())
    )


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one string: long word lists read better that way."""
    return frozenset(words.split())
