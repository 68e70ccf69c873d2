"""Exact decimal text: a float's shortest decimal, and the stored numbers a float cannot hold."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.decimals import decimal_text, inexact_rows, plain


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (97123.45, "97123.45"),
        (21000000.0, "21000000"),
        (0.30000000000000004, "0.30000000000000004"),
        (1.2e16, "12000000000000000"),
        (1e-7, "0.0000001"),
        (-3.75, "-3.75"),
        (0.0, "0"),
    ],
)
def test_a_float_is_written_as_its_shortest_plain_decimal(value, text):
    assert decimal_text(value) == text


@pytest.mark.parametrize(
    ("stored", "text"),
    [
        ("1.50", "1.5"),
        ("1E+3", "1000"),
        ("21000000", "21000000"),
        (
            "-0.000012345678901234567890123456789012345678",
            "-0.000012345678901234567890123456789012345678",
        ),
        (
            "9.9999999999999999999999999999999999999E+125",
            "99999999999999999999999999999999999999" + "0" * 88,
        ),
    ],
)
def test_stored_text_is_written_plainly_and_in_full(stored, text):
    assert plain(stored) == text


def test_only_numbers_a_float_cannot_hold_are_kept():
    texts = [
        "97123.45",  # short: always exact
        "1363456789012.123456789",  # 22 digits: the float is 1363456789012.1235
        "0.30000000000000004",  # long, but the float's own shortest text
        "12000000000000000",  # long, the same value as the float 1.2e16
        "1269176607496.30",  # a trailing zero
        "97123.45123456789",  # 16 digits: the float reads back as 97123.4512345679
    ]
    values = np.array([float(t) for t in texts])
    assert inexact_rows(texts, values) == {1: "1363456789012.123456789", 5: "97123.45123456789"}


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20))
def test_the_float_text_or_the_kept_text_is_always_the_stored_value(number):
    text = str(number)
    value = float(number)
    kept = inexact_rows([text], np.array([value]))
    written = kept.get(0, decimal_text(value))
    assert Decimal(written) == number
