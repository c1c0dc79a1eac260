from datetime import date

import pytest

from agreements.domain.dates import DateOrder, PartialDate, parse_date
from agreements.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2012-10-02", "2012-10-02"),
        ("2012-10", "2012-10"),
        ("2012", "2012"),
        ("2 October 2012", "2012-10-02"),
        ("October 2, 2012", "2012-10-02"),
        ("2nd of October 2012", "2012-10-02"),
        ("Oct 2012", "2012-10"),
        ("Sept. 1986", "1986-09"),
        ("13/10/2012", "2012-10-13"),
        ("10/13/2012", "2012-10-13"),
        ("05/05/2012", "2012-05-05"),
        ("10/2012", "2012-10"),
        ("2012/10/02", "2012-10-02"),
    ],
)
def test_unambiguous_dates_keep_their_precision(text, stored):
    assert str(parse_date(text)) == stored


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("02/10/2012", "ambiguous"),
        ("02.10.2012", "ambiguous"),
        ("2023-02-29", "28 days"),
        ("31 February 2012", "not a real date"),
        ("2012-13", "not between 1 and 12"),
        ("October", "no four-digit year"),
        ("2/10/12", "no four-digit year"),
        ("tomorrow", "cannot read"),
        ("around 2012", "cannot read"),
        ("Monday 2 October 2012", "cannot read"),
        ("", "empty"),
    ],
)
def test_dates_that_need_a_guess_are_refused(text, problem):
    with pytest.raises(InvalidInput) as caught:
        parse_date(text)
    assert problem in caught.value.message + (caught.value.hint or "")


def test_date_order_decides_numeric_dates():
    assert str(parse_date("02/10/2012", DateOrder.DMY)) == "2012-10-02"
    assert str(parse_date("02/10/2012", DateOrder.MDY)) == "2012-02-10"
    # An ISO date is never read day-first, whatever the order says.
    assert str(parse_date("2012-10-02", DateOrder.DMY)) == "2012-10-02"


def test_missing_parts_are_never_taken_from_today(monkeypatch):
    import datetime as real_datetime

    class FrozenDateTime(real_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2031, 7, 19, tzinfo=tz)

    monkeypatch.setattr(real_datetime, "datetime", FrozenDateTime)
    assert parse_date("Oct 2012") == PartialDate(2012, 10)
    assert parse_date("2012") == PartialDate(2012)


def test_periods_have_first_and_last_days():
    assert PartialDate(2012).last_day() == date(2012, 12, 31)
    assert PartialDate(2024, 2).last_day() == date(2024, 2, 29)
    assert PartialDate(2012, 10, 2).first_day() == date(2012, 10, 2)
