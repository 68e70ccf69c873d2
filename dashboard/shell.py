"""The first paint: the page's HTML itself carries the header and the headline cards.

For the pages that show one asset's headline (the overview and analysis pages); the compare
page and unknown paths get Dash's own loading screen.

Dash draws a page only once its scripts (~1.3 MB) have run and the layout has come back, on
a cold browser cache a second or more after the HTML arrived. So the HTML of the page being
opened carries its header, messages and headline cards, rendered here on the server from the
very components the layout uses (layout.header/messages/cards, filled from
headline.first_paint): the price is on screen with the browser's first paint. A few lines of
script take the copy out as soon as Dash's own page is in the document (a MutationObserver,
so before that frame is painted), where the same cards sit in the same place. (A stylesheet
rule could only do it with `:has()`, and would leave a hidden second set of cards in the
document.) Ids get a prefix, so the copy never answers for the page's own components.

`to_html` draws the few component types the header and cards use: Dash's html components,
dcc.Link and these Bootstrap ones, with the classes dash-bootstrap-components gives them. Any
other raises, so a headline that grows a new kind of component fails the tests, not the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

import dash_bootstrap_components as dbc
from dash import html
from dash.development.base_component import Component

from dashboard import headline, ids, layout, routes

ID_PREFIX = "shell-"
# Removes the copy once Dash has put its page into the document, then stops.
SWAP = """<script>
(() => {
    const taken = () => {
        if (!document.getElementById(PAGE_ID)) return false;
        document.getElementById(SHELL_ID).remove();
        return true;
    };
    const watch = new MutationObserver(() => taken() && watch.disconnect());
    watch.observe(document.body, {childList: true, subtree: true});
})();
</script>"""
HTML_NAMESPACE = "dash_html_components"
COLUMN_BREAKPOINTS = ("xs", "sm", "md", "lg", "xl", "xxl")
_UPPER = re.compile(r"(?<!^)(?=[A-Z])")


def page_shell(path: str, search: str) -> str:
    """The headline of the page at `path` opened with query string `search` as HTML ("" for
    a page without one, or when there is none yet: an empty store, a worker still loading)."""
    if path not in routes.SINGLE_ASSET:
        return ""
    values = headline.first_paint(search)
    if not values:
        return ""
    container = dbc.Container([*layout.messages(), layout.cards()], fluid=True)
    body = html.Div([layout.header(path), container])
    layout.fill(body, values)
    swap = SWAP.replace("SHELL_ID", json.dumps(ids.PAGE_SHELL)).replace(
        "PAGE_ID", json.dumps(ids.PAGE)
    )
    return f'<div id="{ids.PAGE_SHELL}">{to_html(body)}</div>{swap}'


def to_html(node: Any) -> str:
    """A component tree (or text, or a list of them) as static HTML."""
    if node is None or node is False:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(to_html(child) for child in node)
    if isinstance(node, Component):
        props = node.to_plotly_json()["props"]
        if node._namespace == HTML_NAMESPACE:
            return _element(node._type.lower(), props, props.get("className"))
        draw = _COMPONENTS.get(node._type)
        if draw is None:
            raise TypeError(f"the page shell cannot draw {node._namespace}.{node._type}")
        return draw(props)
    return escape(str(node))


def _attributes(attributes: Mapping[str, Any]) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None or value is False or value == "":
            continue
        parts.append(name if value is True else f'{name}="{escape(str(value), quote=True)}"')
    return "".join(f" {part}" for part in parts)


def _style(style: Mapping[str, Any] | None) -> str | None:
    """React's style object as CSS (fontSize → font-size)."""
    if not style:
        return None
    return "; ".join(f"{_UPPER.sub('-', name).lower()}: {value}" for name, value in style.items())


def _element(
    tag: str,
    props: Mapping[str, Any],
    *classes: str | None,
    inner: str | None = None,
    **extra: Any,
) -> str:
    """`<tag>` with the component's id (prefixed), classes and style, around `inner` (by
    default the component's children)."""
    attributes = {
        "id": ID_PREFIX + props["id"] if props.get("id") else None,
        "class": " ".join(c for c in classes if c) or None,
        "style": _style(props.get("style")),
        **extra,
    }
    if inner is None:
        inner = to_html(props.get("children"))
    return f"<{tag}{_attributes(attributes)}>{inner}</{tag}>"


def _bootstrap_class(props: Mapping[str, Any]) -> str | None:
    return props.get("class_name") or props.get("className")


def _block(base: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda props: _element("div", props, _bootstrap_class(props), base)


def _container(props: Mapping[str, Any]) -> str:
    kind = "container-fluid" if props.get("fluid") else "container"
    return _element("div", props, _bootstrap_class(props), kind)


def _column(props: Mapping[str, Any]) -> str:
    sizes = []
    for breakpoint in COLUMN_BREAKPOINTS:
        size = props.get(breakpoint)
        if size is not None:
            infix = "" if breakpoint == "xs" else f"-{breakpoint}"
            sizes.append(f"col{infix}-{size}")
    return _element("div", props, _bootstrap_class(props), *(sizes or ["col"]))


def _badge(props: Mapping[str, Any]) -> str:
    text_color = props.get("text_color")
    return _element(
        "span",
        props,
        _bootstrap_class(props),
        "badge",
        "rounded-pill" if props.get("pill") else None,
        f"text-{text_color}" if text_color else None,
        f"bg-{props.get('color', 'primary')}",
    )


def _alert(props: Mapping[str, Any]) -> str:
    color = props.get("color", "success")
    classes = (_bootstrap_class(props), "fade", "alert", f"alert-{color}", "show")
    return _element("div", props, *classes, role="alert")


def _progress(props: Mapping[str, Any]) -> str:
    value = float(props.get("value") or 0)
    bar = _element(
        "div",
        {"children": props.get("label"), "style": {"width": f"{value:g}%"}},
        "progress-bar",
        role="progressbar",
        **{"aria-valuenow": f"{value:g}", "aria-valuemin": "0", "aria-valuemax": "100"},
    )
    return _element("div", props, _bootstrap_class(props), "progress", inner=bar)


def _switch(props: Mapping[str, Any]) -> str:
    control = ID_PREFIX + props["id"]
    checkbox = _attributes(
        {
            "id": control,
            "class": "form-check-input",
            "type": "checkbox",
            "checked": bool(props.get("value")),
        }
    )
    label = _element(
        "label",
        {"children": props.get("label")},
        "form-check-label",
        "form-label",
        **{"for": control},
    )
    inner = f"<input{checkbox}>{label}"
    return _element("div", {}, _bootstrap_class(props), "form-check", "form-switch", inner=inner)


def _link(props: Mapping[str, Any]) -> str:
    """dcc.Link: an anchor (Dash's script turns its clicks into in-page navigation)."""
    return _element("a", props, props.get("className"), href=props.get("href"))


_COMPONENTS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "Link": _link,
    "Container": _container,
    "Row": _block("row"),
    "Col": _column,
    "Card": _block("card"),
    "CardBody": _block("card-body"),
    "Badge": _badge,
    "Alert": _alert,
    "Progress": _progress,
    "Switch": _switch,
}
