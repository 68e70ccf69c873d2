"""The local store keeps data across a restart: the promise `make run` makes to maintainers."""

from decimal import Decimal

import boto3
import pytest

from ingest.schema import table_definition
from tools.dynalite import LocalStore

pytestmark = pytest.mark.integration


def test_data_survives_a_store_restart(tmp_path, monkeypatch):
    with LocalStore(path=tmp_path / "db") as store:
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", store.endpoint)
        table = boto3.resource("dynamodb").create_table(**table_definition("restart-test"))
        table.put_item(Item={"asset": "bitcoin", "ts": 1, "price": Decimal("1.5")})
    with LocalStore(port=store.port, path=tmp_path / "db"):
        item = (
            boto3.resource("dynamodb")
            .Table("restart-test")
            .get_item(Key={"asset": "bitcoin", "ts": 1})["Item"]
        )
    assert item["price"] == Decimal("1.5")
