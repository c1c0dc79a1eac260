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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from agreements.domain.records import stored_date

Record = dict[str, Any]

RECORD = "record"
"""The conflict's field when one side removed an agreement the other side changed."""
_ITEM_KEYS: dict[str, Callable[[Any], Any]] = {
    "sectors": lambda sector: sector["name"],
    "tags": lambda tag: tag,
    "activities": lambda activity: (activity["on"], activity["kind"]),
    "contacts": lambda contact: contact["name"],
    "signatories": lambda signatory: signatory["name"],
    "sources": lambda source: source["url"],
}
"""What makes an item of a list field itself, whatever else of it either side changed."""
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
    """(the id an agreement had on its side, the id it has now)."""
    conflicts: list[tuple[int, str]] = field(default_factory=list)
    """(agreement id, field) of every new conflict."""
    notes: list[str] = field(default_factory=list)
    """What else the merge had to decide, to be said."""


def merge(base: Side, ours: Side, theirs: Side) -> Merged:
    """The three versions as one, with the conflicts left on their records."""
    merged = Merged({}, {}, max(ours.next_id, theirs.next_id))
    before, mine, yours = dict(base.agreements), dict(ours.agreements), dict(theirs.agreements)
    displaced = _follow_moves(before, mine, yours) + _follow_moves(before, yours, mine)
    for number in sorted(before.keys() | mine.keys() | yours.keys()):
        at_base, at_ours, at_theirs = before.get(number), mine.get(number), yours.get(number)
        if at_base is None:
            if at_ours is not None and at_theirs is not None and at_ours != at_theirs:
                later = max(at_ours, at_theirs, key=_creation)  # the same choice in every clone
                displaced.append((number, later))
                at_ours = at_theirs = min(at_ours, at_theirs, key=_creation)
            kept = at_ours if at_ours is not None else at_theirs
            assert kept is not None
            merged.agreements[number] = kept
            continue
        if at_ours is not None and not _same_agreement(at_base, at_ours):
            displaced.append((number, at_ours))  # another agreement under the old id
            at_ours = None
        if at_theirs is not None and not _same_agreement(at_base, at_theirs):
            displaced.append((number, at_theirs))
            at_theirs = None
        record = _merged_record(number, at_base, at_ours, at_theirs, merged)
        if record is not None:
            merged.agreements[number] = record
    free = max([merged.next_id, *(number + 1 for number in merged.agreements)])
    for number, record in displaced:
        if number not in merged.agreements:
            merged.agreements[number] = record
            continue
        merged.agreements[free] = record
        merged.renumbered.append((number, free))
        free += 1
    merged.next_id = max([free, *(number + 1 for number in merged.agreements)])
    merged.sectors = _merged_sectors(base, ours, theirs, merged)
    return merged


def _follow_moves(
    base: dict[int, Record], mover: dict[int, Record], other: dict[int, Record]
) -> list[tuple[int, Record]]:
    """Where `mover` gave an agreement of the base another id (an earlier merge renumbered
    it), the base and the other side follow, so that both sides' changes meet; what the
    other side had added under that id is handed back, to be given a free one."""
    displaced = []
    for number, record in sorted(base.items()):
        moved = mover.get(number)
        if moved is None or _same_agreement(record, moved):
            continue
        found = [
            elsewhere
            for elsewhere, candidate in mover.items()
            if elsewhere not in base and _same_agreement(record, candidate)
        ]
        if len(found) != 1:
            continue
        target = found[0]
        base[target] = base.pop(number)
        if target in other:
            displaced.append((target, other.pop(target)))
        if number in other:
            other[target] = other.pop(number)
    return displaced


def _same_agreement(first: Record, second: Record) -> bool:
    """Whether two versions are of one agreement: made at the same moment (an import makes
    many at once), under the same title or with a party in common (an edit of the parties
    changes a title made of their names, but rarely all of them)."""
    return first["created_at"] == second["created_at"] and (
        first["title"] == second["title"] or not _names(first).isdisjoint(_names(second))
    )


def _names(record: Record) -> set[Any]:
    return {party.get("name") for party in record["parties"]}


