"""The formats agreements reads and writes, and which of them each command takes.

`table` and `text` are two names of one format, the one for people, and every command
takes both; the machine formats (`csv`, `tsv`, `json`, `jsonl`) are exact and stable.
`xlsx`, an Excel workbook, is a format of files only: `export -o` writes it, `import` reads it.
`html`, `md` and `pdf` are the documents `report` writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from agreements.errors import InvalidInput


class Format(StrEnum):
    TABLE = "table"
    TEXT = "text"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    XLSX = "xlsx"
    """An Excel workbook: written only to a file, never to a terminal or a pipe."""
    HTML = "html"
    MARKDOWN = "md"
    PDF = "pdf"
    """A document for print: not written to a terminal."""


_FOR_PEOPLE = (Format.TABLE, Format.TEXT)

ZIP_MAGIC = b"PK\x03\x04"
"""How a zip archive, and so an Excel workbook, begins."""

_BY_SUFFIX = {
    "csv": Format.CSV, "tsv": Format.TSV, "tab": Format.TSV,
    "json": Format.JSON, "jsonl": Format.JSONL, "ndjson": Format.JSONL, "xlsx": Format.XLSX,
}  # fmt: skip


def file_suffix(name: str) -> str:
    """The part of a file name after its last dot, lower case: "CSV" of "Register.CSV"."""
    stem = name.rsplit("/", 1)[-1]
    return stem.rsplit(".", 1)[-1].lower() if "." in stem.lstrip(".") else ""


def format_named_by(name: str) -> Format | None:
    """The format a file's name says it holds, if it names one of ours."""
    return _BY_SUFFIX.get(file_suffix(name))


@dataclass(frozen=True)
class Formats:
    """The formats one command writes; the first is its default on a terminal."""

    choices: tuple[Format, ...]
    piped: Format | None = None
    """The default when stdout is not a terminal, if it differs."""

    def help(self) -> str:
        names = [f"{self.choices[0].value} (default)", *(f.value for f in self.choices[1:])]
        text = _one_of(names)
        if self.piped is not None:
            text += f"; {self.piped.value} when piped"
        return text

    def choose(self, given: str | None, stdout_is_terminal: bool) -> Format:
        if given is None:
            return self.piped if self.piped and not stdout_is_terminal else self.choices[0]
        name = given.strip().lower()
        if name in _FOR_PEOPLE and self.choices[0] in _FOR_PEOPLE:
            return self.choices[0]
        for choice in self.choices:
            if name == choice.value:
                return choice
        allowed = _one_of([choice.value for choice in self.choices])
        raise InvalidInput(f"unknown format {given!r}", hint=f"choose {allowed}")


def _one_of(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
