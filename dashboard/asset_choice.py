"""Which asset a view shows: the one a link or control asks for when the dashboard knows it
(configured, or listed in the asset index), else the default asset with a plain notice that
names what was asked. So a mistyped or hostile `?asset=` never gets a cache entry or a Query,
and the visitor is told why they see Bitcoin instead. The compare page's several assets and
its ratio pair follow the same rule, and its checkboxes never leave it with nothing to compare."""

from __future__ import annotations

from collections.abc import Collection, Sequence

# Long enough for any real slug; a hostile link is cut short in the notice.
MAX_SHOWN = 40


def choose_asset(requested: str, known: Collection[str], default: str) -> tuple[str, str | None]:
    """(asset to show, notice or None)."""
    if requested in known or requested == default:
        return requested, None
    return default, unknown_notice([requested], f"showing {default}")


def unknown_notice(unknown: Sequence[str], instead: str) -> str:
    """The notice that names unknown assets and what the page shows instead of them."""
    names = ", ".join(_shown(asset) for asset in unknown)
    return f"Unknown asset{'s' if len(unknown) > 1 else ''} {names} — {instead}."


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
    unknown = [asset for asset in requested if asset not in known]
    chosen = kept or default
    return chosen, unknown_notice(unknown, comparing(chosen)) if unknown else None


def comparing(assets: Sequence[str]) -> str:
    return f"comparing {', '.join(assets)}"


def keep_one(ticked: Sequence[str], shown: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    """(assets to compare, notice or None) after the compare page's checkboxes changed to
    `ticked` while it showed `shown`: unticking the last asset is refused, with a notice
    saying why, since there would be nothing to compare."""
    if ticked or not shown:
        return tuple(ticked), None
    return tuple(shown), f"The compare page needs at least one asset — still {comparing(shown)}."


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
