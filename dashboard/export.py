"""Stored snapshots as exact, spreadsheet-safe text: the one export path of the page and the API.

A table is a list of `Column`s, each able to give the text of any run of its rows: numbers as
the stored decimal exactly (the float's shortest round-trip digits, or the stored text the
reader kept when a float cannot reproduce it — never a float's approximation), times as ISO
8601 UTC, labels as stored. `csv_chunks` writes a table as CSV a few thousand rows at a time,
so a large export never holds the whole file in memory, and defuses every cell a spreadsheet
would run as a formula the OWASP way (a leading single quote; numbers stay numbers). The JSON
writer of the data API (`dashboard.api.serialize`) reads the same columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from dashboard.decimals import decimal_text

# Rows per CSV chunk: ~1 MB of text for a full snapshot row set, written in well under 100 ms.
CHUNK_ROWS = 4000
# The CSV line ending RFC 4180 asks for (spreadsheets and pandas read either).
NEWLINE = "\r\n"
# A cell starting with one of these is run as a formula by spreadsheets (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_NEEDS_QUOTES = re.compile(r'[",\r\n]')
# Beyond these magnitudes a float's repr switches to an exponent; decimal_text writes them out.
_REPR_POSITIONAL = (1e-4, 1e16)

Kind = Literal["number", "integer", "time", "text"]


@dataclass(frozen=True)
class Column:
    """One column of an export: `texts(start, stop)` gives rows [start, stop) as text; a
    number's missing value is the empty string."""

    name: str
    kind: Kind
    texts: Callable[[int, int], list[str]]


def number_texts(values: np.ndarray) -> list[str]:
    """The shortest decimal that reads back as each float ("" for NaN): `decimal_text`'s
    output, through repr (C speed) where repr already writes it positionally."""
    values = np.asarray(values, dtype="float64")
    finite = np.isfinite(values)
    magnitude = np.abs(values)
    odd = ~finite | (magnitude >= _REPR_POSITIONAL[1])
    odd |= (magnitude < _REPR_POSITIONAL[0]) & (values != 0)
    odd |= (values == 0) & np.signbit(values)
    whole = finite & ~odd & (values == np.floor(values))
    if whole.all():
        return list(map(str, values.astype("int64").tolist()))
    texts = list(map(float.__repr__, values.tolist()))
    for row in np.flatnonzero(whole).tolist():
        texts[row] = texts[row][:-2]  # "1500.0" → "1500"
    for row in np.flatnonzero(odd).tolist():
        value = float(values[row])
        texts[row] = "" if value != value else decimal_text(value)
    return texts


def exact_texts(values: np.ndarray, stamps: np.ndarray, stored: Mapping[int, str]) -> list[str]:
    """`number_texts`, with the stored text wherever the reader kept one (`stored`: ts → text,
    for the decimals a float cannot reproduce)."""
    texts = number_texts(values)
    if stored:
        for row, ts in enumerate(stamps.tolist()):
            text = stored.get(ts)
            if text is not None:
                texts[row] = text
    return texts


def time_texts(stamps: np.ndarray) -> list[str]:
    """Epoch seconds as ISO 8601 UTC, e.g. 2026-11-29T12:00:00Z."""
    seconds = np.asarray(stamps, dtype="int64").astype("datetime64[s]")
    return [f"{text}Z" for text in np.datetime_as_string(seconds, unit="s").tolist()]


def defuse(cell: str) -> str:
    """`cell` as a spreadsheet shows it without running it: a cell a spreadsheet would take
    for a formula gets a leading single quote (OWASP); a number such as -1.2 is left as is."""
    if cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_cell(text: str) -> str:
    """A free-text cell, defused and quoted as RFC 4180 asks when it holds , " CR or LF."""
    cell = defuse(text)
    if _NEEDS_QUOTES.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_chunks(
    columns: Sequence[Column], rows: int, chunk_rows: int = CHUNK_ROWS
) -> Iterator[bytes]:
    """UTF-8 CSV: the header row, then `rows` rows, `chunk_rows` at a time. Numbers, integers
    and times are written as they are (they are never formulas and never need quotes); text
    cells are defused and quoted."""
    yield (",".join(csv_cell(c.name) for c in columns) + NEWLINE).encode()
    for start in range(0, rows, chunk_rows):
        stop = min(rows, start + chunk_rows)
        cells = []
        for column in columns:
            texts = column.texts(start, stop)
            cells.append(_csv_cells(texts) if column.kind == "text" else texts)
        yield ("".join(line + NEWLINE for line in map(",".join, zip(*cells, strict=True)))).encode()


def _csv_cells(texts: list[str]) -> list[str]:
    """csv_cell of every text, each distinct text worked out once (labels repeat)."""
    cells: dict[str, str] = {}
    return [cells[t] if t in cells else cells.setdefault(t, csv_cell(t)) for t in texts]


# -- columns of a snapshot frame -------------------------------------------------------------


def number_column(
    name: str, values: np.ndarray, stamps: np.ndarray, stored: Mapping[int, str]
) -> Column:
    def texts(start: int, stop: int) -> list[str]:
        return exact_texts(values[start:stop], stamps[start:stop], stored)

    return Column(name, "number", texts)


def integer_column(name: str, values: np.ndarray) -> Column:
    return Column(name, "integer", lambda start, stop: list(map(str, values[start:stop].tolist())))


def time_column(name: str, stamps: np.ndarray) -> Column:
    return Column(name, "time", lambda start, stop: time_texts(stamps[start:stop]))


def text_column(name: str, values: pd.Series | Sequence[str] | str) -> Column:
    """Labels (a categorical or plain series, or one text for every row)."""
    if isinstance(values, str):
        return Column(name, "text", lambda start, stop: [values] * (stop - start))
    series = pd.Series(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = np.asarray(series.cat.categories.astype(str), dtype=object)
        codes = series.cat.codes.to_numpy()
        return Column(name, "text", lambda start, stop: categories[codes[start:stop]].tolist())
    strings = series.astype(str).tolist()
    return Column(name, "text", lambda start, stop: strings[start:stop])
