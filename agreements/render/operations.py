"""`history`, `undo` and the history part of `show`: operations, field by field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson

from agreements.domain.schema import FIELD_NAMES
from agreements.domain.text import printable

if TYPE_CHECKING:
    from agreements.store.history import DocumentChange, Operation
    from agreements.store.history_reader import Ledger


def describe(value: Any) -> str:
    """A field value in a change report: texts quoted, lists compact, missing as —."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, str):
        return repr(value)
    return orjson.dumps(value).decode()


def operation_heading(operation: Operation, ledger: Ledger) -> str:
    heading = f"#{operation.number}  {operation.time}  {operation.command}"
    if operation.undoes is not None:
        heading += f"  (undid #{operation.undoes})"
    if operation.number in ledger.not_applied:
        heading += "  [not applied: the register does not hold its result]"
    elif operation.number in ledger.undone:
        heading += f"  [undone by #{ledger.undone[operation.number]}]"
    return printable(heading)


def operation_lines(operation: Operation, limit: int | None = None) -> list[str]:
    """What an operation did, document by document; an upgrade of the file in one line."""
    if operation.upgrade_to is not None:
        count = sum(1 for change in operation.changes if change.table == "agreements")
        return [
            f"upgraded the register file to schema {operation.upgrade_to} "
            f"({count} agreement{'' if count == 1 else 's'} rewritten, no value changed)"
        ]
    return change_lines(operation.changes, limit)


def change_lines(changes: Sequence[DocumentChange], limit: int | None = None) -> list[str]:
    """What each changed document went through, field by field; bookkeeping left out."""
    shown = [change for change in changes if change.table != "meta"]
    lines = [printable(_change_text(change)) for change in shown[:limit]]
    if limit is not None and len(shown) > limit:
        lines.append(f"… and {len(shown) - limit:,} more (see --format json)")
    return lines


def _change_text(change: DocumentChange) -> str:
    before, after = change.before, change.after
    if change.table == "sectors":
        name = (after or before or {}).get("name")
        verb = "added" if before is None else "removed" if after is None else "changed"
        return f"{verb} the sector {name!r}"
    label = f"agreement {change.id}"
    if before is None or after is None:
        verb, record = ("added", after) if before is None else ("removed", before)
        return f"{verb} {label}: {_title(record or {})}"
    fields = [
        line
        for name in sorted(before.keys() | after.keys(), key=_field_order)
        if name != "updated_at" and before.get(name) != after.get(name)
        for line in _field_change(name, before.get(name), after.get(name))
    ]
    heading = f"changed {label} ({_title(after)})"
    if len(fields) == 1:
        return f"{heading}: {fields[0]}"
    return "\n  ".join([f"{heading}:", *fields])


def _field_change(name: str, before: Any, after: Any) -> list[str]:
    if name == "activities" and isinstance(before, list) and isinstance(after, list):
        gone, new = _list_difference(before, after), _list_difference(after, before)
        if gone or new:
            return [f"removed activity: {_activity(a)}" for a in gone] + [
                f"added activity: {_activity(a)}" for a in new
            ]
    return [f"{name}: {describe(before)} → {describe(after)}"]


def _list_difference(items: list[Any], others: list[Any]) -> list[Any]:
    """The items of `items` that `others` lacks, counting repeats."""
    left = [orjson.dumps(item, option=orjson.OPT_SORT_KEYS) for item in others]
    missing = []
    for item in items:
        encoded = orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
        if encoded in left:
            left.remove(encoded)
        else:
            missing.append(item)
    return missing


def _activity(activity: Any) -> str:
    if not isinstance(activity, dict):
        return describe(activity)
    text = f"{activity.get('kind')} on {activity.get('on')}: {describe(activity.get('summary'))}"
    if activity.get("follow_up_on"):
        text += f" (follow-up {activity.get('follow_up_on')})"
    return text


def _title(record: dict[str, Any]) -> str:
    title = record.get("title")
    if isinstance(title, str) and title:
        return title
    parties = record.get("parties")
    names = (
        [p.get("name") for p in parties if isinstance(p, dict)] if isinstance(parties, list) else []
    )
    return " – ".join(str(name) for name in names) or "(untitled)"


def _field_order(name: str) -> tuple[int, str]:
    return (FIELD_NAMES.index(name), name) if name in FIELD_NAMES else (len(FIELD_NAMES), name)


def operations_data(operations: Sequence[Operation], ledger: Ledger) -> list[object]:
    undone = ledger.undone
    return [
        {
            "op": operation.number,
            "time": operation.time,
            "command": operation.command,
            "undoes": operation.undoes,
            "undone_by": undone.get(operation.number),
            "applied": operation.number not in ledger.not_applied,
            "changes": [
                {"table": c.table, "id": c.id, "before": c.before, "after": c.after}
                for c in operation.changes
            ],
        }
        for operation in operations
    ]
