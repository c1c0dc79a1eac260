"""The report in a real browser: headless Chromium renders, dumps and prints it.

CI runs these as their own step (`pytest -m browser -n 0`, with CI set, so that a missing
browser fails there instead of skipping); elsewhere they skip when no Chromium is found.
Every report is written by the real command in its own process.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from browser import Chromium, RenderedPage, find_chromium
from conftest import SAMPLE, bench_registers, run_process

from agreements.domain.council_report import Standing
from agreements.render.report_style import BAR, STANDING_FILLS

pytestmark = pytest.mark.browser

AS_OF = "2026-12-01"
A4 = (595, 842)
LETTER = (612, 792)
SCREEN = (1000, 1500)
Colours = list[tuple[int, tuple[int, int, int]]]


@pytest.fixture(scope="module")
def chromium_binary() -> str:
    found = find_chromium()
    if found is None:
        reason = (
            "no Chromium: none of chromium, chromium-browser, google-chrome is on PATH"
            if not os.environ.get("AGREEMENTS_CHROMIUM")
            else f"$AGREEMENTS_CHROMIUM ({os.environ['AGREEMENTS_CHROMIUM']}) is not a program"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI is set, where the browser step must run", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.fixture
def chromium(chromium_binary: str, tmp_path: Path) -> Chromium:
    return Chromium(chromium_binary, tmp_path)


def write_report(db: Path, page: Path, *options: str) -> Path:
    done = run_process("--db", str(db), "report", "-o", str(page), "--as-of", AS_OF, *options)
    assert done.returncode == 0, done.stderr
    assert page.is_file()
    return page


def sample_report(folder: Path, *options: str, name: str = "r.html") -> Path:
    """The sample register's report; the register is copied so nothing is written beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "sample-register.json"
    shutil.copyfile(SAMPLE, db)
    return write_report(db, folder / name, *options)


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def pixels_near(colours: Colours, colour: str, tolerance: int = 6) -> int:
    """Pixels of about this colour: the edges of shapes are blended with the paper."""
    wanted = rgb(colour)
    return sum(
        count
        for count, pixel in colours
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, wanted, strict=True))
    )


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]


def assert_paper(sizes: list[tuple[float, float]], paper: tuple[int, int]) -> None:
    """Every page is of that paper: upright, but for the table of every agreement, which
    has pages of its own, turned to landscape for its seven columns."""
    upright = [abs(w - paper[0]) <= 1 and abs(h - paper[1]) <= 1 for w, h in sizes]
    turned = [abs(w - paper[1]) <= 1 and abs(h - paper[0]) <= 1 for w, h in sizes]
    assert all(a or b for a, b in zip(upright, turned, strict=True)), sizes
    assert upright[0] and turned[-1], sizes
    assert upright == sorted(upright, reverse=True), sizes  # the landscape pages come last


def test_the_sample_report_renders_its_charts(tmp_path: Path, chromium: Chromium) -> None:
    from PIL import Image

    png = chromium.screenshot(sample_report(tmp_path), tmp_path / "r.png", *SCREEN)
    with Image.open(png) as image:
        assert image.size == SCREEN
        colours = image.convert("RGB").getcolors(SCREEN[0] * SCREEN[1])
    assert colours is not None
    area = SCREEN[0] * SCREEN[1]
    assert len(colours) > 100, "the page is nearly blank"
    assert pixels_near(colours, "#ffffff", 0) < 0.9 * area
    assert pixels_near(colours, BAR) > 0.02 * area, "no chart bars"
    # Every agreement of the sample has no activity recorded: its standing bar is all that.
    assert pixels_near(colours, STANDING_FILLS[Standing.NO_ACTIVITY].colour) > 5_000
    # The greys of the other standings also make up the edges of text; the colours do not.
    coloured = [
        standing
        for standing, fill in STANDING_FILLS.items()
        if len(set(rgb(fill.colour))) > 1 and pixels_near(colours, fill.colour) >= 30
    ]
    assert len(coloured) >= 2, coloured


def test_the_sample_report_in_the_dom(tmp_path: Path, chromium: Chromium) -> None:
    dom = chromium.dump_dom(sample_report(tmp_path))
    page = RenderedPage(dom)
    assert "<script" not in dom.lower()
    assert "script" not in page.tags
    assert len(page.svgs) >= 4
    for svg in page.svgs:
        assert {"title", "desc"} <= svg.children, svg
    assert any(
        "80th anniversary of the signing in 1947" in row and "Oxford – Bonn" in row
        for row in page.rows
    ), [row for row in page.rows if "anniversary" in row]
    assert "Every agreement (17)" in page.text


