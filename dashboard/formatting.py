"""Every number format the dashboard shows, defined once: Python for cards and statistics,
d3-format strings for the axes and hover labels plotly draws in the browser.

All helpers return MISSING ("—") for None or NaN so a gap in the data never reads as zero.
"""

from __future__ import annotations

import math
from numbers import Real

import pandas as pd

MISSING = "—"
MINUS = "\N{MINUS SIGN}"  # typographic minus: the same width as "+", so columns line up

# d3-format strings (https://d3js.org/d3-format) for the values plotly's hover labels show;
# tick labels are left to plotly (dashboard/plotting.py's value_axis).
D3_USD = ",.2f"  # 68,891.88, after the axis's "$" prefix: $68,891.88
D3_COUNT = ",d"  # 19,712,345 (rounded to a whole number)
# plotly axis exponentformat that writes billions as "B" (d3's "s" would write "G").
AXIS_EXPONENT_FORMAT = "B"
UTC_MINUTE = "%Y-%m-%d %H:%M"
UTC_FORMAT = f"{UTC_MINUTE} UTC"

_COMPACT_STEPS = ((1e12, "T", 2), (1e9, "B", 1), (1e6, "M", 1), (1e3, "K", 1))


def _value(v: object) -> float | None:
    """A finite float, or None for anything missing."""
    if v is None or isinstance(v, bool):
        return None
    try:
        number = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _signed(text: str, negative: bool) -> str:
    return f"{MINUS}{text}" if negative else text


def usd(v: Real | None) -> str:
    """$68,891.88; sub-dollar prices keep four significant digits ($0.0001234 → $0.0001234)."""
    number = _value(v)
    if number is None:
        return MISSING
    magnitude = abs(number)
    if 0 < magnitude < 1:
        digits = max(2, 3 - math.floor(math.log10(magnitude)))
        whole, fraction = f"{magnitude:.{digits}f}".split(".")
        text = f"${whole}.{fraction.rstrip('0').ljust(2, '0')}"
    else:
        text = f"${magnitude:,.2f}"
    return _signed(text, number < 0 and text.strip("$0.,") != "")


def usd_compact(v: Real | None) -> str:
    """$1.36T, $45.2B, $512.3M, $12.5K; below a thousand the full amount."""
    number = _value(v)
    if number is None:
        return MISSING
    magnitude = abs(number)
    for size, suffix, digits in _COMPACT_STEPS:
        # Round first so 999.96B is written $1.00T, not $1000.0B.
        if round(magnitude / size, digits) >= 1:
            bigger = [s for s in _COMPACT_STEPS if s[0] > size]
            if bigger and round(magnitude / bigger[-1][0], bigger[-1][2]) >= 1:
                size, suffix, digits = bigger[-1]
            return _signed(f"${magnitude / size:,.{digits}f}{suffix}", number < 0)
    return usd(number)


def _compact(number: float) -> str:
    """19.7M, 21M, 100B, 512,345: one decimal, a trailing .0 dropped."""
    magnitude = abs(number)
    for size, suffix, _digits in _COMPACT_STEPS[:-1]:  # no "K": supplies read better in full
        if round(magnitude / size, 1) >= 1:
            text = f"{magnitude / size:,.1f}".removesuffix(".0") + suffix
            return _signed(text, number < 0)
    return _signed(f"{magnitude:,.0f}", number < 0 and round(magnitude) != 0)


def supply(v: Real | None, symbol: str | None) -> str:
    """19.7M BTC."""
    number = _value(v)
    if number is None:
        return MISSING
    text = _compact(number)
    return f"{text} {symbol}" if symbol else text


def percent(v: Real | None) -> str:
    """+2.31%, \N{MINUS SIGN}1.20%, 0.00%: the value is already in percent (2.31 means 2.31 %)."""
    number = _value(v)
    if number is None:
        return MISSING
    rounded = round(number, 2)
    if rounded == 0:
        return "0.00%"
    return f"{'+' if rounded > 0 else MINUS}{abs(rounded):.2f}%"


def relative_age(seconds: float | None) -> str:
    """just now / 12 min ago / 3 h ago / 2 d ago (whole units, rounded down)."""
    number = _value(seconds)
    if number is None:
        return MISSING
    if number < 60:  # includes a little clock skew into the future
        return "just now"
    if number < 3600:
        return f"{int(number // 60)} min ago"
    if number < 86400:
        return f"{int(number // 3600)} h ago"
    return f"{int(number // 86400)} d ago"


def utc(ts: pd.Timestamp | None, *, zone: bool = True) -> str:
    """2026-11-29 06:00 UTC (without " UTC" where a label already says so); naive timestamps
    are taken to be UTC already."""
    if ts is None or ts is pd.NaT:
        return MISSING
    try:
        stamp = pd.Timestamp(ts)
    except (TypeError, ValueError):
        return MISSING
    if pd.isna(stamp):
        return MISSING
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.strftime(UTC_FORMAT if zone else UTC_MINUTE)
