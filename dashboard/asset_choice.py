"""Which asset a view shows: the one a link or control asks for when the dashboard knows it
(configured, or listed in the asset index), else the default asset with a plain notice that
names what was asked. So a mistyped or hostile `?asset=` never gets a cache entry or a Query,
and the visitor is told why they see Bitcoin instead. The compare page's several assets and
its ratio pair follow the same rule."""

from __future__ import annotations

from collections.abc import Collection, Sequence

# Long enough for any real slug; a hostile link is cut short in the notice.
MAX_SHOWN = 40


def choose_asset(requested: str, known: Collection[str], default: str) -> tuple[str, str | None]:
    """(asset to show, notice or None)."""
    if requested in known or requested == default:
        return requested, None
    return default, f"Unknown asset {_shown(requested)} — showing {default}."


def default_comparison(current: str, known: Sequence[str], limit: int) -> tuple[str, ...]:
    """What the compare page shows without a choice: `current` first, then the other known
    assets in the dashboard's order, at most `limit`."""
    return tuple(dict.fromkeys([current, *known]))[:limit]


def choose_assets(
    requested: Sequence[str], known: Collection[str], default: tuple[str, ...]
) -> tuple[tuple[str, ...], str | None]:
    """(assets to compare, notice or None): the requested ones the dashboard knows, in the
    order asked; unknown ones are left out and named. Nothing left (or nothing asked) gives
    `default`."""
    kept = tuple(asset for asset in requested if asset in known)
    unknown = [_shown(asset) for asset in requested if asset not in known]
    notice = None
    if unknown:
        left = f"comparing {', '.join(kept)}" if kept else f"comparing {', '.join(default)}"
        notice = f"Unknown asset{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} — {left}."
    return kept or default, notice


def choose_ratio(
    requested: tuple[str, str] | None, assets: Sequence[str]
) -> tuple[tuple[str, str] | None, str | None]:
    """(numerator, denominator) of the compare page's ratio, or None with fewer than two
    assets; by default the second compared asset over the first (ETH/BTC for bitcoin,
    ethereum). A requested pair must be two different compared assets."""
    if len(assets) < 2:
        return None, None
    default = (assets[1], assets[0])
    if requested is None:
        return default, None
    top, bottom = requested
    if top != bottom and top in assets and bottom in assets:
        return requested, None
    asked = "/".join(_shown(a) for a in requested)
    shown = "/".join(default)
    return default, f"The ratio {asked} needs two different compared assets — showing {shown}."


def _shown(asset: str) -> str:
    return asset if len(asset) <= MAX_SHOWN else asset[:MAX_SHOWN] + "…"
