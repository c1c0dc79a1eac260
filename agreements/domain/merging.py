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

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from agreements.domain.records import stored_date
from agreements.errors import InvalidInput

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
    """The three versions as one, with the conflicts left on their records.

    Versions of one agreement are paired by its uid, whatever id each side gives it (an
    earlier merge may have renumbered it); agreements from before uids, by their id.
    """
    merged = Merged({}, {}, max(ours.next_id, theirs.next_id))
    sides = [_by_identity(side.agreements) for side in (base, ours, theirs)]
    identities = list(dict.fromkeys(key for side in sides for key in side))
    wanted: list[tuple[int, tuple[str, bytes], Record, list[str]]] = []
    for identity in identities:
        at_base, at_ours, at_theirs = (side.get(identity) for side in sides)
        record, fields = _merged_agreement(at_base, at_ours, at_theirs)
        if record is not None:
            number = _merged_id(at_base, at_ours, at_theirs)
            wanted.append((number, _creation(record), record, fields))
    free = max([merged.next_id, *(want[0] + 1 for want in wanted)])
    for number, _, record, fields in sorted(wanted, key=lambda want: want[:2]):
        placed = number
        if placed in merged.agreements:  # both sides gave it out: the later made moves on
            placed, free = free, free + 1
            merged.renumbered.append((number, placed))
        merged.agreements[placed] = record
        merged.conflicts += [(placed, field) for field in fields]
    merged.agreements = dict(sorted(merged.agreements.items()))
    merged.next_id = max([free, *(number + 1 for number in merged.agreements)])
    merged.sectors = _merged_sectors(base, ours, theirs, merged)
    return merged


Placed = tuple[int, Record]
"""An agreement's id on one side, and its record there."""


def _by_identity(agreements: Mapping[int, Record]) -> dict[Any, Placed]:
    """The agreements of one side by their uid; by their id those without one, or with a
    uid another of them has too (a copy made by hand), so that none is lost."""
    uids = Counter(record.get("uid") for record in agreements.values())
    keyed: dict[Any, Placed] = {}
    for number, record in agreements.items():
        uid = record.get("uid")
        keyed[uid if uid and uids[uid] == 1 else ("id", number)] = (number, record)
    return keyed


def _merged_id(base: Placed | None, ours: Placed | None, theirs: Placed | None) -> int:
    """Where the merged agreement goes: the id both sides give it, else the one a side
    moved it to (an earlier merge renumbered it there), else the lower."""
    ids = [placed[0] for placed in (ours, theirs) if placed is not None]
    if len(ids) == 1 or ids[0] == ids[1]:
        return ids[0]
    if base is not None and base[0] in ids:
        return ids[1] if ids[0] == base[0] else ids[0]
    return min(ids)


def _merged_agreement(
    base: Placed | None, ours: Placed | None, theirs: Placed | None
) -> tuple[Record | None, list[str]]:
    """The agreement merged, and the fields left in conflict; None when it is removed."""
    from agreements.domain.strict_records import from_stored

    mine = None if ours is None else ours[1]
    yours = None if theirs is None else theirs[1]
    if base is None:  # new: on one side, or the same agreement on both
        before: Record = dict.fromkeys(mine or yours or {})
        before["conflicts"] = []
    else:
        before = base[1]
    fields: list[str] = []
    record = _merged_record(before, mine, yours, fields)
    if record is None:
        return None, []
    try:
        from_stored(record, "the merged agreement")
    except InvalidInput:  # each side is sound, the two together not: ours, theirs beside
        return _kept_whole(before, mine, yours)
    return record, fields


def _kept_whole(
    base: Record, ours: Record | None, theirs: Record | None
) -> tuple[Record, list[str]]:
    """Our version as it is (theirs if we removed it), with a conflict for every field the
    other side changed: merged field by field, the two would not make a sound agreement."""
    kept = ours if ours is not None else theirs
    other = theirs if ours is not None else None
    assert kept is not None
    changed = [
        name
        for name in kept
        if name not in ("conflicts", "updated_at")
        and other is not None
        and other.get(name) not in (base.get(name), kept[name])
    ]
    conflicts = [
        {
            "field": name,
            "ours": _json(kept[name]),
            "theirs": _json(other[name] if other is not None else None),
            "base": _json(base.get(name)),
        }
        for name in changed
    ]
    return {**kept, "conflicts": [*kept["conflicts"], *conflicts]}, changed


def _creation(record: Record) -> tuple[str, bytes]:
    return record["created_at"], orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def _merged_record(
    base: Record, ours: Record | None, theirs: Record | None, fields: list[str]
) -> Record | None:
    """One agreement merged field by field; the fields left in conflict go to `fields`."""
    if ours is None or theirs is None:
        kept = ours if theirs is None else theirs
        if kept is None or kept == base:
            return None  # removed on both sides, or removed on one and left alone on the other
        if base.get("created_at") is None:
            return kept  # added on one side only
        removed_by = "ours" if ours is None else "theirs"
        sides = {"ours": "changed", "theirs": "changed", removed_by: "removed"}
        fields.append(RECORD)
        conflict = {"field": RECORD, "base": "present", **sides}
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
        fields.append(name)
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
