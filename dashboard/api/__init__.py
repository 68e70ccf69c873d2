"""The read-only data API (/api/v1): routes, parameters, pages of rows, bodies, caching and
its OpenAPI document, each in a module of its own; `register` mounts it on the server."""

from dashboard.api.routes import register

__all__ = ["register"]
