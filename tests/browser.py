"""Headless Chromium for the browser tests, and a reader of the page it rendered.

Chromium runs with a fresh profile per run and without its background traffic (updates,
sync, QUIC): on a closed network it otherwise waits for answers that never come. It runs
as root in CI, hence --no-sandbox.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 60
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
)  # fmt: skip


def find_chromium() -> str | None:
    """$AGREEMENTS_CHROMIUM when set (a path or a name on PATH), else the first of NAMES."""
    given = os.environ.get("AGREEMENTS_CHROMIUM")
    if given:
        return shutil.which(given)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Chromium:
    binary: str
    scratch: Path
    runs: int = 0

    def run(self, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
        self.runs += 1
        profile = self.scratch / f"chromium-profile-{self.runs}"
        profile.mkdir(parents=True)
        command = [self.binary, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise AssertionError(f"Chromium took more than {TIMEOUT} s: {command}") from None
        # Chromium logs harmless D-Bus complaints on stderr; only the exit code tells.
        assert done.returncode == 0, f"Chromium failed ({done.returncode}): {done.stderr[-2000:]}"
        return done

    def screenshot(self, page: Path, png: Path, width: int, height: int) -> Path:
        self.run(page, f"--window-size={width},{height}", f"--screenshot={png}")
        assert png.is_file() and png.stat().st_size > 0, "Chromium wrote no screenshot"
        return png

    def dump_dom(self, page: Path) -> str:
        return self.run(page, "--dump-dom").stdout

    def print_to_pdf(self, page: Path, pdf: Path) -> Path:
        self.run(page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
        assert pdf.is_file() and pdf.stat().st_size > 0, "Chromium wrote no PDF"
        return pdf


@dataclass
class Svg:
    children: set[str] = field(default_factory=set)
    """The tags directly inside the <svg>."""


class RenderedPage(HTMLParser):
    """The DOM Chromium dumped, as the elements it holds, each <svg>'s children, the
    text of each table row, the whole text (character references resolved) and every
    event handler attribute (onload=…) as tag.attribute."""

    def __init__(self, dom: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.svgs: list[Svg] = []
        self.rows: list[str] = []
        self.handlers: list[str] = []
        self._texts: list[str] = []
        self._open: list[str] = []
        self._row: list[str] | None = None
        self.feed(dom)
        self.close()
        self.text = " ".join(self._texts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [f"{tag}.{name}" for name, _ in attrs if name.startswith("on")]
        if self._open and self._open[-1] == "svg":
            self.svgs[-1].children.add(tag)
        if tag == "svg":
            self.svgs.append(Svg())
        if tag == "tr":
            self._row = []
        if tag not in VOID:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass
        if tag == "tr" and self._row is not None:
            self.rows.append(" ".join(" ".join(self._row).split()))
            self._row = None

    def handle_data(self, data: str) -> None:
        self._texts.append(data)
        if self._row is not None:
            self._row.append(data)
