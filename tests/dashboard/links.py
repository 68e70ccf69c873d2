"""Hypothesis strategies for links a person might paste: the query strings parse_query reads.

Shared by the timeranges properties and the callback properties that follow a link all the
way to the window drawn.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from hypothesis import strategies as st

KEYS = (
    "asset",
    "range",
    "from",
    "to",
    "log",
    "ma",
    "cycles",
    "candles",
    "assets",
    "ratio",
    "utm_source",
    "",
)


def day_text(day: dt.date) -> str:
    """YYYY-MM-DD with a four-digit year, whatever the year."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


# Values a person, a broken client or an attacker might put in a link.
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "0", "1", "7", "30", "7,30", "30,7,7", ",", "ytd", "1y", "ALL"]),
    st.sampled_from(["bitcoin", "Bitcoin", "ethereum", "-x", "<script>", "a" * 65, "\u212a"]),
    st.sampled_from(["bitcoin,ethereum", "ethereum,bitcoin,ethereum", "a,b,c,d,e,f,g,h", "x,"]),
    # Each of these once made parse_query or to_query raise.
    st.sampled_from(["\u00b2", "7,\u00b2", "9" * 5000, "0000-01-01", "0999-12-31"]),
    st.dates().map(day_text),  # years 1 to 9999: far outside what pandas holds in ns
    st.builds("{}-{}-{}".format, st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99)),
    st.integers().map(str),
    st.integers(50, 5000).map("9".__mul__),  # up to past int()'s 4,300-digit limit
    # Characters str.isdigit accepts that are not ASCII digits: ², ³, ¹, ½, Arabic-Indic 3,
    # fullwidth 7.
    st.text(alphabet="0123456789,-\u00b2\u00b3\u00b9\u00bd\u0663\uff17", max_size=12),
)


@st.composite
def queries(draw: st.DrawFn) -> str:
    """A query string built from (key, value) pairs, keys repeated at will, values
    sometimes percent-encoded (once or twice), with or without the leading "?"."""
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(KEYS) | st.text(max_size=8), values), max_size=8)
    )
    parts = []
    for key, value in pairs:
        encoding = draw(st.sampled_from(["raw", "quoted", "twice"]))
        if encoding != "raw":
            value = quote(value, safe="")
        if encoding == "twice":
            value = quote(value, safe="")
        parts.append(f"{key}={value}" if draw(st.booleans()) or value else key)
    return draw(st.sampled_from(["?", ""])) + "&".join(parts)
