import pytest

from ingest import config


def test_defaults_need_no_environment():
    settings = config.load()
    assert settings.table_name == "bitcoin-snapshots"
    assert settings.assets == ("bitcoin",)
    assert settings.slot_seconds == 6 * 3600
    assert (settings.quote_max_ahead_minutes, settings.quote_max_age_hours) == (5, 24)


def test_assets_are_normalised_slugs(monkeypatch):
    monkeypatch.setenv("ASSETS", " Bitcoin, ethereum ,")
    assert config.load().assets == ("bitcoin", "ethereum")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ASSETS", " , ", "ASSETS must name at least one"),
        ("SLOT_HOURS", "0", "SLOT_HOURS must be greater than"),
        ("SLOT_HOURS", "0.0001", "SLOT_HOURS must be greater than"),
        ("SLOT_HOURS", "nan", "SLOT_HOURS must be greater than"),
        ("HTTP_TIMEOUT_SECONDS", "-1", "HTTP_TIMEOUT_SECONDS must be greater than 0"),
        ("QUOTE_MAX_AHEAD_MINUTES", "-5", "QUOTE_MAX_AHEAD_MINUTES must be greater than 0"),
        ("QUOTE_MAX_AGE_HOURS", "nan", "QUOTE_MAX_AGE_HOURS must be greater than 0"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        config.load()
