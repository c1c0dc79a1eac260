"""Which party is which: the identity of a party, namesakes, and how other parts of a
record (signatories, contacts, activities) refer to one of its parties.

A party is its name together with its parent and its country, compared without case or
accents: Boston in England and Boston in the United States are two parties, and so are
two villages of one name in two regions of one country. Duplicate detection, `add`'s
check for namesakes, and the references below all ask this module.

Two questions are asked of it, and answered a little differently on purpose. Whether two
rows are one agreement (`places`, `parents_agree`) compares countries strictly, since a
list's country column is the part it fills most reliably, and lets a parent that one
row leaves out agree with any. Whether two parties a person typed may be one place
(`may_be_the_same`) also lets a missing country agree with any: `add` would rather ask
once too often.

A signatory, contact or activity names its party by the party's name; when two parties
of the agreement share that name, by the name and what tells them apart, written as
`--party` takes it: "Boston, US", "Boston, Lincolnshire" or "Boston, Lincolnshire, GB".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from agreements.domain.text import fold

if TYPE_CHECKING:
    from agreements.domain.model import Party

Identity = tuple[str, str, str]
"""(name, parent, country) of a party, folded. Parties of different identities may still
be one place where a list leaves the parent out: see `parents_agree`."""


def _identity(name: str, parent: str | None, country: str) -> Identity:
    return fold(name), fold(parent) if parent else "", country


def _country_key(
    country: str | None, country_at_signing: str | None, country_as_given: str | None
) -> str:
    """The country a party is told apart by: today's, else the former one, else the
    name an import could not resolve."""
    return country or country_at_signing or (fold(country_as_given) if country_as_given else "")


def party_identity(party: Party) -> Identity:
    country = _country_key(party.country, party.country_at_signing, party.country_as_given)
    return _identity(party.name, party.parent, country)


def stored_party_identity(party: Mapping[str, Any]) -> Identity:
    """The identity of a party of a stored record (a file of any schema)."""
    country = _country_key(
        party.get("country"), party.get("country_at_signing"), party.get("country_as_given")
    )
    return _identity(party["name"], party.get("parent"), country)


Place = tuple[str, str, str]
"""A party's name, country and other names (folded, joined): what duplicates share."""
Places = tuple[Place, ...]
"""The places of the parties of an agreement, sorted."""
Parents = tuple[str, ...]
"""The parents of the same parties, in the same order; "" where a list gives none."""


def _names_key(names: Sequence[str]) -> str:
    return "|".join(sorted(fold(name) for name in names))


def _places(identities: list[tuple[Identity, str]]) -> tuple[Places, Parents]:
    ordered = sorted(
        ((name, country, names), parent) for (name, parent, country), names in identities
    )
    return tuple(place for place, _ in ordered), tuple(parent for _, parent in ordered)


def places(parties: Sequence[Party]) -> tuple[Places, Parents]:
    """The parties of an agreement as duplicate detection compares them: their names,
    countries and other names, and apart from those their parents, which a list may
    leave out. Other names must be equal: they come of reading "Name (Qualifier)", and
    how a qualifier is read (`--parenthesis`) should not change which rows are one."""
    return _places(
        [(party_identity(p), _names_key(p.other_names) if p.other_names else "") for p in parties]
    )


def stored_places(parties: Sequence[Mapping[str, Any]]) -> tuple[Places, Parents]:
    return _places(
        [(stored_party_identity(p), _names_key(p.get("other_names") or ())) for p in parties]
    )


def parents_agree(one: Parents, other: Parents) -> bool:
    """Whether the parents of parties with the same places allow them to be the same:
    equal, or unknown on one side (a list gives the parent of its own towns only, so a
    pair listed from both sides has one parent on each side)."""
    return all(a == b or not a or not b for a, b in zip(one, other, strict=True))


def may_be_the_same(one: Party, other: Party) -> bool:
    """Whether two parties may be one place: the same name, and parents, countries and
    other names that differ only where one of them is unknown. `add` warns of such
    repeats."""
    return (
        fold(one.name) == fold(other.name)
        and all(
            a is None or b is None or fold(a) == fold(b)
            for a, b in ((one.parent, other.parent), (one.country, other.country))
        )
        and not (
            one.other_names
            and other.other_names
            and _names_key(one.other_names) != _names_key(other.other_names)
        )
    )


def namesakes_not_told_apart(parties: Sequence[Party]) -> list[tuple[Party, Party]]:
    """Pairs of parties of one name that nothing tells apart (see `may_be_the_same`): a
    list may hold two villages of one name in one country, and a person may have typed
    one party twice. `add` asks which it is; `import` keeps them and reports them."""
    pairs = []
    for index, party in enumerate(parties):
        pairs += [(other, party) for other in parties[:index] if may_be_the_same(other, party)]
    return pairs


def _references(party: Party) -> list[str]:
    """The ways to name a party, shortest first: its name, and its name with its
    country, its parent, or both."""
    country = party.country or party.country_at_signing
    texts = [party.name]
    if country:
        texts.append(f"{party.name}, {country}")
    if party.parent:
        texts.append(f"{party.name}, {party.parent}")
        if country:
            texts.append(f"{party.name}, {party.parent}, {country}")
    return texts


def reference_forms(party: Party) -> set[str]:
    """Every way a reference may name the party, folded."""
    return {fold(text) for text in _references(party)}


def referred(text: str, parties: Sequence[Party]) -> list[int]:
    """The positions of the parties a reference may mean."""
    key = fold(text)
    return [index for index, party in enumerate(parties) if key in reference_forms(party)]


def reference(party: Party, parties: Sequence[Party]) -> str:
    """The shortest way to name `party` that no other of `parties` shares."""
    for candidate in _references(party):
        if len(referred(candidate, parties)) == 1:
            return candidate
    return party.name
