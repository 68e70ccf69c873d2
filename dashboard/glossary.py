"""Definitions on the page: a circled i beside a metric's label whose tooltip reads its definition,
and a "Definitions" panel on each page listing the ones it uses (it opens with a tap, where a
phone shows no tooltip). The wording is dashboard/analytics/definitions.py's, the one place
it lives.
"""

from __future__ import annotations

from collections.abc import Iterable

from dash import html

from dashboard.analytics.definitions import DEFINITIONS


def info(term: str) -> html.Span:
    """A small circled "i" (drawn by the stylesheet: not every font has ⓘ) whose tooltip is
    `term`'s definition (screen readers read the title too)."""
    return html.Span("i", title=DEFINITIONS[term], tabIndex=0, className="info-mark ms-1")


def definitions_panel(terms: Iterable[str], panel_id: str) -> html.Details:
    """The definitions of `terms`, in a panel closed until asked for."""
    entries = []
    for term in terms:
        entries += [html.Dt(term), html.Dd(DEFINITIONS[term], className="small mb-2")]
    return html.Details(
        [
            html.Summary("Definitions", className="fw-semibold"),
            html.Dl(entries, className="mt-2 mb-0"),
        ],
        id=panel_id,
        className="card card-body mb-3 shadow-sm definitions",
    )
