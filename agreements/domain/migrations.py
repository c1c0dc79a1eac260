"""The versions of the register file's schema, and the steps from each to the next.

The meta document names the schema a file is in (`schema_version`; files without it
are schema 1). A file of an older schema is read as it is, each record brought up to
date as it is read; the first save that changes something writes the upgrade first, as
an operation of its own that `undo` can take back, and keeps the file as it was as the
backup. A step is a function of one stored record, and must accept any JSON value
(damaged records are reported after the upgrade, by the same checks as any other).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agreements.errors import CorruptDatabase

SCHEMA_VERSION = 5


@dataclass(frozen=True)
class Migration:
    version: int
    """The schema a file has after this step."""
    summary: str
    upgrade: Callable[[Any], Any]
    """One stored record of the schema before, as a record of `version`."""


def _status_only_when_set_by_hand(record: Any) -> Any:
    """Schema 1 stored the status derived at the last save beside `status_manual`; from
    schema 2 `status` holds only a status set by hand, and the rest is derived on reading.
    Schema 1 also let records stored before `country_as_given` existed go without it."""
    if not isinstance(record, dict):
        return record
    record = dict(record)
    manual = record.get("status_manual")
    if isinstance(manual, bool):
        del record["status_manual"]
        if not manual:
            record["status"] = None
    parties = record.get("parties")
    if isinstance(parties, list):
        record["parties"] = [
            {"country_as_given": None, **party} if isinstance(party, dict) else party
            for party in parties
        ]
    return record


_LIFECYCLE: dict[str, Any] = {
    "effective_on": None,
    "council_resolution_on": None,
    "renewal": None,
    "notice": None,
    "activities": [],
}


def _lifecycle_and_activities(record: Any) -> Any:
    """Schema 3 keeps activities, and the dates and terms of an agreement's life."""
    if not isinstance(record, dict):
        return record
    return {**_LIFECYCLE, **record}


_PLACE: dict[str, Any] = {
    "other_names": [],
    "region": None,
    "region_code": None,
    "country_at_signing": None,
}


def _places_and_unknown_dates(record: Any) -> Any:
    """Schema 4 keeps a party's other names, its region and a country it was in that no
    longer exists. It also reads a missing signing date as "signed, date unknown" rather
    than "not yet signed": a status set by hand is kept as it is, and only a status that
    was derived is derived by the new rule."""
    if not isinstance(record, dict):
        return record
    parties = record.get("parties")
    if not isinstance(parties, list):
        return record
    return {
        **record,
        "parties": [{**_PLACE, **party} if isinstance(party, dict) else party for party in parties],
    }


def _merge_conflicts(record: Any) -> Any:
    """Schema 5 keeps the merge conflicts of a register shared over git on their record,
    and each agreement's uid (none for those added before)."""
    if not isinstance(record, dict):
        return record
    return {"conflicts": [], "uid": None, **record}


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        2, "the stored status holds only a status set by hand", _status_only_when_set_by_hand
    ),
    Migration(3, "activities and lifecycle dates and terms", _lifecycle_and_activities),
    Migration(
        4,
        "other names, regions and former countries of parties; an undated agreement "
        "counts as signed",
        _places_and_unknown_dates,
    ),
    Migration(5, "merge conflicts and uids, for a register shared over git", _merge_conflicts),
)


def steps_from(version: int) -> list[Migration]:
    """The steps that bring a file of `version` to SCHEMA_VERSION, in order."""
    return [step for step in MIGRATIONS if step.version > version]


def upgrader(version: int) -> Callable[[Any], Any] | None:
    """What brings one stored record of `version` up to date; None when it is already."""
    steps = [step.upgrade for step in steps_from(version)]
    if not steps:
        return None

    def upgrade(record: Any) -> Any:
        for step in steps:
            record = step(record)
        return record

    return upgrade


def version_problem(version: object) -> str | None:
    """Why this release cannot read a file that names `version` as its schema, if it cannot."""
    if type(version) is not int or version < 1:
        return f"meta schema_version is {version!r}, not a version number"
    if version > SCHEMA_VERSION:
        return (
            f"it was written by a newer agreements (schema {version}; "
            f"this one reads up to {SCHEMA_VERSION})"
        )
    return None


def check_version(version: object, where: str) -> int:
    """The schema version a file names, or CorruptDatabase when this release cannot read it."""
    problem = version_problem(version)
    if problem is not None:
        raise CorruptDatabase(
            f"{where} cannot be read: {problem}",
            hint="the file was left untouched; a newer schema needs a newer agreements",
        )
    assert isinstance(version, int)
    return version
