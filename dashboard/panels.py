"""The analysis page's numbers as components: the all-time high, the deepest drawdowns, the
risk and return panel, the Mayer multiple's latest value. They only present what
dashboard/analytics computes, formatted once here, and say in words what too short a history
cannot give (never an error, never an empty panel).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import formatting
from dashboard.analytics.drawdowns import AllTimeHigh, DrawdownEpisode
from dashboard.analytics.risk import MIN_CAGR_DAYS, TRAILING_RETURNS, RiskSummary
from dashboard.glossary import info
from dashboard.headline import direction

RISK_FREE_NOTE = "Sharpe and Sortino use a risk-free rate of 0."
NOT_RECOVERED = "not recovered"
DRAWDOWN_COLUMNS = ("Peak", "Trough", "Depth", "Recovered", "Days")


def day(ts: pd.Timestamp | None) -> str:
    return formatting.MISSING if ts is None else f"{pd.Timestamp(ts):%Y-%m-%d}"


def cell(
    label: str,
    value: str,
    *,
    term: str | None = None,
    detail: str | None = None,
    value_class: str = "",
    cell_id: str | None = None,
) -> dbc.Col:
    """One labelled number (with its definition's ⓘ), as the panels lay them out."""
    heading = [label, info(term)] if term else [label]
    extra = {"id": cell_id} if cell_id else {}
    return dbc.Col(
        [
            html.Div(heading, className="small text-body-secondary"),
            html.Div(value, className=f"fw-semibold {value_class}".strip(), **extra),
            html.Div(detail, className="small text-body-secondary") if detail else None,
        ],
        xs=6,
        md=4,
        xl=2,
    )


def ath_cells(ath: AllTimeHigh | None, name: str) -> dbc.Row | html.P:
    if ath is None:
        return html.P(f"No snapshots of {name} yet.", className="mb-0")
    below = formatting.percent(ath.below_pct)
    cells = [
        cell(
            "All-time high",
            formatting.usd(ath.price),
            term="All-time high",
            detail=formatting.utc(ath.time),
            cell_id="ath-price",
        ),
        cell("Below the high", below, value_class=direction(ath.below_pct)[1], cell_id="ath-below"),
        cell("Days since the high", f"{ath.days_since:,.0f}", cell_id="ath-days"),
    ]
    return dbc.Row(cells, class_name="g-2 mb-2")


def drawdown_table(episodes: list[DrawdownEpisode]) -> dbc.Table | html.P:
    """The deepest drawdowns of the range, deepest first."""
    if not episodes:
        return html.P(
            "No drawdown in this range: the price never fell below an earlier high in it.",
            className="mb-0",
        )
    header = html.Thead(html.Tr([html.Th(text) for text in DRAWDOWN_COLUMNS]))
    rows = [
        html.Tr(
            [
                # Each cell names its column: a phone's stylesheet lays a row out as labelled
                # cells, as five columns of dates do not fit its width (assets/dashboard.css).
                html.Td(value, **{"data-label": label})
                for label, value in zip(
                    DRAWDOWN_COLUMNS,
                    (
                        day(episode.peak_time),
                        day(episode.trough_time),
                        formatting.percent(episode.depth_pct),
                        day(episode.recovery_time) if episode.recovery_time else NOT_RECOVERED,
                        f"{episode.duration_days:,.0f}",
                    ),
                    strict=True,
                )
            ]
        )
        for episode in episodes
    ]
    return dbc.Table(
        [header, html.Tbody(rows)],
        size="sm",
        striped=True,
        responsive=True,
        class_name="mb-0 drawdown-table",
    )


def _ratio(value: float | None) -> str:
    return formatting.MISSING if value is None else f"{value:.2f}"


def _volatility(value: float | None) -> str:
    return formatting.MISSING if value is None else f"{value:.1f}%"


def risk_panel(summary: RiskSummary | None, name: str) -> list:
    """Risk and return of the range as labelled numbers, with what each needs when missing."""
    if summary is None:
        return [html.P(f"No snapshots of {name} in this range.", className="mb-0")]
    returns = summary.daily_returns
    too_few = f"needs 2 daily returns (has {returns})"
    best, worst = summary.best_day, summary.worst_day
    cells = [
        cell("Total return", formatting.percent(summary.total_return_pct), term="Total return"),
        cell(
            "CAGR",
            formatting.percent(summary.cagr_pct),
            term="CAGR",
            detail=None if summary.cagr_pct is not None else f"needs {MIN_CAGR_DAYS} days",
        ),
        cell(
            "Volatility (range)",
            _volatility(summary.volatility_pct),
            term="Volatility",
            detail=None if summary.volatility_pct is not None else too_few,
        ),
        *[
            cell(
                f"Volatility ({n} d)",
                _volatility(value),
                term="Volatility",
                detail=None if value is not None else f"needs {n} daily returns",
            )
            for n, value in ((n, summary.trailing_volatility_pct[n]) for n in TRAILING_RETURNS)
        ],
        cell(
            "Sharpe ratio",
            _ratio(summary.sharpe),
            term="Sharpe ratio",
            detail=None if summary.sharpe is not None else too_few,
        ),
        cell(
            "Sortino ratio",
            _ratio(summary.sortino),
            term="Sortino ratio",
            detail=None if summary.sortino is not None else "needs a day with a loss",
        ),
        cell("Max drawdown", formatting.percent(summary.max_drawdown_pct), term="Maximum drawdown"),
        cell(
            "Best day",
            formatting.percent(best.return_pct) if best else formatting.MISSING,
            term="Best and worst day",
            detail=day(best.day) if best else too_few,
        ),
        cell(
            "Worst day",
            formatting.percent(worst.return_pct) if worst else formatting.MISSING,
            term="Best and worst day",
            detail=day(worst.day) if worst else too_few,
        ),
        cell(
            "Positive days",
            _volatility(summary.positive_days_pct),
            term="Positive days",
            detail=f"of {returns:,} daily returns",
        ),
    ]
    notes = [RISK_FREE_NOTE]
    if returns < 2:
        notes.insert(
            0,
            f"Not enough history for {name} in this range: volatility, Sharpe and Sortino "
            f"need at least 2 daily returns (it has {returns}).",
        )
    return [
        dbc.Row(cells, class_name="g-2"),
        *[html.P(note, className="small text-body-secondary mt-2 mb-0") for note in notes],
    ]


def mayer_value(latest: float | None, as_of: pd.Timestamp | None, shortfall: str) -> list:
    """The latest Mayer multiple in words, or what it needs."""
    if latest is None:
        return [html.Span(shortfall)]
    return [
        html.Span("Mayer multiple: "),
        html.Strong(f"{latest:.2f}"),
        html.Span(f" on {day(as_of)}", className="text-body-secondary"),
    ]
