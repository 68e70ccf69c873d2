"""HTTP caching for the data API: strong ETags, conditional GETs and Cache-Control.

An ETag is a hash of what the body is written from (the rows' values, the exact texts used,
whether a next page follows), the normalised query and the source of the code that writes
it, so equal tags always mean equal bytes, on every worker and across deploys, and a
conditional GET is answered without writing the body. flask-compress appends `:gzip` (or
`:br`, …) to a strong tag on compressed responses, as a strong validator must differ per
encoding; `If-None-Match` is matched against those forms too.

Cache-Control follows the data's cadence: a range that ends before the newest snapshot only
changes if history is rewritten, so it may be kept a day; anything that reaches the newest
snapshot may change when the next one is due (one schedule slot after it, plus the worker
cache's TTL), so it is kept until then and at least one TTL; while the store is failing, one
TTL. Clients revalidate cheaply with the ETag either way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from werkzeug.datastructures import ETags

from dashboard import export
from dashboard.analytics import daily
from dashboard.api import serialize, tables

# Encodings flask-compress may append to a strong ETag.
ENCODINGS = ("gzip", "br", "zstd", "deflate")
CLOSED_MAX_AGE = 24 * 3600
DOCUMENT_MAX_AGE = 3600
NO_STORE = "no-store"
_WRITERS = (export, tables, serialize, daily)
_CODE = hashlib.blake2b(
    b"".join(Path(module.__file__ or "").read_bytes() for module in _WRITERS), digest_size=8
).hexdigest()


def etag(*parts: str) -> str:
    """The (unquoted) strong ETag of a body written from `parts` by this code."""
    hasher = hashlib.blake2b(_CODE.encode(), digest_size=16)
    for part in parts:
        hasher.update(b"\0" + part.encode())
    return hasher.hexdigest()


def matched(if_none_match: ETags, tag: str) -> str | None:
    """The form of `tag` the client already holds (If-None-Match, weak comparison), if any."""
    if if_none_match.star_tag:
        return tag
    for variant in (tag, *(f"{tag}:{encoding}" for encoding in ENCODINGS)):
        if if_none_match.contains_weak(variant):
            return variant
    return None


def max_age(
    newest: int | None,
    range_end: int | None,
    *,
    stale: bool,
    slot_seconds: float,
    ttl_seconds: float,
    now: float,
) -> int:
    """Seconds a response may be reused (see the module docstring)."""
    floor = max(1, int(ttl_seconds))
    if stale or newest is None:
        return floor
    if range_end is not None and range_end < newest:
        return CLOSED_MAX_AGE
    due = newest + slot_seconds + ttl_seconds - now
    return int(min(max(due, floor), max(slot_seconds, floor)))


def cache_control(seconds: int) -> str:
    return f"public, max-age={seconds}"
