"""Callbacks that fail politely: the visitor reads a plain sentence, the log gets the traceback.

Every server callback is registered through `guarded_callback`, which adds an error area as an
extra output: the frame's for the frame's callbacks, a page's own for that page's (Dash refuses
a callback whose outputs are only partly on the page shown). Dash's own error handling would
leave the page silently stale (or, in debug mode, show a stack trace); this way the failure
is visible and nothing internal leaks.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Output, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids

logger = logging.getLogger(__name__)

ERROR_KEY = "_error"
FAILURE_MESSAGE = (
    "Something went wrong while updating this view. The problem has been logged; "
    "reload the page or pick another range."
)


def arg_name(component_id: str) -> str:
    """A component id as a Python identifier, for dict-style callback inputs and outputs."""
    return component_id.replace("-", "_")


def failure_alert() -> dbc.Alert:
    return dbc.Alert(FAILURE_MESSAGE, color="danger", dismissable=True, class_name="mb-2")


def guard(
    func: Callable[..., Mapping[str, Any]], keys: Iterable[str], *, clear_error: bool = False
) -> Callable[..., dict[str, Any]]:
    """`func` returning {output key: value}, made total: missing keys become no_update, and an
    exception becomes a logged traceback plus a plain message in the error area."""
    keys = tuple(keys)

    @functools.wraps(func)
    def run(**arguments: Any) -> dict[str, Any]:
        try:
            result = func(**arguments)
        except PreventUpdate:
            raise
        except Exception:
            logger.exception("callback %s failed", func.__name__)
            failed: dict[str, Any] = dict.fromkeys(keys, no_update)
            failed[ERROR_KEY] = failure_alert()
            return failed
        values = {key: result.get(key, no_update) for key in keys}
        values[ERROR_KEY] = None if clear_error else no_update
        return values

    return run


def guarded_callback(
    app: Dash,
    *,
    output: Mapping[str, Output],
    inputs: Mapping[str, Any],
    state: Mapping[str, Any] | None = None,
    clear_error: bool = False,
    error_id: str = ids.ERROR,
    **kwargs: Any,
) -> Callable[[Callable[..., Mapping[str, Any]]], Callable[..., Mapping[str, Any]]]:
    """Register `func(**inputs, **state) -> {output key: value}` through `guard`, its failures
    shown in the area `error_id` (the frame's by default, a page's for a page's callbacks).

    `clear_error=True` lets a successful run remove an earlier failure message (the main
    render callbacks do this, so a transient fault does not stick once the view renders).
    """
    if kwargs.get("prevent_initial_call", False) is False:
        # Sharing the error output needs allow_duplicate, which needs this to run on load.
        kwargs["prevent_initial_call"] = "initial_duplicate"
    outputs = {**output, ERROR_KEY: Output(error_id, "children", allow_duplicate=True)}

    def decorate(func: Callable[..., Mapping[str, Any]]) -> Callable[..., Mapping[str, Any]]:
        run = guard(func, output, clear_error=clear_error)
        app.callback(output=outputs, inputs=dict(inputs), state=dict(state or {}), **kwargs)(run)
        return func

    return decorate
