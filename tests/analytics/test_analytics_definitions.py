"""The metric definitions: one constant each, all listed, and docs/analytics.md in step."""

from __future__ import annotations

from pathlib import Path

from dashboard.analytics import definitions

DOCS = Path(__file__).resolve().parents[2] / "docs" / "analytics.md"
START, END = "<!-- definitions:start -->\n", "<!-- definitions:end -->"


def test_every_definition_is_listed_once():
    constants = {
        name: value
        for name, value in vars(definitions).items()
        if name.isupper() and not name.startswith("_") and isinstance(value, str)
    }
    assert sorted(constants.values()) == sorted(definitions.DEFINITIONS.values())
    assert all(text.strip() == text and text.endswith(".") for text in constants.values())


def test_the_docs_hold_the_definitions_as_the_module_words_them():
    text = DOCS.read_text(encoding="utf-8")
    listed = text[text.index(START) + len(START) : text.index(END)]
    assert listed == definitions.as_markdown(), (
        "docs/analytics.md is out of date: paste `python -m dashboard.analytics.definitions`"
    )
