"""`history`, `undo` and the history part of `show`: operations, field by field."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson

from agreements.domain.schema import BY_NAME, FIELD_NAMES, Kind
from agreements.domain.text import printable
from agreements.render.relative import local_moment

if TYPE_CHECKING:
    from agreements.store.history import DocumentChange, Operation
    from agreements.store.history_reader import Ledger


def describe(value: Any) -> str:
    """A value as people read it, whatever its shape: texts quoted, missing as —, never JSON."""
    if value is None or value == [] or value == "" or value == {}:
        return "—"
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{key} {_bare(item)}" for key, item in value.items() if item)
    if isinstance(value, list):
        return "; ".join(_bare(item) for item in value)
    return str(value)


def _bare(value: Any) -> str:
    return value if isinstance(value, str) else describe(value)


def _quoted(text: str) -> str:
    return '"' + text.replace("\n", " ¶ ") + '"'


def operation_heading(operation: Operation, ledger: Ledger) -> str:
    heading = f"#{operation.number}  {local_moment(operation.time)}  {operation.command}"
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
        lines.append(f"… and {len(shown) - limit:,} more (see 'agreements history --format json')")
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
        for line in field_change_lines(name, before.get(name), after.get(name))
    ]
    heading = f"changed {label} ({_title(after)})"
    if len(fields) == 1:
        return f"{heading}: {fields[0]}"
    return "\n  ".join([f"{heading}:", *fields])


def field_change_lines(name: str, before: Any, after: Any) -> list[str]:
    """One field's change as people read it: `place: "A" → "B"`, a date written out,
    and a list as its items, or as what was added (+) and removed (−) when it is long."""
    field = BY_NAME.get(name)
    kind = field.kind if field is not None else None
    lists = isinstance(before or [], list) and isinstance(after or [], list)
    if kind in (Kind.ITEMS, Kind.TEXTS) and lists:
        return _list_change(name, before or [], after or [])
    if kind is Kind.DATE:
        return [f"{name}: {_date(before)} → {_date(after)}"]
    if kind in (Kind.TEXT, Kind.TITLE) and isinstance(before, str) and isinstance(after, str):
        before, after = _text_difference(before, after)
        return [f"{name}: {before} → {after}"]
    if kind in (Kind.CHOICE, Kind.STATUS, Kind.PERIOD, Kind.COUNTRY):
        return [f"{name}: {_word(before)} → {_word(after)}"]
    return [f"{name}: {describe(before)} → {describe(after)}"]


_SHORT = 60
"""A list change longer than this is shown as the items added and removed."""
_CONTEXT_WORDS = 3


def _list_change(name: str, before: list[Any], after: list[Any]) -> list[str]:
    gone, new = _list_difference(before, after), _list_difference(after, before)
    if name == "activities" and (gone or new):
        return [f"removed activity: {_activity(a)}" for a in gone] + [
            f"added activity: {_activity(a)}" for a in new
        ]
    item = _ITEM_TEXTS.get(name, describe)
    separator = ", " if name in ("sectors", "tags") else "; "
    whole = [separator.join(item(value) for value in side) or "—" for side in (before, after)]
    line = f"{name}: {whole[0]} → {whole[1]}"
    if len(line) <= _SHORT or not (gone or new):
        return [line]
    return [f"{name}: − {item(value)}" for value in gone] + [
        f"{name}: + {item(value)}" for value in new
    ]


def _text_difference(before: str, after: str) -> tuple[str, str]:
    """Two texts quoted; when they are long, only the words that differ, with a few words
    of context either side, so that two long texts never look the same."""
    if len(before) + len(after) <= _SHORT:
        return _quoted(before), _quoted(after)
    old, new = before.split(" "), after.split(" ")
    common = 0
    while common < min(len(old), len(new)) and old[common] == new[common]:
        common += 1
    tail = 0
    while tail < min(len(old), len(new)) - common and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    start = max(0, common - _CONTEXT_WORDS)
    sides = []
    for words in (old, new):
        end = len(words) - max(0, tail - _CONTEXT_WORDS)
        middle = " ".join(words[start:end])
        lead = "…" if start > 0 else ""
        trail = "…" if end < len(words) else ""
        sides.append("—" if not "".join(words) else _quoted(lead + middle + trail))
    return sides[0], sides[1]


def _date(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        from agreements.domain.dates import parse_iso
        from agreements.errors import InvalidInput

        try:
            return parse_iso(value).readable()
        except InvalidInput:
            return _quoted(value)
    return describe(value)


def _on(value: Any) -> str:
    """A date after a verb: "on 2 May 2021", "in July 2026"; "on" whatever else it is."""
    if isinstance(value, str):
        from agreements.domain.dates import parse_iso
        from agreements.errors import InvalidInput

        with contextlib.suppress(InvalidInput):
            return parse_iso(value).prepositional()
    return f"on {_date(value)}"


def _word(value: Any) -> str:
    return value if isinstance(value, str) and value else describe(value)


def _party(party: Any) -> str:
    if not isinstance(party, dict):
        return describe(party)
    from agreements.domain.countries import country_name

    parts = [str(party.get("name") or "?")]
    if party.get("parent"):
        parts.append(str(party["parent"]))
    if party.get("region"):
        parts.append(str(party["region"]))
    if party.get("country"):
        parts.append(country_name(str(party["country"])))
    elif party.get("country_as_given"):
        parts.append(f"{party['country_as_given']} (not recognised)")
    if party.get("country_at_signing"):
        parts.append(f"then {country_name(str(party['country_at_signing']))}")
    text = ", ".join(parts)
    level = party.get("level")
    return f"{text} ({level})" if level and level != "city" else text


def _signatory(signatory: Any) -> str:
    if not isinstance(signatory, dict):
        return describe(signatory)
    details = [str(signatory[key]) for key in ("title", "party") if signatory.get(key)]
    name = str(signatory.get("name") or "?")
    return f"{name} ({', '.join(details)})" if details else name


def _sector(sector: Any) -> str:
    if not isinstance(sector, dict):
        return _bare(sector)
    name = str(sector.get("name") or "?")
    return f"{name} (possible)" if sector.get("certainty") == "possible" else name


def _contact(contact: Any) -> str:
    if not isinstance(contact, dict):
        return describe(contact)
    details = [str(contact[key]) for key in ("role", "party") if contact.get(key)]
    text = str(contact.get("name") or "?") + (f" ({', '.join(details)})" if details else "")
    reach = [str(contact[key]) for key in ("phone", "email") if contact.get(key)]
    return " · ".join([text, *reach])


def _source(source: Any) -> str:
    if not isinstance(source, dict):
        return describe(source)
    parts = [str(source.get("url") or "?")]
    if source.get("title"):
        parts.append(_quoted(str(source["title"])))
    if source.get("published_on"):
        parts.append(_date(source["published_on"]))
    return " · ".join(parts)


_ITEM_TEXTS = {
    "parties": _party,
    "signatories": _signatory,
    "sectors": _sector,
    "contacts": _contact,
    "sources": _source,
    "tags": _bare,
}


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
    summary = describe(activity.get("summary"))
    text = f"{activity.get('kind')} {_on(activity.get('on'))}: {summary}"
    if activity.get("follow_up_on"):
        text += f" (follow-up {_date(activity.get('follow_up_on'))})"
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


def for_people(lines: Sequence[str], width: int | None = None) -> str:
    """Lines for a person: each wrapped at a word to `width` terminal cells (when given),
    its continuation indented deeper, never cut."""
    if width is None:
        return "\n".join(lines)
    return "\n".join(  # escaped first: an escape is wider than what it stands for
        wrapped
        for line in lines
        for row in printable(line).split("\n")
        for wrapped in _wrap(row, width)
    )


def _wrap(line: str, width: int) -> list[str]:
    import re

    from rich.cells import cell_len

    if cell_len(line) <= width:
        return [line]
    body = line.lstrip(" ")
    indent = " " * min(len(line) - len(body) + 6, width // 2)
    rows: list[str] = []
    row = line[: len(line) - len(body)]
    for space, word in re.findall(r"(\s*)(\S+)", body):
        gap = space.replace("\t", " ")
        if cell_len(row + gap + word) <= width:
            row += gap + word
            continue
        if row.strip():
            rows.append(row)
            row = indent
        while word and cell_len(row + word) > width:  # a word wider than the line: split it
            room = max(1, width - cell_len(row))
            cut = 1
            while cut < len(word) and cell_len(word[: cut + 1]) <= room:
                cut += 1
            rows.append(row + word[:cut])
            row, word = indent, word[cut:]
        row += word
    if row.strip():
        rows.append(row)
    return rows
