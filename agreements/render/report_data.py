"""`report --format json`: the figures a report is built from, as a stable contract.

Dates are ISO 8601 with the precision they are known to ("2017-07", "1947"); counts are
whole, charts carry every value (the page draws the largest and sums the rest), each
with the key machines use (a country code, a sector's name) and the label people read.
"""

from __future__ import annotations

from typing import Any

from agreements.domain.council_report import CouncilReport, Standing
from agreements.domain.model import Activity
from agreements.domain.report_charts import Chart
from agreements.render.due import due_record

REPORT_JSON_VERSION = 1


def report_data(report: CouncilReport) -> dict[str, Any]:
    return {
        "report_version": REPORT_JSON_VERSION,
        "title": report.title,
        "register": report.register_name,
        "register_agreements": report.register_total,
        "selection": list(report.selection),
        "period": {
            "from": report.period.first.isoformat(),
            "to": report.period.last.isoformat(),
            "text": report.period.readable(),
        },
        "as_of": report.as_of.isoformat(),
        "dormant_after": str(report.dormant_after),
        "upcoming_until": report.upcoming_until.isoformat(),
        "made_on": report.made_on.isoformat(),
        "home_country": report.home_country,
        "figures": {
            "agreements": report.total,
            "standing": {standing_key(kind): count for kind, count in report.standing},
            "signed_in_period": report.signed_in_period,
            "activities_in_period": report.activities_in_period,
            "partner_countries": report.partner_countries,
        },
        "charts": [_chart(chart) for chart in report.charts],
        "upcoming": [due_record(item) for item in report.upcoming],
        "overdue": [due_record(item) for item in report.overdue],
        "dormant": [
            {
                "agreement_id": row.id,
                "title": row.title,
                "parties": list(row.parties),
                "last_activity": str(row.last_activity),
            }
            for row in report.dormant
        ],
        "activities": [
            {
                "agreement_id": group.id,
                "title": group.title,
                "activities": [_activity(activity) for activity in group.activities],
            }
            for group in report.activities
        ],
        "agreements": [
            {
                "id": row.id,
                "title": row.title,
                "type": row.type,
                "status": row.status,
                "standing": standing_key(row.standing),
                "signed_on": None if row.signed is None else str(row.signed),
                "parties": [
                    {
                        "name": p.name,
                        "country": p.country,
                        "country_at_signing": p.country_at_signing,
                    }
                    for p in row.parties
                ],
                "sectors": [{"name": name, "certainty": how} for name, how in row.sectors],
            }
            for row in report.agreements
        ],
    }


STANDING_KEYS = {
    Standing.ACTIVE: "active", Standing.DORMANT: "dormant",
    Standing.NO_ACTIVITY: "no_activity", Standing.PROPOSED: "proposed",
    Standing.SUSPENDED: "suspended", Standing.ENDED: "ended",
}  # fmt: skip
"""A standing as JSON names it, fixed here: the contract does not follow the code's names."""


def standing_key(kind: Standing) -> str:
    return STANDING_KEYS[kind]


def _chart(chart: Chart) -> dict[str, Any]:
    return {
        "key": chart.key,
        "title": chart.title,
        "unit": chart.unit,
        "dimension": chart.dimension,
        "rows": [{"key": row.key, "label": row.label, "count": row.count} for row in chart.rows],
        "note": chart.note or None,
    }


def _activity(activity: Activity) -> dict[str, Any]:
    return {
        "on": str(activity.on),
        "kind": activity.kind.value,
        "summary": activity.summary,
        "party": activity.party,
        "follow_up_on": None if activity.follow_up_on is None else str(activity.follow_up_on),
        "follow_up": activity.follow_up,
    }
