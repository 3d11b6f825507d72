"""Component styles from app.tcss, resolved so they can be layered over other styles."""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def layer_style(widget: Widget, component: str) -> Style:
    """The attributes a component class sets, with translucent colours blended.

    A partial style keeps only what the class sets (so it layers over the cursor or a
    relation colour), but its colours are not blended with the background; the full style's
    colours are, so take those for the colours the class sets.
    """
    partial = widget.get_component_rich_style(component, partial=True)
    if partial.color is None and partial.bgcolor is None:
        return partial
    full = widget.get_component_rich_style(component)
    return partial + Style(
        color=full.color if partial.color is not None else None,
        bgcolor=full.bgcolor if partial.bgcolor is not None else None,
    )
