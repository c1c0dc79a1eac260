"""`report`: the page a head of an international office hands to the council."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import register, say, stdout_is_terminal, today
from agreements.cli.options import (
    AsOfOption,
    FilterOptions,
    FromOption,
    ToOption,
    format_option,
    option_date,
    output_file_option,
    takes_filters,
)
from agreements.errors import InvalidInput, NotFound
from agreements.formats import Format, Formats, file_suffix

if TYPE_CHECKING:
    from typing import IO

    from agreements.domain.council_report import CouncilReport
    from agreements.domain.report_period import ReportPeriod
    from agreements.store.register import Register

REPORT_FORMATS = Formats((Format.HTML, Format.MARKDOWN, Format.JSON, Format.PDF))
_BY_SUFFIX = {
    "html": Format.HTML, "htm": Format.HTML, "md": Format.MARKDOWN,
    "markdown": Format.MARKDOWN, "json": Format.JSON, "pdf": Format.PDF,
}  # fmt: skip


@app.command()
@takes_filters
def report(
    context: typer.Context,
    filters: FilterOptions,
    output_file: Annotated[Path | None, output_file_option("report.html")] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Report on this calendar year. Example: --year 2026"),
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    as_of: AsOfOption = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help="The report's title (default: 'Partnerships of' the party on most "
            "agreements, or 'Partnership agreements'). Example: --title 'Aarhus abroad'",
        ),
    ] = None,
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            metavar="COUNTRY",
            help="The home country; the other countries are the partners (default: the "
            "country on more than half of the agreements, if one is). Example: --home DK",
        ),
    ] = None,
    paper: Annotated[
        str,
        typer.Option(
            "--paper", help="The page size in print: a4 or letter. Example: --paper letter"
        ),
    ] = "a4",
    output: Annotated[str | None, format_option(REPORT_FORMATS)] = None,
) -> None:
    """Write a report of the partnerships for a council: key figures, charts, what is
    coming up and overdue, dormant partnerships, the period's activities, and a table
    of every agreement.

    HTML is one self-contained page that prints to A4 or Letter; md is the same as
    Markdown, without the charts, and json the figures it is built from. -o FILE.pdf
    writes a PDF, with the extra installed: pip install 'agreements[pdf]'. The period
    is --year, --from/--to, or else this year so far; the standing of each agreement is
    judged as of --as-of, or else the period's last day or today, whichever is earlier.
    On a terminal, without -o, it is laid out to the terminal's width, from its Markdown.

    Example: agreements report --year 2026 -o partnerships-2026.html
    """
    from agreements.render.output import stdout_bytes
    from agreements.store.atomic import output_file as atomic_output

    chosen = _chosen_format(output, output_file)
    paper = _paper(paper)
    the_register = register(context)
    if output_file is not None:
        the_register.files.refuse_as_output(output_file, "report")
    reference = today(as_of)
    period = _period(year, start, end, reference)
    now = reference if as_of is not None else min(reference, period.last)
    built = _built(the_register, filters, period, now, _title(title), home)
    if output_file is None and chosen is Format.MARKDOWN and stdout_is_terminal():
        from agreements.cli.context import out_console
        from agreements.domain.countries import country_name
        from agreements.render.report_markdown import report_markdown, show_on_terminal

        show_on_terminal(report_markdown(built, country_name), out_console())
        return
    target = stdout_bytes() if output_file is None else atomic_output(output_file)
    with target as stream:
        _write(built, chosen, paper, stream)
    if output_file is not None:
        from agreements.domain.text import counted

        say(f"Wrote the report on {counted(built.total, 'agreement')} to {output_file}")


def _built(
    the_register: Register,
    filters: FilterOptions,
    period: ReportPeriod,
    now: date,
    title: str | None,
    home: str | None,
) -> CouncilReport:
    """The report on the agreements the filters keep; the home country and the default
    title are judged on the whole register."""
    from agreements.cli.context import collation
    from agreements.domain.collation import collation_key
    from agreements.domain.council_report import ReportRequest, build_report
    from agreements.domain.countries import country_name, resolve_country
    from agreements.domain.places import continent_of
    from agreements.domain.queries import Filters

    home_code = None if home is None else resolve_country(home)
    if not the_register.path.exists():
        raise NotFound(
            f"there is no register at {the_register.path}",
            hint="see 'agreements where', or give the register with --db",
        )
    snapshot = the_register.read()
    selected = filters.build(snapshot.vocabulary())
    whole = None
    if not selected.selects_all():
        whole = [record for _, record in snapshot.query(Filters(), now)]
    order = collation()
    request = ReportRequest(
        period=period,
        as_of=now,
        made_on=_made_on(),
        register_name=the_register.path.name,
        title=title,
        home_country=home_code,
        watch=selected.watch(),
        selection=filters.described(),
    )
    return build_report(
        snapshot.query(selected, now),
        request,
        country_name=country_name,
        continent_of=continent_of,
        title_key=lambda text: collation_key(text, order),
        register=whole,
    )


def _write(built: CouncilReport, chosen: Format, paper: str, out: IO[bytes]) -> None:
    from agreements.domain.countries import country_name

    if chosen is Format.JSON:
        from agreements.render.output import write_json
        from agreements.render.report_data import report_data

        write_json(report_data(built), out)
    elif chosen is Format.MARKDOWN:
        from agreements.render.report_markdown import report_markdown

        out.write(report_markdown(built, country_name).encode("utf-8"))
    else:
        from agreements.render.report_html import report_html

        page = report_html(built, country_name, paper)
        if chosen is Format.PDF:
            from agreements.render.report_pdf import write_pdf

            write_pdf(page, out)
        else:
            out.write(page.encode("utf-8"))


def _made_on() -> date:
    """Today, or the day $SOURCE_DATE_EPOCH says, as reproducible builds set it."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return date.today()
    from datetime import UTC, datetime

    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):
        raise InvalidInput(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970"
        ) from None


def _chosen_format(given: str | None, output_file: Path | None) -> Format:
    """--format, else what -o's name says (HTML for another name); without either, HTML
    on a pipe and Markdown on a terminal, where HTML cannot be read."""
    if given is not None:
        chosen = REPORT_FORMATS.choose(given, stdout_is_terminal())
    elif output_file is not None:
        chosen = _BY_SUFFIX.get(file_suffix(output_file.name), Format.HTML)
    else:
        chosen = Format.MARKDOWN if stdout_is_terminal() else Format.HTML
    if chosen is Format.PDF and output_file is None and stdout_is_terminal():
        raise InvalidInput("a PDF is not shown on a terminal", hint="add -o FILE.pdf")
    return chosen


def _paper(given: str) -> str:
    name = given.strip().lower()
    if name not in ("a4", "letter"):
        raise InvalidInput(f"unknown paper size {given!r}", hint="choose a4 or letter")
    return name


def _title(given: str | None) -> str | None:
    if given is None:
        return None
    from agreements.domain.text import clean

    cleaned = clean(given)
    if cleaned is None:
        raise InvalidInput("--title is empty", hint="leave it out for the default title")
    return cleaned


def _period(year: int | None, start: str | None, end: str | None, day: date) -> ReportPeriod:
    from agreements.domain.report_period import report_period

    return report_period(year, option_date("--from", start), option_date("--to", end), day)
