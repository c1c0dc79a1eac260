"""The agreement record, declared once: its fields, their kinds, their CSV columns, and
which of them can be cleared by `edit` or mapped from another tool's CSV.

Everything that reads or writes a record derives from this declaration: the JSON codec
(`records`), the CSV columns and their order (`exchange.csv_columns`), the fields `edit
--clear` takes, the targets of `import --map`, and the list columns. A test holds every
reader and writer to it, so a field declared here that one of them misses fails a test.

Two forms of a record exist. The *exchanged* form (`--format json`, exports) has every
field below in this order, with `status` the current status and `status_manual` telling
whether a person set it. The *stored* form (the register file) leaves out `id` (the
record's key) and `status_manual`, and its `status` is only a status set by hand, or
null: a derived status is worked out whenever a record is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import cached_property

from agreements.domain.model import (
    Activity,
    Conflict,
    Contact,
    Party,
    Sector,
    Signatory,
    Source,
)
from agreements.domain.values import (
    ActivityKind,
    AgreementType,
    Certainty,
    Level,
    Renewal,
    Status,
)


class Kind(Enum):
    ID = "id"  # the agreement's number: the key of its line in the file
    TEXT = "text"  # optional text
    TITLE = "title"  # text that defaults to the parties' names
    CHOICE = "choice"  # a value of a closed set (`choices`)
    STATUS = "status"  # a status set by hand, or none: then it is derived
    FLAG = "flag"  # true or false
    DATE = "date"  # ISO, with the precision known: YYYY, YYYY-MM or YYYY-MM-DD
    PERIOD = "period"  # a span of time: "3 months", "90 days", "1 year"
    COUNTRY = "country"  # an ISO 3166-1 alpha-2 code
    SUBDIVISION = "subdivision"  # an ISO 3166-2 code: "DE-BY"
    FORMER_COUNTRY = "former country"  # an ISO 3166-3 code: "SUHH"
    TEXTS = "texts"  # a list of non-empty texts (within an item, joined by "|" in CSV)
    ITEMS = "items"  # a list of objects of one `Item` shape
    TIMESTAMP = "timestamp"  # UTC, YYYY-MM-DDTHH:MM:SSZ


@dataclass(frozen=True)
class Part:
    """A key of the objects in a list field, such as a party's country."""

    key: str
    kind: Kind
    column: str
    required: bool = False
    choices: type[StrEnum] | None = None
    default: StrEnum | None = None
    mapped: bool = False
    """Whether `import --map partyN.KEY=COLUMN` can read it."""


