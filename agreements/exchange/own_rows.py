"""Rows of the register's own CSV, read straight into agreements.

The rules are those of `model.from_record`, applied to the cells of a row rather than
to a JSON object, so that a large import builds no record on the way. Each error names
the column, and the item within a list column. tests/test_own_csv.py holds this reader
and `from_record` to the same agreements and the same errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import TypeVar

from agreements.domain.dates import PartialDate
from agreements.domain.model import (
    MISSING,
    Agreement,
    AgreementType,
    Certainty,
    Contact,
    Level,
    Party,
    Sector,
    Signatory,
    Source,
    Status,
    country_code_problem,
    default_title,
    member,
    not_a_member,
    stored_date,
    validate,
)
from agreements.errors import InvalidInput
from agreements.exchange.files import CSV_COLUMNS, plain_column, split_items
from agreements.exchange.spreadsheet import unescape_cell

E = TypeVar("E", Level, Status)


class OwnRowReader:
    """Reads the rows of a CSV that 'agreements export' wrote, given its header."""

    def __init__(self, header: Sequence[str]) -> None:
        columns = [plain_column(column) for column in header]
        unknown = [column for column in columns if column not in CSV_COLUMNS]
        if unknown:
            raise InvalidInput(
                f"line 1: the column {unknown[0]!r} is not one 'agreements export' writes",
                hint="remove it, or read the file with --map FIELD=COLUMN",
            )
        if "type" not in columns:
            raise InvalidInput("line 1: the header needs at least party_names and type")
        self.width = len(columns)
        position = {column: index for index, column in enumerate(columns)}
        # A column the file leaves out reads as an empty cell, found one past the last.
        self._pick = itemgetter(*(position.get(column, self.width) for column in CSV_COLUMNS))

    def read(self, cells: list[str]) -> Agreement:
        """The agreement of one row; raises InvalidInput naming the column at fault."""
        if len(cells) != self.width:
            raise InvalidInput(f"{len(cells)} cells where the header has {self.width}")
        cells = [*cells, ""]
        if "'" in "".join(cells):
            cells = [cell if cell[:1] != "'" else unescape_cell(cell) for cell in cells]
        (
            id_cell, title, type_cell, status_cell, manual_cell, status_reason, signed_on,
            place, party_names, party_countries, party_countries_as_given, party_levels,
            party_parents, signatory_names, signatory_titles, signatory_parties, sector_cell,
            expires_on, review_on, contact_names, contact_roles, contact_phones,
            contact_emails, contact_parties, source_urls, source_titles, source_published,
            notes, tag_cell, created_at, updated_at,
        ) = self._pick(cells)  # fmt: skip
        if id_cell and not (id_cell.isascii() and id_cell.isdigit()):
            raise _fail("id", f"{id_cell!r} is not a whole number")
        if manual_cell not in ("true", "false", ""):
            raise _fail("status_manual", "expected true or false")
        party_items = _items(
            _PARTY_COLUMNS,
            party_names, party_countries, party_countries_as_given, party_levels, party_parents,
        )  # fmt: skip
        signatory_items = _items(
            _SIGNATORY_COLUMNS, signatory_names, signatory_titles, signatory_parties
        )
        contact_items = _items(
            _CONTACT_COLUMNS,
            contact_names, contact_roles, contact_phones, contact_emails, contact_parties,
        )  # fmt: skip
        source_items = _items(_SOURCE_COLUMNS, source_urls, source_titles, source_published)
        signatories = tuple(
            Signatory(
                _required(name, "signatory_names", n),
                _required(party, "signatory_parties", n),
                signatory_title or None,
            )
            for n, (name, signatory_title, party) in enumerate(signatory_items)
        )
        sectors = tuple(_sector(item, n) for n, item in enumerate(split_items(sector_cell)))
        contacts = tuple(
            Contact(_required(name, "contact_names", n), role or None, phone or None,
                    email or None, party or None)
            for n, (name, role, phone, email, party) in enumerate(contact_items)
        )  # fmt: skip
        sources = tuple(
            Source(
                _required(url, "source_urls", n),
                source_title or None,
                _date(published, "source_published", n),
            )
            for n, (url, source_title, published) in enumerate(source_items)
        )
        agreement_id = int(id_cell) if id_cell else None
        if agreement_id is not None and agreement_id < 1:
            raise _fail("id", "expected a positive whole number")
        if not type_cell:
            raise _fail("type", MISSING)
        agreement_type = member(AgreementType, type_cell)
        if agreement_type is None:
            raise _fail("type", not_a_member(AgreementType, type_cell))
        parties = tuple(_party(n, *item) for n, item in enumerate(party_items))
        tags = split_items(tag_cell)
        agreement = Agreement(
            id=agreement_id,
            title=title or default_title(parties),
            type=agreement_type,
            parties=parties,
            signatories=signatories,
            signed_on=_date(signed_on, "signed_on"),
            place=place or None,
            sectors=sectors,
            status=_choice(Status, status_cell, "status") if manual_cell == "true" else None,
            status_reason=status_reason or None,
            expires_on=_date(expires_on, "expires_on"),
            review_on=_date(review_on, "review_on"),
            contacts=contacts,
            sources=sources,
            notes=notes or None,
            tags=tuple(tags),
            created_at=created_at,
            updated_at=updated_at,
        )
        if not all(tags):
            raise _fail("tags", "expected a list of non-empty texts")
        validate(agreement)
        return agreement


def _fail(column: str, problem: str, item: int | None = None) -> InvalidInput:
    where = f"column {column!r}" if item is None else f"column {column!r} (item {item + 1})"
    return InvalidInput(f"{where}: {problem}")


_PARTY_COLUMNS = (
    "party_names", "party_countries", "party_countries_as_given", "party_levels", "party_parents",
)  # fmt: skip
_SIGNATORY_COLUMNS = ("signatory_names", "signatory_titles", "signatory_parties")
_CONTACT_COLUMNS = (
    "contact_names", "contact_roles", "contact_phones", "contact_emails", "contact_parties",
)  # fmt: skip
_SOURCE_COLUMNS = ("source_urls", "source_titles", "source_published")


def _items(columns: tuple[str, ...], *cells: str) -> list[tuple[str, ...]]:
    """The items of parallel list cells, one tuple each; the first cell counts them.

    An empty cell gives every item an empty part; any other cell needs one part per item.
    """
    if not any(cells):
        return []
    parts = [split_items(cell) for cell in cells]
    count = len(parts[0])
    for column, values in zip(columns, parts, strict=True):
        if values and len(values) != count:
            raise _fail(column, f"{len(values)} items where {columns[0]!r} has {count}")
    return list(zip(*[values or [""] * count for values in parts], strict=True))


def _required(text: str, column: str, item: int) -> str:
    if not text:
        raise _fail(column, MISSING, item)
    return text


def _date(text: str, column: str, item: int | None = None) -> PartialDate | None:
    if not text:
        return None
    try:
        return stored_date(text)
    except InvalidInput as error:
        raise _fail(column, error.message, item) from None


def _choice(kind: type[E], text: str, column: str, item: int | None = None) -> E | None:
    if not text:
        return None
    found = member(kind, text)
    if found is None:
        raise _fail(column, not_a_member(kind, text), item)
    return found


def _sector(text: str, item: int) -> Sector:
    if text[-1:] == "?":
        return Sector(_required(text[:-1], "sectors", item), Certainty.POSSIBLE)
    return Sector(_required(text, "sectors", item), Certainty.AGREED)


def _party(item: int, name: str, country: str, as_given: str, level: str, parent: str) -> Party:
    problem = country_code_problem(country) if country else None
    if problem is not None:
        raise _fail("party_countries", problem, item)
    return Party(
        name=_required(name, "party_names", item),
        country=country or None,
        level=_choice(Level, level, "party_levels", item) or Level.CITY,
        parent=parent or None,
        country_as_given=as_given or None,
    )
