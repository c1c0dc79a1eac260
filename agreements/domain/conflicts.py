"""Settling a merge conflict that `merge-driver` left on a record (`merging`)."""

from __future__ import annotations

from typing import Any

import orjson

from agreements.domain.merging import RECORD
from agreements.domain.model import Agreement, date_problems
from agreements.domain.records import stored_record
from agreements.domain.schema import BY_NAME, Kind
from agreements.domain.strict_records import from_stored
from agreements.domain.text import clean
from agreements.errors import InvalidInput

SIDES = ("ours", "theirs", "base")


def resolved(agreement: Agreement, field: str, take: str) -> Agreement | None:
    """The agreement with its conflict in `field` settled by `take`: a side, or a value of
    one's own in the stored form (JSON for a list field); None when the side taken had
    removed the agreement. InvalidInput when there is no such conflict or value."""
    number = agreement.id
    conflict = next((found for found in agreement.conflicts if found.field == field), None)
    if conflict is None:
        fields = ", ".join(sorted({found.field for found in agreement.conflicts})) or "none"
        raise InvalidInput(
            f"agreement {number} has no conflict in {field!r}", hint=f"its conflicts: {fields}"
        )
    record = stored_record(agreement)
    record["conflicts"] = [found for found in record["conflicts"] if found["field"] != field]
    if field == RECORD:
        if take not in ("ours", "theirs"):
            raise InvalidInput("a removed agreement is settled with --take ours or --take theirs")
        if getattr(conflict, take) == "removed":
            return None
    else:
        record[field] = (
            orjson.loads(getattr(conflict, take)) if take in SIDES else _own(field, take)
        )
    settled = from_stored(record, f"agreement {number} as resolved", number)
    problems = date_problems(settled) if take not in SIDES else []
    if problems:
        raise InvalidInput(f"{problems[0].field}: {problems[0].message}")
    return settled


def _own(field: str, text: str) -> Any:
    """A value of one's own for a field of one value, cleaned as `edit` cleans text."""
    declared = BY_NAME.get(field)
    if declared is None or not declared.stored:
        raise InvalidInput(f"{field!r} is not a field of a stored agreement")
    if declared.kind in (Kind.ITEMS, Kind.TEXTS, Kind.TIMESTAMP):
        raise InvalidInput(
            f"{field} takes ours, theirs or base",
            hint="then change it with 'agreements edit' as usual",
        )
    value = clean(text, paragraphs=field == "notes")
    if value is None:
        raise InvalidInput(f"the value for {field} is empty", hint="or --take ours|theirs|base")
    return value
