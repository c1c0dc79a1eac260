"""What `summary` can count, declared apart from the counting so that the command's
options can be built without loading the records and the rules about dates."""

from __future__ import annotations

from enum import StrEnum


class SummaryField(StrEnum):
    SECTOR = "sector"
    COUNTRY = "country"
    PARTNER_COUNTRY = "partner-country"
    TYPE = "type"
    YEAR = "year"
    STATUS = "status"
    ACTIVITY = "activity"
    ACTIVITY_YEAR = "activity-year"


class Beside(StrEnum):
    """What `summary` counts beside a field, not asked for with --by."""

    SIGNED_WITH_FORMER = "signed-with-former-country"
    """Beside country: of the agreements counted under each country, how many a party of
    that country signed as part of a former country (the Soviet Union, East Germany)."""


CountedField = SummaryField | Beside


DEFAULT_FIELDS = tuple(field for field in SummaryField if field is not SummaryField.PARTNER_COUNTRY)
"""What `summary` counts when --by does not say: partner countries need a home country."""

TOP = 10
"""How many values of a field a summary table shows before "others", unless --top says."""
