"""Help texts laid out for a terminal: each example a runnable command on lines of its own."""

from __future__ import annotations

import inspect
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

_HELP_WIDTH = 78  # click's help formatter: at most 80 columns, less its margin
_TEXT_INDENT = 2  # where click starts the lines of a help text


def lay_out_examples(command: click.Command) -> None:
    """Set out the examples of `command`'s help, and of its subcommands', one per line."""
    if command.help:
        command.help = example_blocks(command.help)
    for subcommand in getattr(command, "commands", {}).values():
        lay_out_examples(subcommand)


def example_blocks(text: str) -> str:
    """`text` with each "Example:" paragraph as a block click does not rewrap.

    click joins the lines of a paragraph and wraps them again, so an example written over
    two lines ran together into one wrong command. In the block each example starts a
    line, and one too long for the help's width goes on over lines ending in " \\", so
    that it can be pasted into a shell as it is.
    """
    paragraphs = inspect.cleandoc(text).split("\n\n")
    for number, paragraph in enumerate(paragraphs):
        label, colon, rest = paragraph.partition(":")
        if label not in ("Example", "Examples") or not colon or paragraph.startswith("\b"):
            continue
        examples: list[str] = []
        for line in rest.split("\n"):
            line = line.strip().removesuffix("\\").strip()
            if line.startswith("agreements ") or not examples:
                examples.append(line)
            elif line:
                examples[-1] += " " + line
        lines = [line for example in examples if example for line in _example_lines(example)]
        paragraphs[number] = "\n".join(["\b", f"{label}:", *lines])
    return "\n\n".join(paragraphs)


_WORD = re.compile(r"""(?:"[^"]*"|'[^']*'|[^\s"']+)+""")


def _example_lines(example: str) -> list[str]:
    """One example as lines of the help's width, each but the last ending in " \\"."""
    chunks: list[str] = []  # an option with its values, kept on one line
    for word in _WORD.findall(example):
        if chunks and not word.startswith("-"):
            chunks[-1] += " " + word
        else:
            chunks.append(word)
    room = _HELP_WIDTH - _TEXT_INDENT - len(" \\")
    lines: list[str] = []
    for chunk in chunks:
        if lines and len(lines[-1]) + 1 + len(chunk) <= room:
            lines[-1] += " " + chunk
        else:
            lines.append(("    " if lines else "  ") + chunk)
    return [line + " \\" for line in lines[:-1]] + lines[-1:]
