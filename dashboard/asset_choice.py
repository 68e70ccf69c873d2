"""Which asset a view shows: the one a link or control asks for when the dashboard knows it
(configured, or listed in the asset index), else the default asset with a plain notice that
names what was asked. So a mistyped or hostile `?asset=` never gets a cache entry or a Query,
and the visitor is told why they see Bitcoin instead."""

from __future__ import annotations

from collections.abc import Collection

# Long enough for any real slug; a hostile link is cut short in the notice.
MAX_SHOWN = 40


def choose_asset(requested: str, known: Collection[str], default: str) -> tuple[str, str | None]:
    """(asset to show, notice or None)."""
    if requested in known or requested == default:
        return requested, None
    shown = requested if len(requested) <= MAX_SHOWN else requested[:MAX_SHOWN] + "…"
    return default, f"Unknown asset {shown} — showing {default}."
