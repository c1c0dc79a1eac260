"""Three versions of a register merged record by record and field by field: what
`merge-driver` does when git brings two colleagues' changes together.

Each side is compared with the version both started from (the base). A change made on
one side only is taken; the same change made on both sides is taken once; a list field
(sectors, tags, activities, sources, contacts, signatories) changed on both sides merges
item by item. The same field changed differently on both sides is a conflict: the record
keeps our value, and a `Conflict` on it keeps both sides' and the base's until `resolve`
settles it. Agreements both sides added under the same new id are both kept, the one
created later given the next free id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from agreements.domain.schema import STORED_FIELDS, Kind

Record = dict[str, Any]

RECORD = "record"
"""The conflict's field when one side removed an agreement the other side changed."""
_MERGED_BY_ITEM = frozenset(
    stored.name
    for stored in STORED_FIELDS
    if stored.kind in (Kind.ITEMS, Kind.TEXTS) and stored.name not in ("parties", "conflicts")
)
_LATEST_WINS = frozenset(("updated_at",))


@dataclass(frozen=True)
class Side:
    """One version of the register: its agreements by id, its own sectors, its counter."""

    agreements: Mapping[int, Record]
    sectors: Mapping[int, Record]
    next_id: int


@dataclass
class Merged:
    agreements: dict[int, Record]
    sectors: dict[int, Record]
    next_id: int
    renumbered: list[tuple[int, int]] = field(default_factory=list)
    """(the id both sides gave, the id the later-created one has now)."""
    conflicts: list[tuple[int, str]] = field(default_factory=list)
    """(agreement id, field) of every new conflict."""


def merge(base: Side, ours: Side, theirs: Side) -> Merged:
    """The three versions as one, with the conflicts left on their records."""
    merged = Merged({}, _merged_sectors(base, ours, theirs), max(ours.next_id, theirs.next_id))
    added_by_them: list[tuple[int, Record]] = []
    for number in sorted(
        base.agreements.keys() | ours.agreements.keys() | theirs.agreements.keys()
    ):
        before = base.agreements.get(number)
        mine, yours = ours.agreements.get(number), theirs.agreements.get(number)
        if before is None:
            if mine is not None and yours is not None and mine != yours:
                if yours["created_at"] < mine["created_at"]:
                    mine, yours = yours, mine
                added_by_them.append((number, yours))
            kept = mine if mine is not None else yours
            assert kept is not None
            merged.agreements[number] = kept
            continue
        record = _merged_record(number, before, mine, yours, merged)
        if record is not None:
            merged.agreements[number] = record
    free = max([merged.next_id, *(number + 1 for number in merged.agreements)])
    for number, record in added_by_them:
        merged.agreements[free] = record
        merged.renumbered.append((number, free))
        free += 1
    merged.next_id = free
    return merged


def _merged_record(
    number: int, base: Record, ours: Record | None, theirs: Record | None, merged: Merged
) -> Record | None:
    if ours is None or theirs is None:
        kept = ours if theirs is None else theirs
        if kept is None or kept == base:
            return None  # removed on both sides, or removed on one and left alone on the other
        removed_by = "ours" if ours is None else "theirs"
        sides = {"ours": "changed", "theirs": "changed", removed_by: "removed"}
        conflict = {"field": RECORD, "base": "present", **sides}
        merged.conflicts.append((number, RECORD))
        return {**kept, "conflicts": [*kept["conflicts"], conflict]}
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    record: Record = {}
    conflicts = _merged_items(base["conflicts"], ours["conflicts"], theirs["conflicts"])
    for name in ours:
        if name == "conflicts":
            continue
        before, mine, yours = base.get(name), ours[name], theirs.get(name)
        if mine == yours or yours == before:
            record[name] = mine
        elif mine == before:
            record[name] = yours
        elif name in _LATEST_WINS:
            record[name] = max(mine, yours)
        elif name in _MERGED_BY_ITEM:
            record[name] = _merged_items(before or [], mine, yours or [])
        else:
            record[name] = mine
            conflicts.append(
                {"field": name, "ours": _json(mine), "theirs": _json(yours), "base": _json(before)}
            )
            merged.conflicts.append((number, name))
    record["conflicts"] = conflicts
    return record


def _merged_items(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Ours, less what their side removed, and then what their side added, in their order."""
    removed = [item for item in base if item not in theirs]
    kept = [item for item in ours if item not in removed]
    return kept + [item for item in theirs if item not in base and item not in kept]


def _merged_sectors(base: Side, ours: Side, theirs: Side) -> dict[int, Record]:
    """Our own sectors, and those their side added under names we do not have."""
    sectors = dict(ours.sectors)
    names = {term["name"] for term in sectors.values()}
    removed_by_them = {term["name"] for term in base.sectors.values()} - {
        term["name"] for term in theirs.sectors.values()
    }
    sectors = {key: term for key, term in sectors.items() if term["name"] not in removed_by_them}
    free = max([0, *ours.sectors, *theirs.sectors]) + 1
    base_names = {term["name"] for term in base.sectors.values()}
    for term in theirs.sectors.values():
        if term["name"] not in names and term["name"] not in base_names:
            sectors[free] = term
            free += 1
    return sectors


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
