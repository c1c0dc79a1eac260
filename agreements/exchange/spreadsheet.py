"""What makes a CSV file safe and readable in a spreadsheet, in both directions.

A cell that starts like a formula is written with a leading "'" (OWASP's advice for
CSV injection), and a cell that already starts with "'" gets one more, so reading
strips exactly one and every value comes back as it was.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable

from agreements.errors import InvalidInput

BOM = "\ufeff"
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}

# Spreadsheets start a formula at these, and at their full-width forms.
_FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
_ESCAPE = "'"
_ESCAPED_STARTS = _FORMULA_STARTS | {_ESCAPE}


def escape_cell(value: str) -> str:
    if value and (value[0] in _FORMULA_STARTS or value[0] == _ESCAPE):
        return _ESCAPE + value
    return value


def escape_cells(row: Iterable[str]) -> list[str]:
    """`escape_cell` of each cell, in one pass: exports call it for millions of cells."""
    return [_ESCAPE + cell if cell[:1] in _ESCAPED_STARTS else cell for cell in row]


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith(_ESCAPE) else value


def delimiter(name: str) -> str:
    """The delimiter a user names: ",", ";" or "tab"."""
    found = DELIMITERS.get(name.lower())
    if found is None:
        raise InvalidInput(f"unknown delimiter {name!r}", hint="use ',', ';' or 'tab'")
    return found


def detect_delimiter(header_line: str) -> str:
    """The delimiter of a CSV file, told by the one its header row uses most."""
    counts = {candidate: header_line.count(candidate) for candidate in (",", ";", "\t")}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def decode(data: bytes, source: str, encoding: str | None = None) -> str:
    """The text of an imported file: UTF-8 (a BOM is dropped), or the encoding asked for.

    A file that is not UTF-8 is refused rather than guessed at, so no text is ever read
    in the wrong encoding and stored garbled.
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput(
                f"unknown encoding {encoding!r}", hint="for example cp1252"
            ) from None
        try:
            return data.decode(encoding).removeprefix(BOM)
        except UnicodeDecodeError as error:
            raise InvalidInput(
                f"{source} is not {encoding}: byte {error.start} cannot be read"
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidInput(
            f"{source} is UTF-16 text (it begins with the UTF-16 byte-order mark)",
            hint="import it with --encoding utf-16, or save it as UTF-8",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        hint = "save it as UTF-8 and import again"
        if _reads_as_cp1252(data):
            hint = "it looks like Windows-1252 (Excel's 'CSV' without UTF-8); add --encoding cp1252"
        raise InvalidInput(
            f"{source} is not UTF-8: line {line}, byte {error.start} cannot be read", hint=hint
        ) from None


def _reads_as_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True