HOSTILE_TITLES = ("<script>document.title='pwned'</script>", '"><img src=x onerror=alert(1)>')
HOSTILE_SUMMARY = "<svg onload=alert(1)>"


def test_user_text_is_text_in_a_browser(tmp_path: Path, chromium: Chromium) -> None:
    db = tmp_path / "register.json"
    pairs = (("Aarhus, Denmark", "Kiel, Germany"), ("Odense, Denmark", "Bonn, Germany"))
    for title, (first, second) in zip(HOSTILE_TITLES, pairs, strict=True):
        added = run_process(
            "--db", str(db), "add", "--party", first, "--party", second,
            "--type", "sister-city", "--signed", "1990", "--title", title,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    recorded = run_process(
        "--db", str(db), "activity", "add", "1", "--kind", "visit", "--on", "2026-05-04",
        "--summary", HOSTILE_SUMMARY,
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr

    dom = chromium.dump_dom(write_report(db, tmp_path / "r.html"))
    page = RenderedPage(dom)
    assert "script" not in page.tags
    assert "img" not in page.tags
    assert not page.handlers, page.handlers
    assert "<title>pwned</title>" not in dom
    for text in (*HOSTILE_TITLES, HOSTILE_SUMMARY):
        assert text in page.text


@pytest.mark.parametrize(("options", "paper"), [((), A4), (("--paper", "letter"), LETTER)])
def test_the_sample_report_prints(
    tmp_path: Path, chromium: Chromium, options: tuple[str, ...], paper: tuple[int, int]
) -> None:
    pdf = chromium.print_to_pdf(sample_report(tmp_path, *options), tmp_path / "r.pdf")
    sizes = page_sizes(pdf)
    assert 3 <= len(sizes) <= 12, len(sizes)
    assert_paper(sizes, paper)


# Activities of the large register: one this year, one long ago (dormant), one last year.
ACTIVITIES = (
    ("1", "delegation", "2026-03-10", "Harbour delegation"),
    ("2", "meeting", "2019-05-01", "Steering group"),
    ("3", "exchange", "2025-09-15", "School exchange"),
)


def test_a_large_register_prints_several_rows_a_page(tmp_path: Path, chromium: Chromium) -> None:
    registers = bench_registers()
    db = tmp_path / "large.json"
    registers.write_register(db, registers.stored_records(registers.agreements(1_000)))
    for number, kind, day, summary in ACTIVITIES:
        recorded = run_process(
            "--db", str(db), "activity", "add", number, "--kind", kind, "--on", day,
            "--summary", summary,
        )  # fmt: skip
        assert recorded.returncode == 0, recorded.stderr

    page = write_report(db, tmp_path / "large.html")
    large = page_sizes(chromium.print_to_pdf(page, tmp_path / "large.pdf"))
    sample_page = sample_report(tmp_path / "sample")
    sample = page_sizes(chromium.print_to_pdf(sample_page, tmp_path / "sample.pdf"))
    assert_paper(large, A4)
    assert len(sample) < len(large) < 1_000 / 3, (len(sample), len(large))


def test_weasyprint_writes_a4_pages(tmp_path: Path) -> None:
    db = tmp_path / "sample-register.json"
    shutil.copyfile(SAMPLE, db)
    pdf = tmp_path / "r.pdf"
    done = None
    if importlib.util.find_spec("weasyprint") is not None:
        done = run_process("--db", str(db), "report", "-o", str(pdf), "--as-of", AS_OF)
    # 7: an optional extra is missing, here the Pango library WeasyPrint draws with.
    if done is None or done.returncode == 7:
        reason = "WeasyPrint (the pdf extra) is not usable here"
        if done is not None:
            reason += f": {done.stderr.strip()}"
        if os.environ.get("CI") and os.environ.get("AGREEMENTS_REQUIRE_PDF") == "1":
            pytest.fail(f"{reason}; AGREEMENTS_REQUIRE_PDF=1 asks for it", pytrace=False)
        pytest.skip(reason)
    assert done.returncode == 0, done.stderr
    sizes = page_sizes(pdf)
    assert len(sizes) >= 2
    assert_paper(sizes, A4)
