"""The codes of countries, today's and former: ISO 3166-1 alpha-2, the user-assigned
code we accept, and the former countries of ISO 3166-3 with their successors.

These tables need no country database: checking a code stays cheap. `countries` reads
what people write into them.
"""

from __future__ import annotations

import re

# ISO 3166-1 alpha-2, as pycountry lists them (a test keeps the two equal): checking a
# typed code needs no country database, which takes pycountry a noticeable time to load.
ALPHA_2 = frozenset({
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
})  # fmt: skip

USER_ASSIGNED = frozenset({"XK"})
"""The codes ISO 3166-1 leaves to its users that we accept as countries: XK, Kosovo, as
the European Union, the IMF and the CLDR use it. The other user-assigned codes (AA,
QM to QZ, XA to XZ, ZZ) mean something else in every list that uses them, so they are
refused: an import keeps such a country as given, and no alias may point to one."""

USER_ASSIGNED_NAMES = {"XK": "Kosovo"}
OTHER_USER_ASSIGNED = re.compile(r"AA|Q[M-Z]|X[A-JL-Z]|ZZ")

FORMER_NAMES = {
    "SUHH": "Soviet Union",
    "DDDE": "East Germany",
    "YUCS": "Yugoslavia",
    "CSHH": "Czechoslovakia",
    "CSXX": "Serbia and Montenegro",
    "ZRCD": "Zaire",
    "BYAA": "Byelorussian SSR",
    "VDVN": "North Vietnam",
    "YDYE": "South Yemen",
}
"""The English names people give former countries whose ISO 3166-3 name is another
("USSR, Union of Soviet Socialist Republics"): `country_name` says them, and they read
as the former country."""

SUCCESSORS = {
    "SUHH": ("AM", "AZ", "BY", "EE", "GE", "KG", "KZ", "LT", "LV", "MD", "RU", "TJ", "TM",
             "UA", "UZ"),
    "YUCS": ("BA", "HR", "ME", "MK", "RS", "SI", "XK"),
    "CSHH": ("CZ", "SK"),
    "CSXX": ("ME", "RS", "XK"),
    "ANHH": ("AW", "BQ", "CW", "SX"),
    "FQHH": ("AQ", "TF"),
    "GEHH": ("KI", "TV"),
    "NTHH": ("IQ", "SA"),
    "PCHH": ("FM", "MH", "MP", "PW"),
}  # fmt: skip
"""The present-day countries of the former countries of which ISO 3166-3 names no single
successor (their codes end in HH or XX, or in an old code: YUCS)."""

ALL_SUCCESSORS = frozenset(code for codes in SUCCESSORS.values() for code in codes)


def successor(former: str) -> str | None:
    """The single present-day country ISO 3166-3 names for a former country: the last two
    letters of its alpha-4 code when they are a current code (DDDE: DE, ZRCD: CD), the
    first two when the last are AA, the code kept (BYAA: BY); None otherwise (SUHH)."""
    head, tail = former[:2], former[2:]
    if tail in ALPHA_2:
        return tail
    return head if tail == "AA" and head in ALPHA_2 else None


def is_country_code(code: str) -> bool:
    return code in ALPHA_2 or code in USER_ASSIGNED
