"""The CoinMarketCap API key: from Secrets Manager in AWS, from the environment locally.

With CMC_API_KEY_SECRET_ARN set, the secret is read once per Lambda container and cached
across warm invocations. Its value may be the plain key or a JSON object
{"CMC_API_KEY": "<key>"} (the form the console's key/value editor produces). Otherwise
CMC_API_KEY is used. The key is registered with the log redactor and never logged.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from ingest.config import Settings
from ingest.errors import ConfigError
from ingest.logs import register_secret

JSON_FIELD = "CMC_API_KEY"
_cache: dict[str, str] = {}


def api_key(settings: Settings, client: Any = None) -> str:
    if settings.cmc_api_key_secret_arn:
        arn = settings.cmc_api_key_secret_arn
        if arn not in _cache:
            _cache[arn] = _from_secret(arn, client or boto3.client("secretsmanager"))
        key = _cache[arn]
    elif settings.cmc_api_key:
        key = settings.cmc_api_key.strip()
    else:
        raise ConfigError(
            "no CoinMarketCap API key: set CMC_API_KEY, or CMC_API_KEY_SECRET_ARN to a "
            "Secrets Manager secret holding it"
        )
    register_secret(key)
    return key


def _from_secret(arn: str, client: Any) -> str:
    try:
        value = client.get_secret_value(SecretId=arn).get("SecretString") or ""
    except (ClientError, BotoCoreError) as exc:
        code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else str(exc)
        raise ConfigError(
            f"could not read the CoinMarketCap key from secret {arn}: {code}"
        ) from None
    value = value.strip()
    if value.startswith("{"):
        try:
            value = str(json.loads(value).get(JSON_FIELD) or "").strip()
        except (ValueError, AttributeError):
            value = ""
        if not value:
            raise ConfigError(f"secret {arn} is JSON but has no {JSON_FIELD} field")
    if not value:
        raise ConfigError(f"secret {arn} is empty")
    return value


def clear_cache() -> None:
    """Forget cached keys (tests; a rotated secret is picked up by the next cold start)."""
    _cache.clear()
