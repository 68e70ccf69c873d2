"""Cross-asset comparisons over one window: rebased prices, the price ratio of two assets and the
correlation of their daily log returns.

Rebased value = 100 * price / price at the window's first snapshot, per asset on its own
snapshots. The ratio pairs each snapshot of the first asset with the other asset's snapshot
nearest in time, at most RATIO_TOLERANCE away (ingest quotes every asset in the same run, a few
seconds to minutes apart); a snapshot with no partner that close is left out, never paired with
a stale price. Correlations are Pearson's, of daily log returns (both closes in the window),
pairwise on the days both assets have a return; a pair with fewer than MIN_COMMON_RETURNS such
days has none (NaN).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.analytics.daily import daily_closes, log_returns, prices

RATIO_TOLERANCE = pd.Timedelta(hours=1)
MIN_COMMON_RETURNS = 3


def rebased(
    frames: Mapping[str, pd.DataFrame],
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> dict[str, pd.Series]:
    """Each asset's prices in [start, end] rebased to 100 at its first snapshot there (empty
    for an asset without a price in the window), keyed like `frames`."""
    result = {}
    for asset, frame in frames.items():
        price = prices(frame, start, end)
        base = price.iloc[0] if len(price) else 1.0
        result[asset] = (price / base * 100.0).rename("rebased")  # the first is exactly 100
    return result


def ratio(
    numerator: pd.DataFrame,
    denominator: pd.DataFrame,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    tolerance: pd.Timedelta = RATIO_TOLERANCE,
) -> pd.Series:
    """numerator price / denominator price at each numerator snapshot in [start, end] that has
    a denominator snapshot within `tolerance` (nearest wins), indexed by the numerator's times."""
    top = prices(numerator, start, end)
    bottom = prices(
        denominator,
        None if start is None else start - tolerance,
        None if end is None else end + tolerance,
    )
    if top.empty or bottom.empty:
        return pd.Series([], index=top.index[:0], dtype="float64", name="ratio")
    bottom.index = bottom.index.as_unit(top.index.unit)
    paired = pd.merge_asof(
        top.rename("top").to_frame(),
        bottom.rename("bottom").to_frame(),
        left_index=True,
        right_index=True,
        direction="nearest",
        tolerance=tolerance,
    ).dropna()
    return (paired["top"] / paired["bottom"]).rename("ratio")


def return_correlation(
    frames: Mapping[str, pd.DataFrame],
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Pearson correlation matrix (assets x assets, keyed like `frames`) of daily log returns
    in [start, end], pairwise on common days; NaN where a pair has too few common returns."""
    returns = {
        asset: log_returns(daily_closes(frame, start, end)) for asset, frame in frames.items()
    }
    if not returns:
        return pd.DataFrame(dtype="float64")
    table = pd.DataFrame(returns)
    return table.corr(min_periods=MIN_COMMON_RETURNS)