@dataclass(frozen=True)
class Item:
    """The shape of the objects in a list field, and the model class they become."""

    model: type[Party | Signatory | Sector | Contact | Source | Activity | Conflict]
    parts: tuple[Part, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(part.key for part in self.parts)

    @cached_property
    def key_set(self) -> frozenset[str]:
        return frozenset(self.keys)


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    choices: type[StrEnum] | None = None
    item: Item | None = None
    stored: bool = True
    """Whether the register file keeps it (the id is the record's key instead)."""
    clear: tuple[str, ...] = ()
    """How `edit --clear` names it; empty when it cannot be cleared."""
    mapped: str | None = None
    """The name `import --map`, `--set` and `--translate` give it, if they can."""
    required: bool = False
    """Whether every record must have it (of the fields with a kind that may be empty)."""
    in_csv: bool = True
    """Whether our CSV has columns for it; activities have a CSV of their own."""
    exchanged: bool = True
    """Whether exports and imports carry it: the uid is the register's own."""

    @property
    def columns(self) -> tuple[str, ...]:
        """Its CSV columns: one per part of a list of objects (sectors pack theirs into one)."""
        if not self.in_csv:
            return ()
        if self.item is None:
            return (self.name,)
        return tuple(dict.fromkeys(part.column for part in self.item.parts))


PARTY = Item(
    Party,
    (
        Part("name", Kind.TEXT, "party_names", required=True, mapped=True),
        Part("country", Kind.COUNTRY, "party_countries", mapped=True),
        Part("country_as_given", Kind.TEXT, "party_countries_as_given"),
        Part("level", Kind.CHOICE, "party_levels", choices=Level, default=Level.CITY, mapped=True),
        Part("parent", Kind.TEXT, "party_parents", mapped=True),
        Part("other_names", Kind.TEXTS, "party_other_names", mapped=True),
        Part("region", Kind.TEXT, "party_regions", mapped=True),
        Part("region_code", Kind.SUBDIVISION, "party_region_codes"),
        Part("country_at_signing", Kind.FORMER_COUNTRY, "party_countries_at_signing"),
    ),
)
SIGNATORY = Item(
    Signatory,
    (
        Part("name", Kind.TEXT, "signatory_names", required=True),
        Part("title", Kind.TEXT, "signatory_titles"),
        Part("party", Kind.TEXT, "signatory_parties", required=True),
    ),
)
SECTOR = Item(
    Sector,
    (
        Part("name", Kind.TEXT, "sectors", required=True),
        # In CSV a possible sector is its name with a trailing "?".
        Part("certainty", Kind.CHOICE, "sectors", choices=Certainty, default=Certainty.AGREED),
    ),
)
CONTACT = Item(
    Contact,
    (
        Part("name", Kind.TEXT, "contact_names", required=True),
        Part("role", Kind.TEXT, "contact_roles"),
        Part("phone", Kind.TEXT, "contact_phones"),
        Part("email", Kind.TEXT, "contact_emails"),
        Part("party", Kind.TEXT, "contact_parties"),
    ),
)
ACTIVITY = Item(
    Activity,
    (
        Part("kind", Kind.CHOICE, "kind", required=True, choices=ActivityKind),
        Part("on", Kind.DATE, "on", required=True),
        Part("summary", Kind.TEXT, "summary", required=True),
        Part("party", Kind.TEXT, "party"),
        Part("follow_up_on", Kind.DATE, "follow_up_on"),
        Part("follow_up", Kind.TEXT, "follow_up"),
    ),
)
SOURCE = Item(
    Source,
    (
        Part("url", Kind.TEXT, "source_urls", required=True),
        Part("title", Kind.TEXT, "source_titles"),
        Part("published_on", Kind.DATE, "source_published"),
    ),
)
CONFLICT = Item(
    Conflict,
    (
        Part("field", Kind.TEXT, "field", required=True),
        Part("ours", Kind.TEXT, "ours", required=True),
        Part("theirs", Kind.TEXT, "theirs", required=True),
        Part("base", Kind.TEXT, "base", required=True),
    ),
)

# The order here is the order of every export, JSON and CSV alike.
FIELDS: tuple[Field, ...] = (
    Field("id", Kind.ID, stored=False),
    Field("title", Kind.TITLE, clear=("title",), mapped="title"),
    Field("type", Kind.CHOICE, choices=AgreementType, mapped="type", required=True),
    Field("status", Kind.STATUS, choices=Status, clear=("status",), mapped="status"),
    Field("status_manual", Kind.FLAG, stored=False),
    Field("status_reason", Kind.TEXT, clear=("status-reason",), mapped="status_reason"),
    Field("signed_on", Kind.DATE, clear=("signed", "signed-on"), mapped="signed_on"),
    Field("place", Kind.TEXT, clear=("place",), mapped="place"),
    Field("parties", Kind.ITEMS, item=PARTY),
    Field("signatories", Kind.ITEMS, item=SIGNATORY, clear=("signatories",)),
    Field("sectors", Kind.ITEMS, item=SECTOR, clear=("sectors",), mapped="sectors"),
    Field("expires_on", Kind.DATE, clear=("expires", "expires-on"), mapped="expires_on"),
    Field("review_on", Kind.DATE, clear=("review", "review-on"), mapped="review_on"),
    Field("effective_on", Kind.DATE, clear=("effective", "effective-on"), mapped="effective_on"),
    Field(
        "council_resolution_on",
        Kind.DATE,
        clear=("council-resolution", "council-resolution-on"),
        mapped="council_resolution_on",
    ),
    Field("renewal", Kind.CHOICE, choices=Renewal, clear=("renewal",), mapped="renewal"),
    Field("notice", Kind.PERIOD, clear=("notice",), mapped="notice"),
    Field("contacts", Kind.ITEMS, item=CONTACT, clear=("contacts",)),
    Field("sources", Kind.ITEMS, item=SOURCE, clear=("sources",), mapped="source"),
    Field("notes", Kind.TEXT, clear=("notes", "note"), mapped="notes"),
    Field("tags", Kind.TEXTS, clear=("tags",), mapped="tags"),
    Field("activities", Kind.ITEMS, item=ACTIVITY, clear=("activities",), in_csv=False),
    Field("conflicts", Kind.ITEMS, item=CONFLICT, in_csv=False),
    Field("uid", Kind.TEXT, in_csv=False, exchanged=False),
    Field("created_at", Kind.TIMESTAMP),
    Field("updated_at", Kind.TIMESTAMP),
)

FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)
EXCHANGED_FIELDS: tuple[Field, ...] = tuple(field for field in FIELDS if field.exchanged)
STORED_FIELDS: tuple[Field, ...] = tuple(field for field in FIELDS if field.stored)
BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
CSV_COLUMNS: tuple[str, ...] = tuple(column for field in FIELDS for column in field.columns)
CLEARABLE: dict[str, str] = {spelling: field.name for field in FIELDS for spelling in field.clear}
MAPPED: dict[str, Field] = {field.mapped: field for field in FIELDS if field.mapped}
MAPPED_PARTY_KEYS: tuple[str, ...] = tuple(part.key for part in PARTY.parts if part.mapped)

# The columns `list` shows, in order: fields, and the countries of the parties.
LIST_VIEW_COLUMNS: tuple[str, ...] = (
    "id", "title", "type", "status", "signed_on", "parties", "countries", "sectors", "place",
)  # fmt: skip
