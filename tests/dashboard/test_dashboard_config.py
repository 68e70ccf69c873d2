"""Dashboard settings from the environment."""

from __future__ import annotations

import pytest

from dashboard import config


def test_local_defaults():
    settings = config.load()
    assert (settings.host, settings.port, settings.debug) == ("127.0.0.1", 8050, False)
    assert settings.cache_ttl_seconds == 60
    assert settings.stale_after_hours == 12  # two 6-hour slots
    assert settings.max_points == 1000
    assert (settings.web_concurrency, settings.log_level) == (2, "INFO")
    assert settings.store.table_name == "bitcoin-snapshots"
    assert settings.api_max_rows == 100_000


def test_environment_overrides(monkeypatch):
    for name, value in {
        "HOST": "10.0.0.5",
        "PORT": "9000",
        "DASH_DEBUG": "1",
        "CACHE_TTL_SECONDS": "5",
        "SLOT_HOURS": "3",
        "MAX_CHART_POINTS": "500",
        "WEB_CONCURRENCY": "3",
        "LOG_LEVEL": "warning",
        "API_MAX_ROWS": "5000",
    }.items():
        monkeypatch.setenv(name, value)
    settings = config.load()
    assert (settings.host, settings.port, settings.debug) == ("10.0.0.5", 9000, True)
    assert settings.cache_ttl_seconds == 5
    assert settings.stale_after_hours == 6  # follows the slot length unless set
    assert settings.max_points == 500
    assert (settings.web_concurrency, settings.log_level) == (3, "WARNING")
    assert settings.api_max_rows == 5000


def test_debug_needs_exactly_1(monkeypatch):
    monkeypatch.setenv("DASH_DEBUG", "true")
    assert config.load().debug is False


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "http"),
        ("PORT", "0"),
        ("CACHE_TTL_SECONDS", "-1"),
        ("CACHE_TTL_SECONDS", "0"),  # the page's refresh timer would never pause
        ("MAX_CHART_POINTS", "2"),
        ("MAX_CHART_POINTS", "5001"),  # past what SVG draws smoothly
        ("WEB_CONCURRENCY", "0"),
        ("LOG_LEVEL", "loud"),
        ("API_MAX_ROWS", "0"),
        ("API_MAX_ROWS", "all"),
    ],
)
def test_bad_values_are_refused_by_name(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        config.load()
