"""Options several commands share, declared once: the filters, --format and --date-order."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from shlex import quote
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_type_hints

import typer

from agreements.domain.dates import DateOrder, PartialDate, parse_date
from agreements.errors import InvalidInput
from agreements.formats import Formats

if TYPE_CHECKING:
    from agreements.domain.queries import Filters
    from agreements.domain.vocabulary import Vocabulary

F = TypeVar("F", bound=Callable[..., Any])


def format_option(formats: Formats) -> Any:
    """The --format option of a command that writes `formats`."""
    example = formats.choices[-1].value
    return typer.Option("--format", "-f", help=f"{formats.help()}. Example: --format {example}")


DateOrderOption = Annotated[
    DateOrder | None,
    typer.Option(
        "--date-order",
        envvar="AGREEMENTS_DATE_ORDER",
        case_sensitive=False,
        help="How to read numeric dates like 02/10/2012: DMY or MDY (or $AGREEMENTS_DATE_ORDER). "
        "Example: --date-order DMY",
    ),
]


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge the dates as on this day instead of today (or $AGREEMENTS_TODAY). "
        "Example: --as-of 2027-01-01",
    ),
]


FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="DATE",
        help="With --to: the period from this date on (a month or a year from its first "
        "day). Example: --from 2027-01",
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to",
        metavar="DATE",
        help="With --from: the last date of the period (a month or a year to its last "
        "day). Example: --to 2027-06",
    ),
]


def option_date(option: str, text: str | None) -> PartialDate | None:
    """The date an option such as --from was given, its errors naming the option."""
    if text is None:
        return None
    try:
        return parse_date(text)
    except InvalidInput as error:
        raise InvalidInput(f"{option}: {error.message}", error.hint) from None


def output_file_option(example: str) -> Any:
    """The -o option of a command that writes a file: replaced atomically, never half done."""
    return typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help=f"Write to this file (replaced atomically) instead of stdout. Example: -o {example}",
    )


def period_option(name: str, help_text: str) -> Any:
    return typer.Option(name, metavar="PERIOD", help=help_text)


@dataclass(frozen=True)
class FilterOptions:
    """The filters of `list`, `summary` and `export` as typed; `build` reads them."""

    sector: Annotated[
        list[str] | None,
        typer.Option(
            "--sector",
            "-s",
            help="Keep agreements with this sector; repeat for any of several. "
            "Example: --sector cleantech --sector energy",
        ),
    ] = None
    agreed_only: Annotated[
        bool, typer.Option("--agreed-only", help="With --sector: ignore sectors marked possible.")
    ] = False
    party: Annotated[
        str | None,
        typer.Option(
            "--party",
            "-p",
            help="Keep agreements with a party (or its parent) whose name contains "
            "this, ignoring case and accents. Example: --party nanjing",
        ),
    ] = None
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            "-c",
            help="Keep agreements with a party in this country (code or name; a "
            "former country such as 'Soviet Union' keeps those signed with it); repeat "
            "for any of several. Example: --country DK",
        ),
    ] = None
    type_: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            "-t",
            help="Keep this agreement type; repeat for any of several. Example: --type sister-city",
        ),
    ] = None
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="Keep this status; repeat for any of several. Example: --status active",
        ),
    ] = None
    signed_after: Annotated[
        str | None,
        typer.Option(
            "--signed-after",
            metavar="DATE",
            help="Keep agreements signed wholly after "
            "this date or period. Example: --signed-after 2010 (from 2011 on)",
        ),
    ] = None
    signed_before: Annotated[
        str | None,
        typer.Option(
            "--signed-before",
            metavar="DATE",
            help="Keep agreements signed wholly before "
            "this date or period. Example: --signed-before 2000-06",
        ),
    ] = None
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            "-q",
            help="Keep agreements with this text in any text field. Example: --search sindberg",
        ),
    ] = None
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", help="Keep agreements with this tag. Example: --tag nordic"),
    ] = None
    due_within: Annotated[
        str | None,
        period_option(
            "--due-within",
            "Keep agreements with something due within this period, or overdue "
            "(see 'agreements due'). Example: --due-within 90d",
        ),
    ] = None
    dormant: Annotated[
        bool,
        typer.Option(
            "--dormant",
            help="Keep running agreements whose latest activity is older than --dormant-after.",
        ),
    ] = False
    no_activity: Annotated[
        bool, typer.Option("--no-activity", help="Keep agreements with no activity recorded.")
    ] = False
    dormant_after: Annotated[
        str | None,
        period_option(
            "--dormant-after",
            "How long without activity makes a running agreement dormant (default 3y). "
            "Example: --dormant-after 2y",
        ),
    ] = None
    date_order: DateOrderOption = None

    def about_upkeep(self) -> bool:
        """Whether a filter about keeping partnerships alive is used (due, dormant, no
        activity): then a table shows what is due next. Signing dates keep the usual table,
        which shows them."""
        return bool(self.due_within or self.dormant or self.no_activity)

    def described(self) -> tuple[str, ...]:
        """The filters given, as they were typed: ("--country CN", "--dormant")."""
        given: list[str] = []
        for declared in fields(self):
            value = getattr(self, declared.name)
            if declared.name == "date_order" or value in (None, False, []):
                continue
            option = _option_name(declared.name)
            values = value if isinstance(value, list) else [value]
            given += [option if item is True else f"{option} {quote(str(item))}" for item in values]
        return tuple(given)

    def build(self, vocabulary: Vocabulary) -> Filters:
        """The filters, each value read and checked: an unknown sector or country is an error."""
        from agreements.domain.periods import DORMANT_AFTER, parse_period
        from agreements.domain.queries import Filters
        from agreements.domain.text import fold
        from agreements.domain.values import parse_status, parse_type

        if self.agreed_only and not self.sector:
            raise InvalidInput("--agreed-only needs --sector")
        order = self.date_order
        return Filters(
            sectors=frozenset(vocabulary.resolve(s) for s in self.sector or ()),
            agreed_only=self.agreed_only,
            party=self.party,
            countries=_country_codes(self.country or []),
            types=frozenset(parse_type(t) for t in self.type_ or ()),
            statuses=frozenset(parse_status(s) for s in self.status or ()),
            signed_after=None
            if self.signed_after is None
            else parse_date(self.signed_after, order),
            signed_before=(
                None if self.signed_before is None else parse_date(self.signed_before, order)
            ),
            search=self.search,
            tags=frozenset(fold(tag) for tag in self.tag or ()),
            due_within=None if self.due_within is None else parse_period(self.due_within),
            dormant=self.dormant,
            no_activity=self.no_activity,
            dormant_after=(
                DORMANT_AFTER if self.dormant_after is None else parse_period(self.dormant_after)
            ),
        )


def _country_codes(countries: list[str]) -> frozenset[str]:
    if not countries:  # the names of the world's countries load only when asked for
        return frozenset()
    from agreements.domain.countries import filter_code

    return frozenset(filter_code(country) for country in countries)


_FILTER_HINTS = get_type_hints(FilterOptions, include_extras=True)


def _option_name(field_name: str) -> str:
    """The long option a field of FilterOptions is declared with: "--type" of `type_`."""
    for extra in getattr(_FILTER_HINTS[field_name], "__metadata__", ()):
        names = [n for n in getattr(extra, "param_decls", ()) if n.startswith("--")]
        if names:
            return str(names[0])
    return "--" + field_name.rstrip("_").replace("_", "-")


_FILTER_PARAMETERS = [
    inspect.Parameter(
        declared.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=declared.default,
        annotation=_FILTER_HINTS[declared.name],
    )
    for declared in fields(FilterOptions)
]


def takes_filters(command: F) -> F:
    """Give a command the filter options in place of its `filters: FilterOptions` parameter."""
    signature = inspect.signature(command, eval_str=True)
    parameters = []
    for name, parameter in signature.parameters.items():
        if name == "filters":
            parameters += _FILTER_PARAMETERS
        else:
            parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY))
    names = [parameter.name for parameter in _FILTER_PARAMETERS]

    @functools.wraps(command)
    def with_filters(*args: Any, **kwargs: Any) -> Any:
        typed = FilterOptions(**{name: kwargs.pop(name) for name in names})
        return command(*args, filters=typed, **kwargs)

    with_filters.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_filters.__annotations__ = {p.name: p.annotation for p in parameters}
    return with_filters  # type: ignore[return-value]
