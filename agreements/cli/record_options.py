"""The options of `add` and `edit`: one per field a person can type."""

from __future__ import annotations

from typing import Annotated

import typer

Many = list[str] | None
Title = Annotated[str | None, typer.Option(help='Title; default: the parties joined by " – ".')]
Type = Annotated[
    str | None,
    typer.Option(
        "--type",
        "-t",
        help="sister-city, friendship, cooperation, "
        "memorandum-of-understanding, letter-of-intent or other; aliases such as "
        "twinning, mou, collaboration work too. Example: --type collaboration",
    ),
]
Parties = Annotated[
    Many,
    typer.Option(
        "--party",
        "-p",
        metavar="NAME[, PARENT][, COUNTRY]",
        help='A party; repeat for each. Example: --party "Qixia District, Nanjing, China"',
    ),
]
Levels = Annotated[
    Many,
    typer.Option(
        "--level",
        metavar="NAME=LEVEL",
        help="Set a party's level when its name does not tell (city, district, "
        "municipality, county, region, province, state, country, other). "
        'Example: --level "Aarhus=municipality"',
    ),
]
Signatories = Annotated[
    Many,
    typer.Option(
        "--signatory",
        metavar="NAME; TITLE; PARTY",
        help="Who signed, for which party; repeat. Example: --signatory "
        '"Jacob Bundsgaard; Mayor; Aarhus"',
    ),
]
Signed = Annotated[
    str | None,
    typer.Option(
        "--signed",
        metavar="DATE",
        help="Date of signing: 2012-10-02, 2012-10, 2012 or "
        '"2 October 2012". Example: --signed 2012-10-02',
    ),
]
Place = Annotated[
    str | None, typer.Option(help='Where it was signed. Example: --place "Aarhus City Hall"')
]
Sectors = Annotated[
    Many,
    typer.Option(
        "--sector",
        "-s",
        help='A focus area from the vocabulary; repeat; end with "?" '
        "when only possible. Example: --sector cleantech --sector education?",
    ),
]
PossibleSectors = Annotated[
    Many,
    typer.Option(
        "--possible-sector",
        help="A focus area named as possible, not agreed. Example: --possible-sector education",
    ),
]
Expires = Annotated[
    str | None,
    typer.Option("--expires", metavar="DATE", help="When it ends. Example: --expires 2030"),
]
Review = Annotated[
    str | None,
    typer.Option(
        "--review", metavar="DATE", help="When it is due for review. Example: --review 2027-06"
    ),
]
StatusOption = Annotated[
    str | None,
    typer.Option(
        "--status",
        help="Set the status by hand: proposed, active, expired, suspended, "
        "terminated; 'auto' derives it from the dates again. Example: --status suspended",
    ),
]
StatusReason = Annotated[
    str | None,
    typer.Option(
        "--status-reason",
        help='Why the status was set by hand. Example: --status-reason "paused by the council"',
    ),
]
Notes = Annotated[
    Many,
    typer.Option(
        "--note", help='A note; repeat for paragraphs. Example: --note "Areas to be set in 2013"'
    ),
]
Sources = Annotated[
    Many,
    typer.Option(
        "--source",
        metavar="URL[; TITLE[; PUBLISHED]]",
        help='Where it is documented; repeat. Example: --source "https://example.org/news"',
    ),
]
Contacts = Annotated[
    Many,
    typer.Option(
        "--contact",
        metavar="NAME; ROLE; PHONE; EMAIL[; PARTY]",
        help="A contact; leave parts empty to skip them. Example: --contact "
        '"International Office; primary contact; +45 8940 2195; ; Aarhus"',
    ),
]
Tags = Annotated[Many, typer.Option("--tag", help="A free tag; repeat. Example: --tag nordic")]
Effective = Annotated[
    str | None,
    typer.Option(
        "--effective", metavar="DATE", help="When it takes effect. Example: --effective 2013-01"
    ),
]
CouncilResolution = Annotated[
    str | None,
    typer.Option(
        "--council-resolution",
        metavar="DATE",
        help="When the council resolved it. Example: --council-resolution 2012-09-13",
    ),
]
RenewalOption = Annotated[
    str | None,
    typer.Option(
        "--renewal",
        metavar="KIND",
        help="none, automatic or on-decision: what happens at the expiry. Example: --renewal automatic",
    ),
]
Notice = Annotated[
    str | None,
    typer.Option(
        "--notice",
        metavar="PERIOD",
        help="How long before the expiry notice must be given or a decision taken. "
        "Example: --notice 3m",
    ),
]
Namesakes = Annotated[
    bool,
    typer.Option(
        "--namesakes",
        help="Two parties have one name and nothing else tells them apart (two villages "
        "of one name in one country): they are two places, not one typed twice.",
    ),
]
