"""schemathesis fuzzes the API from its own OpenAPI document, in process and offline: no 5xx,
and no status, header, content type or body the document does not describe.

The document is built at import (schemathesis' lazy fixture loader does not run under this
pytest); the first test shows it is byte for byte what /api/v1/openapi.json serves.
"""

from __future__ import annotations

import json

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from dashboard.api import openapi, params
from dashboard.config import DEFAULT_API_MAX_ROWS

# An OPTIONS without the preflight headers is no malformed preflight but a plain OPTIONS,
# which the document answers with 405 (the API is read-only); elsewhere the usual statuses.
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-method": "OPTIONS",
                "checks": {"missing_required_header": {"expected-statuses": [405]}},
            }
        ]
    }
)
schema = schemathesis.openapi.from_dict(openapi.document(DEFAULT_API_MAX_ROWS), config=CONFIG)


def breaks_a_rule_stated_in_words(query: dict | None) -> bool:
    """The combinations the document states in words but a schema cannot: `from` after
    `to`, and `fields` of the other kind of row. The API answers both with a 400."""
    query = query or {}
    try:
        if (
            params.parse_bound("from", query["from"]).seconds
            > params.parse_bound("to", query["to"]).seconds
        ):
            return True
    except (KeyError, TypeError, params.BadParameter):
        pass
    fields = query.get("fields")
    fields = fields.split(",") if isinstance(fields, str) else fields
    daily = str(query.get("interval")).lower() == "1d"
    allowed = params.DAILY_FIELDS if daily else params.SNAPSHOT_FIELDS
    return isinstance(fields, list) and not set(fields) <= {params.TIME, *allowed}


def test_the_fuzzed_document_is_the_served_one(client):
    served = client.get("/api/v1/openapi.json").get_data()
    assert json.loads(served) == openapi.document(DEFAULT_API_MAX_ROWS)


@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_own_document(case, server, seeded):
    # schemathesis' WSGI transport does not decode a compressed body (compression has its
    # own contract test), so ask for none.
    # Every check runs on every case; only "valid data is accepted" is waived for the
    # combinations the API rightly refuses though each parameter alone is valid.
    excluded = [positive_data_acceptance] if breaks_a_rule_stated_in_words(case.query) else []
    case.call_and_validate(
        app=server, headers={"Accept-Encoding": "identity"}, excluded_checks=excluded
    )
