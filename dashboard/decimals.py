"""The exact decimal text of stored numbers, kept beside the float64 columns that draw charts.

DynamoDB stores numbers as decimals (up to 38 digits); charts and statistics need float64.
Nearly every stored number is the shortest text of some float (ingest stores what the JSON
parser produced), so its exact text can be written back from the float at export time. The
few that cannot (a hand edit such as `1363456789012.123456789`) are found while reading and
kept as text, keyed by column and snapshot time: exports then write the stored value itself,
never a float's approximation of it. Checking costs a length test per value and a comparison
only for values written with more than 15 characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Context, Decimal, InvalidOperation

import numpy as np

# Any decimal with at most this many significant digits survives text → float64 → shortest
# text unchanged in value (DBL_DIG); longer ones must be checked one by one.
SAFE_DIGITS = 15

# Wide enough for any DynamoDB number (38 digits, 1E-130 … 9.99E+125) written out in full:
# Decimal's default 28-digit context would round while normalising.
_WIDE = Context(prec=300)
# column → {ts: exact text} for the numbers a float cannot reproduce.
Overrides = dict[str, dict[int, str]]


def decimal_text(value: float) -> str:
    """The shortest plain decimal that reads back as `value` (no exponent, no trailing .0)."""
    return np.format_float_positional(value, unique=True, trim="-")


def plain(text: str) -> str:
    """A stored number's text without an exponent or trailing zeros ("1.50E+3" → "1500")."""
    number = _WIDE.create_decimal(text)
    if number == _WIDE.to_integral_value(number):
        return format(_WIDE.quantize(number, Decimal(1)), "f")
    return format(_WIDE.normalize(number), "f")


def inexact_rows(texts: Sequence[str], values: np.ndarray) -> dict[int, str]:
    """{row: plain stored text} for the rows whose float `values[row]` does not equal the
    stored decimal `texts[row]`. A text of at most SAFE_DIGITS characters has at most that
    many digits, so only longer ones are looked at, and most of those are the float's own
    shortest text."""
    found: dict[int, str] = {}
    for row, text in enumerate(texts):
        if len(text) <= SAFE_DIGITS:
            continue
        shortest = repr(float(values[row]))
        if text == shortest or _trimmed(text) == shortest.removesuffix(".0"):
            continue
        try:
            exact = Decimal(text)
        except InvalidOperation:
            continue  # not a number at all: the reader rejects it on its own
        if exact.is_finite() and exact != Decimal(shortest):
            found[row] = plain(text)
    return found


def _trimmed(text: str) -> str | None:
    """A plain decimal without trailing zeros ("1269176607496.30" → "1269176607496.3")."""
    if "." not in text or "e" in text or "E" in text:
        return None
    return text.rstrip("0").removesuffix(".")


def is_exact(number: Decimal, value: float) -> bool:
    return number == Decimal(repr(value))


def merge(
    older: Mapping[str, Mapping[int, str]], newer: Mapping[str, Mapping[int, str]]
) -> Overrides:
    """Both sets of overrides; a snapshot read again takes its newer text."""
    merged: Overrides = {name: dict(values) for name, values in older.items()}
    for name, values in newer.items():
        merged.setdefault(name, {}).update(values)
    return {name: values for name, values in merged.items() if values}