def _creation(record: Record) -> tuple[str, bytes]:
    return record["created_at"], orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


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
            continue
        if mine == before:
            record[name] = yours
            continue
        if name in _LATEST_WINS:
            record[name] = max(mine, yours)
            continue
        if name in _ITEM_KEYS:
            items = _merged_list(name, before or [], mine, yours or [])
            if items is not None:
                record[name] = items
                continue
        record[name] = mine
        conflicts.append(
            {"field": name, "ours": _json(mine), "theirs": _json(yours), "base": _json(before)}
        )
        merged.conflicts.append((number, name))
    record["conflicts"] = conflicts
    return record


def _merged_list(
    name: str, base: list[Any], ours: list[Any], theirs: list[Any]
) -> list[Any] | None:
    """The list both sides changed, item by item (items known by `_ITEM_KEYS`); None when
    one item was changed differently on both sides, or removed on one and changed on the
    other: a conflict of the whole field."""
    key = _ITEM_KEYS[name]
    sides = [{key(item): item for item in items} for items in (base, ours, theirs)]
    if any(
        len(keyed) != len(items) for keyed, items in zip(sides, (base, ours, theirs), strict=True)
    ):
        return None  # two items one side cannot tell apart: no way to pair them up
    before, mine, yours = sides
    merged = []
    for item_key in [*mine, *(item_key for item_key in yours if item_key not in mine)]:
        at_base, at_ours, at_theirs = before.get(item_key), mine.get(item_key), yours.get(item_key)
        if at_ours == at_theirs or at_theirs == at_base:
            kept = at_ours
        elif at_ours == at_base:
            kept = at_theirs
        else:
            return None
        if kept is not None:
            merged.append(kept)
    if name == "activities":
        merged.sort(key=_activity_order)
    return merged


def _activity_order(activity: Record) -> tuple[int, bool, bool]:
    """`activities.activity_sort_key` of a stored activity."""
    on = stored_date(activity["on"])
    assert on is not None
    return on.first_day().toordinal(), on.month is not None, on.day is not None


def _merged_items(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Ours, less what their side removed, and then what their side added, in their order."""
    removed = [item for item in base if item not in theirs]
    kept = [item for item in ours if item not in removed]
    return kept + [item for item in theirs if item not in base and item not in kept]


def _merged_sectors(base: Side, ours: Side, theirs: Side, merged: Merged) -> dict[int, Record]:
    """Our own sectors, less those their side removed that no merged agreement uses, and
    those their side added; a synonym of theirs that already means another sector is left
    out of the vocabulary (the agreements keep their sectors) and said so."""
    from agreements.domain.text import fold
    from agreements.domain.vocabulary import shipped_vocabulary

    used = {sector["name"] for record in merged.agreements.values() for sector in record["sectors"]}
    theirs_names = {term["name"] for term in theirs.sectors.values()}
    removed_by_them = {term["name"] for term in base.sectors.values()} - theirs_names
    sectors = {
        key: term
        for key, term in ours.sectors.items()
        if term["name"] not in removed_by_them or term["name"] in used
    }
    taken = {
        fold(spelling)
        for term in (*shipped_vocabulary().terms,)
        for spelling in (term.name, *term.synonyms)
    }
    taken |= {
        fold(spelling)
        for term in sectors.values()
        for spelling in (term["name"], *term.get("synonyms", ()))
    }
    free = max([0, *ours.sectors, *theirs.sectors]) + 1
    ours_names = {term["name"] for term in ours.sectors.values()}
    removed_by_us = {term["name"] for term in base.sectors.values()} - ours_names
    for term in theirs.sectors.values():
        name = term["name"]
        if name in ours_names or (name in removed_by_us and name not in used):
            continue
        if fold(name) in taken:
            merged.notes.append(f"their sector {name!r} is already a name or synonym here")
            continue
        synonyms = [
            spelling for spelling in term.get("synonyms", ()) if fold(spelling) not in taken
        ]
        for dropped in set(term.get("synonyms", ())) - set(synonyms):
            merged.notes.append(
                f"their synonym {dropped!r} of {name!r} already means another sector"
            )
        sectors[free] = {**term, "synonyms": synonyms} if "synonyms" in term else term
        taken |= {fold(spelling) for spelling in (name, *synonyms)}
        free += 1
    return sectors


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
