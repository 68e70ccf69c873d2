"""Analytics computed from stored snapshots: daily candles, drawdowns, risk, seasonality, cycles
and cross-asset comparisons, as plain functions of a snapshot frame (no Dash), shared by the
analyst pages and the data API. Each module owns one concern; `definitions` holds the wording
of every metric so the page and the API describe them the same way.

Conventions: functions take a frame shaped like `dashboard.data`'s (UTC DatetimeIndex "time",
float `price` and friends) and an optional closed window [start, end] (None = open); they
return None or an empty series rather than raising when the window holds no data. Returns and
percentages are in % (-20.0 means -20 %) unless a name says otherwise.
"""
