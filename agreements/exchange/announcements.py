"""An announcement as text: a plain text file as it is, an HTML page reduced to the text
a reader sees (with the standard library's parser), and nothing that is not text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from agreements.domain.text import word_set
from agreements.errors import InvalidInput

MAX_BYTES = 5_000_000
"""An announcement is a page or two; a larger file is not one."""

_BLOCKS = word_set(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table td th title tr ul"
)
_HIDDEN = word_set("script style noscript template svg head iframe object")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def announcement_text(data: bytes, name: str) -> str:
    """The text of an announcement file; `name` tells an HTML page by its suffix."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"{name} is {len(data):,} bytes: an announcement is at most {MAX_BYTES:,}",
            hint="give the text of the announcement itself",
        )
    if b"\x00" in data[:4096]:
        raise InvalidInput(f"{name} is not a text file", hint="give a plain text or HTML file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{name} is not UTF-8 text (byte {error.start + 1} cannot be read)",
            hint="save it as UTF-8, or as HTML with its own encoding converted",
        ) from None
    if name.lower().endswith((".html", ".htm", ".xhtml")) or _looks_like_html(text):
        text = html_text(text)
    # Control characters (a carriage return too) are blanked one for one, and nothing is
    # normalised, so that the evidence's offsets count the characters of the file itself.
    text = _CONTROLS.sub(" ", re.sub(r"\r(?!\n)", "\n", text))
    if not text.strip():
        raise InvalidInput(f"{name} holds no text")
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


class _TextOfPage(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _HIDDEN:
            self.hidden += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title or not self.hidden:
            self.parts.append(data)


def html_text(page: str) -> str:
    """The visible text of a page, a line per block (paragraph, heading, list item), the
    page's title first."""
    parser = _TextOfPage()
    parser.feed(page)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)
