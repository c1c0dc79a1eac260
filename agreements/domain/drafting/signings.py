"""Where an announcement says an agreement was (or will be) signed, what kind of
agreement each mention names, and which mentions are one agreement."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from agreements.domain.drafting.evidence import Evidence, Sentence
from agreements.domain.values import AgreementType


class Tense(StrEnum):
    DONE = "done"  # signed, inks, became twin cities
    PLANNED = "planned"  # will sign, is due to sign, looking forward to signing
    MENTIONED = "mentioned"  # the signing ceremony, the signatories of the MoU


_PAST = (
    r"signed|inked|sealed|concluded|formali[sz]ed|forged|initial(?:l)?ed|put\s+pen\s+to\s+paper|"
    r"entered\s+into|renewed|extended|established|became|have\s+become|has\s+become|twinned|"
    r"agreed\s+to\s+(?:become|establish|form)|officially\s+became|penned|subscribed|"
    r"(?:was|were)\s+exchanged"
)
_PRESENT = r"signs?|inks?|seals?|forges?|becomes?|establish(?:es)?|renews?|pens"
_FUTURE = (
    r"will\s+(?:\w+\s+)?(?:sign|ink|seal|formali[sz]e|establish|become|renew|be\s+signed)|"
    r"(?:is|are|was|were)\s+(?:due|expected|set|scheduled|planned|going|poised|slated|"
    r"preparing|about)\s+to\s+(?:\w+\s+)?(?:sign|ink|seal|formali[sz]e|establish|become|"
    r"be\s+signed)|"
    r"(?:plans?|planning|intends?|intending|hopes?|hoping|aims?|aiming)\s+to\s+(?:\w+\s+)?"
    r"(?:sign|ink|seal|formali[sz]e|establish|become)|"
    r"to\s+be\s+signed|looking\s+forward\s+to\s+signing|would\s+(?:\w+\s+)?sign|"
    r"authori[sz]\w*\s+(?:the\s+)?(?:\w+\s+){0,3}to\s+sign|"
    r"(?:duties|task|job)\s+of\s+[\w\s-]{0,40}?\s+will\s+be\s+to\s+sign"
)
_MENTION = r"signing\s+ceremony|signatories\s+(?:of|to)|signatories\s+(?:include|included|were)"
_VERB = re.compile(
    rf"(?<![\w-])(?:(?P<future>{_FUTURE})|(?P<past>{_PAST})|(?P<present>{_PRESENT})|(?P<mention>{_MENTION}))(?![\w-])",
    re.I,
)
_NOT_A_SIGNING = re.compile(
    r"(?:\b(?:after|before|since|upon|for|of|the|at|during|when|authori[sz]\w*\s+\w+(?:\s+\w+)?)\s+$)",
    re.I,
)

_SISTER = (
    r"sister[\s-]+(?:city|cities|town|towns|province|provinces|state|states)|sisterhood|"
    r"twinning|twin[\s-]+(?:city|cities|town|towns)|twinned|town\s+twinning|jumelage"
)
_FRIENDSHIP = (
    r"friendship[\s-]+(?:city|cities|town|towns|agreement|pact|relations?|ties|declaration|"
    r"charter|links?)|declaration\s+of\s+friendship|friendly[\s-]+(?:city|cities|relations|"
    r"ties|exchanges?|partnership)"
)
_MEMORANDUM_WORDS = r"memorand(?:um|a)\s+of\s+(?:understanding|agreement|cooperation)|memorandum"
_MEMORANDUM_ACRONYMS = r"\bMoUs?\b|\bMOUs?\b|\bMoA\b|\bMOA\b"
_MEMORANDUM = f"{_MEMORANDUM_WORDS}|{_MEMORANDUM_ACRONYMS}"
_LETTER_WORDS = r"letters?\s+of\s+intent(?:ion)?"
_LETTER = rf"{_LETTER_WORDS}|\bLoI\b|\bLOI\b"
_COOPERATION = (
    r"(?:cooperation|co-operation|collaboration|partnership|strategic\s+partnership|"
    r"cooperative)\s+(?:agreement|accord|pact|deal|protocol|framework|charter)|"
    r"(?:agreement|accord|protocol|charter)\s+(?:on|of|for)\s+(?:\w+\s+)?(?:cooperation|"
    r"co-operation|collaboration)"
)
_GENERIC = r"agreement|accord|pact|deal|charter|protocol|declaration|treaty|partnership|document"
_NOUNS: tuple[tuple[re.Pattern[str], AgreementType | None], ...] = (
    (
        re.compile(
            rf"(?:{_MEMORANDUM}|{_LETTER}|agreement|charter|protocol)\s+(?:on|for|of|"
            rf"establishing|to\s+establish)\s+(?:the\s+)?(?:establishment\s+of\s+)?"
            rf"(?:their\s+|a\s+|the\s+)?(?:official\s+)?(?:{_SISTER})",
            re.I,
        ),
        AgreementType.SISTER_CITY,
    ),
    (
        re.compile(
            rf"(?:{_MEMORANDUM}|{_LETTER}|agreement)\s+(?:on|for|of|establishing)\s+"
            rf"(?:the\s+)?(?:establishment\s+of\s+)?(?:{_FRIENDSHIP})",
            re.I,
        ),
        AgreementType.FRIENDSHIP,
    ),
    (re.compile(_SISTER, re.I), AgreementType.SISTER_CITY),
    (re.compile(_FRIENDSHIP, re.I), AgreementType.FRIENDSHIP),
    (re.compile(r"\bLoI\b|\bLOI\b"), AgreementType.LETTER_OF_INTENT),
    (re.compile(_LETTER_WORDS, re.I), AgreementType.LETTER_OF_INTENT),
    (re.compile(_MEMORANDUM_ACRONYMS), AgreementType.MEMORANDUM),
    (re.compile(_MEMORANDUM_WORDS, re.I), AgreementType.MEMORANDUM),
    (re.compile(_COOPERATION, re.I), AgreementType.COOPERATION),
    (
        re.compile(
            rf"(?:[\w-]{1, 40}\s+)?(?:exchange|sports?|trade|economic|cultural|education|"
            rf"tourism|youth)\s+(?:{_GENERIC})",
            re.I,
        ),
        AgreementType.OTHER,
    ),
    (re.compile(rf"\b(?:{_GENERIC})s?\b", re.I), None),
)
_NEW = re.compile(
    r"\b(?:also|another|second|separate|further|additional|as\s+well|besides)\b", re.I
)
_INDEFINITE = re.compile(r"\b(?:a|an|new)\s+(?:[\w-]{1,40}\s+){0,3}$", re.I)
_BOTH = re.compile(
    r"\b(?:both\s+(?:sides|cities|towns|parties|localities|provinces|regions|municipalities|"
    r"districts|counties)|the\s+two\s+(?:sides|cities|towns|parties|localities|provinces|"
    r"regions|municipalities|capitals|districts|counties|mayors|governors)|"
    r"both\s+(?:of\s+them|mayors|governors))\b",
    re.I,
)
_RENEWAL = re.compile(
    r"\b(?:renew\w*|extend\w*|extension|re-?sign\w*|reaffirm\w*|re-?new\w*)\b", re.I
)


@dataclass(frozen=True)
class Noun:
    type: AgreementType | None
    evidence: Evidence
    start: int
    indefinite: bool
    plural: bool = False
    """ "two agreements", "several MoUs": a summary of signings told one by one."""


@dataclass(frozen=True)
class Signing:
    """A sentence that says an agreement was, or will be, signed."""

    sentence: Sentence
    tense: Tense
    verb: Evidence
    verb_start: int
    verb_end: int
    noun: Noun | None
    new: bool
    """Whether it says this is another agreement ("also signed a sports pact")."""
    both_sides: bool
    """Whether it names the parties only as "both sides" or "the two cities"."""
    renewal: Evidence | None
    history: bool = False
    """Whether it tells of an earlier signing ("then-mayors signed the original charter")."""


_NEGATED = re.compile(
    r"\b(?:no|not|never|neither|nor|without|yet\s+to|n't|none|nothing|refused\s+to|"
    r"declined\s+to|failed\s+to)\b(?![^.;]*\b(?:but|however|instead)\b)[^.;]*$",
    re.I,
)
_HISTORY = re.compile(
    r"\b(?:then-\w+|original|originally|formerly|first\s+(?:twinned|signed|linked)|back\s+in|"
    r"had\s+(?:already\s+|also\s+)?signed|similar\s+agreements?|"
    r"dates?\s+(?:back|from)|previous(?:ly)?|earlier\s+(?:agreement|charter|memorandum))\b",
    re.I,
)


def signing_in(sentence: Sentence) -> Signing | None:
    """The first mention of a signing in a sentence, or None: a verb of signing and a
    noun of an agreement, or a verb such as "forge" with a twinning."""
    text = sentence.text
    nouns = _nouns(sentence)
    if not nouns:
        return _bare_signing(sentence)
    for verb in _VERB.finditer(text):
        kind = verb.lastgroup
        if kind in ("past", "present") and _NOT_A_SIGNING.search(
            text[max(0, verb.start() - 40) : verb.start()]
        ):
            continue
        if (
            kind == "present"
            and not sentence.first_in_paragraph
            and verb.group().lower() == "sign"
            and re.search(r"\bto\s+$", text[max(0, verb.start() - 5) : verb.start()], re.I)
        ):
            continue  # "to sign": "will sign" and "plans to sign" are read above
        if _NEGATED.search(text[max(0, verb.start() - 50) : verb.start()]):
            continue  # "no documents were signed", "did not sign", "has yet to sign"
        tense = {"future": Tense.PLANNED, "mention": Tense.MENTIONED}.get(kind or "", Tense.DONE)
        if tense is Tense.DONE and re.search(
            r"\bto\s+$", text[max(0, verb.start() - 4) : verb.start()], re.I
        ):
            continue
        noun = _noun_for(nouns, verb.end())
        if noun is None:
            continue
        if noun.plural:
            continue  # "signed two agreements this week": the agreements follow one by one
        if _needs_a_twinning(verb.group()) and noun.type not in _TWINNINGS:
            continue
        around = text[max(0, verb.start() - 25) : noun.start + 10]
        renewal = _RENEWAL.search(text)
        return Signing(
            sentence,
            tense,
            sentence.evidence(verb, "a verb of signing"),
            verb.start(),
            verb.end(),
            noun,
            bool(_NEW.search(around)),
            bool(_BOTH.search(text)),
            None if renewal is None else sentence.evidence(renewal, "a word of renewal"),
            bool(_HISTORY.search(text)),
        )
    return _bare_signing(sentence)


_BARE = re.compile(
    r"(?<![\w-])(?:put\s+pen\s+to\s+paper|added\s+(?:his|her|their)\s+signatures?|"
    r"signed\s+on\s+behalf\s+of|signed\s+for\s+(?:the\s+)?[A-Z])",
    re.I,
)


def _bare_signing(sentence: Sentence) -> Signing | None:
    """ "Kalisz's mayor put pen to paper", "X signed on behalf of Y": a signing whose
    agreement the text names elsewhere."""
    verb = _BARE.search(sentence.text)
    if verb is None or _NOT_A_SIGNING.search(
        sentence.text[max(0, verb.start() - 40) : verb.start()]
    ):
        return None
    return Signing(
        sentence,
        Tense.DONE,
        sentence.evidence(verb, "a verb of signing"),
        verb.start(),
        verb.end(),
        None,
        False,
        bool(_BOTH.search(sentence.text)),
        None,
        bool(_HISTORY.search(sentence.text)),
    )


_TWINNINGS = (AgreementType.SISTER_CITY, AgreementType.FRIENDSHIP)


def needs_named_parties(verb: str) -> bool:
    return _needs_a_twinning(verb)


def _needs_a_twinning(verb: str) -> bool:
    """ "established", "became", "extended": verbs of signing only with a twinning."""
    return bool(re.search(r"establish|bec[oa]me|extend", verb, re.I))


def nouns_of(sentence: Sentence) -> list[Noun]:
    """The words for agreements a sentence holds, with the kind each names."""
    return _nouns(sentence)


def _nouns(sentence: Sentence) -> list[Noun]:
    found: list[Noun] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _NOUNS:
        for match in pattern.finditer(sentence.text):
            if any(match.start() < end and match.end() > start for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            before = sentence.text[max(0, match.start() - 30) : match.start()]
            rule = "the agreement's name" if kind else "a word for an agreement"
            found.append(
                Noun(
                    kind,
                    sentence.evidence(match, rule),
                    match.start(),
                    bool(_INDEFINITE.search(before)),
                )
            )
    return sorted(found, key=lambda noun: noun.start)


def _noun_for(nouns: list[Noun], verb_end: int) -> Noun | None:
    """The agreement a verb signs: the first named after it, else the nearest before;
    a kind of agreement before a bare word for one."""
    after = [noun for noun in nouns if noun.start >= verb_end]
    before = [noun for noun in nouns if noun.start < verb_end]
    ordered = after[:2] + before[::-1]
    for noun in ordered:
        if noun.type is not None:
            return noun
    return ordered[0] if ordered else None


@dataclass
class Agreement:
    """The signings of one agreement, in the order of the text."""

    signings: list[Signing] = field(default_factory=list)

    @property
    def type(self) -> AgreementType | None:
        for signing in self.signings:
            if signing.noun is not None and signing.noun.type is not None:
                return signing.noun.type
        return None

    @property
    def planned(self) -> bool:
        return not any(s.tense is Tense.DONE for s in self.signings) and any(
            s.tense is Tense.PLANNED for s in self.signings
        )


def group_signings(signings: list[Signing]) -> list[Agreement]:
    """One agreement per kind the text names, unless it says another one was signed: a
    later "the MoU" or "the deal" is the agreement already named."""
    agreements: list[Agreement] = []
    for signing in signings:
        kind = None if signing.noun is None else signing.noun.type
        target = None
        if not signing.new:
            same = [a for a in agreements if a.type is not None and a.type == kind]
            untyped = [a for a in agreements if a.type is None]
            if same:
                target = same[0]
            elif agreements and (kind is None or not signing.noun or not signing.noun.indefinite):
                target = agreements[-1] if kind is None or untyped == [] else untyped[0]
            elif untyped:
                target = untyped[0]
            elif (
                agreements and all(a.planned for a in agreements) and signing.tense is Tense.PLANNED
            ):
                target = agreements[-1]
        if target is None:
            agreements.append(Agreement([signing]))
        else:
            target.signings.append(signing)
    return agreements
