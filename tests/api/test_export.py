"""The one export path: exact decimals, formula-safe cells, CSV streamed in bounded chunks."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import export
from dashboard.decimals import decimal_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
floats = st.floats(allow_nan=True, allow_infinity=False)
labels = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=30
).filter(lambda s: "\x00" not in s)


def table(numbers: list[float], names: list[str], stored: dict[int, str] | None = None):
    """A time column, one number column and one label column over len(numbers) rows."""
    stamps = np.arange(len(numbers), dtype="int64") * 60 + 1_767_225_600
    values = np.array(numbers, dtype="float64")
    return [
        export.time_column("time", stamps),
        export.number_column("price", values, stamps, stored or {}),
        export.text_column("name", pd.Series(names, dtype="category")),
    ], stamps


def read(chunks) -> list[list[str]]:
    text = b"".join(chunks).decode()
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (70123.456789, "70123.456789"),
        (1500.0, "1500"),
        (-1.2, "-1.2"),
        (0.1, "0.1"),
        (1e16, "10000000000000000"),
        (1.5e-05, "0.000015"),
        (21000000.0, "21000000"),
        (math.nan, ""),
    ],
)
def test_numbers_are_written_as_their_shortest_exact_decimal(value, text):
    assert export.number_texts(np.array([value])) == [text]


@settings(deadline=None)  # shared cores: timing is noise, not a finding
@given(st.lists(floats, max_size=50))
def test_number_texts_are_decimal_text_and_read_back_as_the_same_float(values):
    texts = export.number_texts(np.array(values, dtype="float64"))
    for value, text in zip(values, texts, strict=True):
        if math.isnan(value):
            assert text == ""
        else:
            assert text == decimal_text(value)
            assert float(text) == value
            assert "e" not in text.lower()


def test_a_stored_decimal_no_float_holds_is_exported_verbatim():
    columns, stamps = table([1363456789012.1235, 5.0], ["Bitcoin", "Bitcoin"])
    stored = {int(stamps[0]): "1363456789012.123456789"}
    columns[1] = export.number_column(
        "market_cap", np.array([1363456789012.1235, 5.0]), stamps, stored
    )
    rows = read(export.csv_chunks(columns, 2))
    assert rows == [
        ["time", "market_cap", "name"],
        ["2026-01-01T00:00:00Z", "1363456789012.123456789", "Bitcoin"],
        ["2026-01-01T00:01:00Z", "5", "Bitcoin"],
    ]


@pytest.mark.parametrize(
    ("label", "cell"),
    [
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-1.5", "-1.5"),
        ("Bitcoin", "Bitcoin"),
        ("a=b", "a=b"),
    ],
)
def test_formula_cells_are_defused_and_numbers_stay_numbers(label, cell):
    assert export.defuse(label) == cell


def test_the_hyperlink_label_is_written_defused_and_quoted():
    columns, _ = table([1.0], ['=HYPERLINK("http://evil.example","click")'])
    body = b"".join(export.csv_chunks(columns, 1)).decode()
    assert body == (
        "time,price,name\r\n"
        '2026-01-01T00:00:00Z,1,"\'=HYPERLINK(""http://evil.example"",""click"")"\r\n'
    )


@settings(deadline=None)  # shared cores: timing is noise, not a finding
@given(st.lists(st.tuples(floats, labels), max_size=40), st.integers(1, 7))
def test_any_table_is_parseable_csv_whose_cells_read_back_exactly(rows, chunk_rows):
    numbers = [n for n, _ in rows]
    names = [name for _, name in rows]
    columns, stamps = table(numbers, names)
    chunks = list(export.csv_chunks(columns, len(rows), chunk_rows=chunk_rows))
    assert len(chunks) == 1 + -(-len(rows) // chunk_rows)  # header, then one per chunk
    parsed = read(chunks)
    assert parsed[0] == ["time", "price", "name"]
    assert len(parsed) == len(rows) + 1
    for (number, name), (time, price, cell), ts in zip(rows, parsed[1:], stamps, strict=True):
        assert time == pd.Timestamp(int(ts), unit="s").strftime("%Y-%m-%dT%H:%M:%SZ")
        if math.isnan(number):
            assert price == ""
        else:
            assert Decimal(price) == Decimal(decimal_text(number))
            assert float(price) == number
        if cell != name:
            assert cell == "'" + name
            assert name.startswith(FORMULA_STARTS)
        for written in (time, price, cell):
            assert not written.startswith(FORMULA_STARTS) or export._NUMBER.fullmatch(written)


def test_a_large_export_is_streamed_in_chunks_of_bounded_size():
    rows = 25_000
    columns, _ = table([70123.456789] * rows, ["Bitcoin"] * rows)
    sizes = [len(chunk) for chunk in export.csv_chunks(columns, rows)]
    assert len(sizes) == 1 + 7  # header + ceil(25,000 / 4,000)
    assert max(sizes) < 4_000 * 60  # one chunk's rows, never the whole file
    assert sum(sizes) == len("time,price,name\r\n") + rows * len(
        "2026-01-01T00:00:00Z,70123.456789,Bitcoin\r\n"
    )
