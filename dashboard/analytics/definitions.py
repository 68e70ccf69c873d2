"""What each analytic means, in short plain English: one constant per metric, for the pages' info
tooltips, the data API's documentation and docs/analytics.md, so the wording lives in one place.

The functions beside this module compute exactly what these sentences say; change both together.
`python -m dashboard.analytics.definitions` prints them as the Markdown list docs/analytics.md
holds (a test keeps the two the same).
"""

from __future__ import annotations

import pandas as pd

from dashboard.analytics.compare import MIN_COMMON_RETURNS, RATIO_TOLERANCE
from dashboard.analytics.cycles import MA_200_DAY_CLOSES, MA_200_WEEK_CLOSES, MAYER_REFERENCE_LEVELS
from dashboard.analytics.risk import MIN_CAGR_DAYS, ROLLING_RETURNS, TRAILING_RETURNS

_MINUTE = pd.Timedelta(minutes=1)

DAILY_CANDLE = (
    "One candle per UTC day that has snapshots (days without are skipped, not filled): open = "
    "the day's first snapshot price, high = its highest, low = its lowest, close = its last. "
    "Built from the day's snapshots (four a day when live), not from exchange trades."
)
DAILY_VALUES = (
    "Volume, market cap and circulating supply per day are the day's last reading. "
    "CoinMarketCap's volume is a rolling 24-hour total, so the day's last reading covers the day."
)
DAILY_CLOSE = "Daily close = the last snapshot price of each UTC day that has snapshots."
DAILY_RETURN = (
    "Daily return = log(close / close of the previous day with data). Shown as a simple % change "
    "(close / previous close - 1) where a single day is named."
)
VOLATILITY = (
    "Annualized volatility = sample standard deviation (ddof 1) of daily returns times "
    "the square root of 365 (crypto trades every day), in %. Over the range it uses the returns "
    "between the range's daily closes; the {0}-, {1}- and {2}-day figures use the last {0}, {1} "
    "and {2} daily returns up to the range's end."
).format(*TRAILING_RETURNS)
ROLLING_VOLATILITY = (
    f"Rolling {ROLLING_RETURNS}-day volatility = the annualized volatility of the last "
    f"{ROLLING_RETURNS} daily returns, for each day; a day has a value once {ROLLING_RETURNS} "
    "returns end there."
)
TOTAL_RETURN = "Total return = last price in the range / first price in the range - 1."
CAGR = (
    "CAGR = (last price / first price) ^ (365 / days between them) - 1; shown only when the "
    f"range spans at least {MIN_CAGR_DAYS} days."
)
SHARPE = (
    "Sharpe ratio = mean daily return times 365 / annualized volatility, with a risk-free rate "
    "of 0."
)
SORTINO = (
    "Sortino ratio = mean daily return times 365 / annualized downside deviation, with a "
    "risk-free rate of 0 and a target of 0; downside deviation = square root of the mean of "
    "min(daily return, 0) squared, over all daily returns, times the square root of 365."
)
BEST_WORST_DAY = "Best and worst day = the largest and smallest daily return in the range."
POSITIVE_DAYS = "Positive days = the share of daily returns in the range above 0."
DRAWDOWN = (
    "Drawdown = price / highest price so far - 1, on every snapshot, in % (0 at a new high). "
    "In a range the highest price so far starts at the range's first snapshot."
)
MAX_DRAWDOWN = "Maximum drawdown = the deepest drawdown in the range."
ALL_TIME_HIGH = (
    "All-time high = the highest stored snapshot price, over all stored history; the latest "
    "price's distance below it and the days since it are measured from the latest snapshot."
)
DRAWDOWN_EPISODE = (
    "A drawdown runs from a peak to the first snapshot back at or above the peak (recovery). "
    "Depth = lowest price / peak price - 1; duration = days from the peak to the recovery, or "
    "to the range's last snapshot when not recovered."
)
MONTHLY_RETURN = (
    "Monthly return = last daily close of the month / last daily close of the previous month "
    "- 1; yearly return the same with years. Blank when either has no data in the range (a year "
    "with no return at either end of it is left out); the current month and year read to date."
)
MOVING_AVERAGE_200_DAY = (
    f"200-day moving average = mean of the last {MA_200_DAY_CLOSES} daily closes; none before "
    f"{MA_200_DAY_CLOSES} closes exist."
)
MOVING_AVERAGE_200_WEEK = (
    f"200-week moving average = mean of the last {MA_200_WEEK_CLOSES:,} daily closes (200 weeks "
    f"of 7 days); none before {MA_200_WEEK_CLOSES:,} closes exist."
)
MAYER_MULTIPLE = (
    "Mayer multiple = daily close / 200-day moving average; lines mark {} (at the average) "
    "and {} (historically stretched)."
).format(*MAYER_REFERENCE_LEVELS)
CYCLE_EVENTS = "Event markers (e.g. Bitcoin halvings) at the UTC day each happened, with a source."
REBASED = "Rebased value = 100 * price / price at the window's first snapshot."
RATIO = (
    "Ratio = first asset's price / second asset's price, pairing each snapshot with the other "
    f"asset's snapshot nearest in time (at most {RATIO_TOLERANCE // _MINUTE} minutes apart)."
)
CORRELATION = (
    "Correlation = Pearson correlation of daily returns over the window, on the days both "
    f"assets have one (at least {MIN_COMMON_RETURNS})."
)

DEFINITIONS: dict[str, str] = {
    "Daily candle": DAILY_CANDLE,
    "Daily volume, market cap, supply": DAILY_VALUES,
    "Daily close": DAILY_CLOSE,
    "Daily return": DAILY_RETURN,
    "Volatility": VOLATILITY,
    "Rolling volatility": ROLLING_VOLATILITY,
    "Total return": TOTAL_RETURN,
    "CAGR": CAGR,
    "Sharpe ratio": SHARPE,
    "Sortino ratio": SORTINO,
    "Best and worst day": BEST_WORST_DAY,
    "Positive days": POSITIVE_DAYS,
    "Drawdown": DRAWDOWN,
    "Maximum drawdown": MAX_DRAWDOWN,
    "All-time high": ALL_TIME_HIGH,
    "Drawdown episodes": DRAWDOWN_EPISODE,
    "Monthly and yearly returns": MONTHLY_RETURN,
    "200-day moving average": MOVING_AVERAGE_200_DAY,
    "200-week moving average": MOVING_AVERAGE_200_WEEK,
    "Mayer multiple": MAYER_MULTIPLE,
    "Cycle events": CYCLE_EVENTS,
    "Rebased value": REBASED,
    "Ratio": RATIO,
    "Correlation": CORRELATION,
}


def as_markdown() -> str:
    """The definitions as a Markdown bullet list (docs/analytics.md holds this text)."""
    return "\n".join(f"- **{name}**: {text}" for name, text in DEFINITIONS.items()) + "\n"


if __name__ == "__main__":
    print(as_markdown(), end="")
