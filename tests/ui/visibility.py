"""Is a widget really on screen? Above the fold, whole, uncovered and drawn — not merely in the DOM.

Textual 8.2.8 keeps every widget of a scrolled container laid out, so `query_one` finds a
line that no one can see without scrolling. `not_visible(widget)` answers with the
compositor, which decides what reaches the terminal:

1. the widget is in the screen's layout (`Screen.find_widget`: displayed, with every
   ancestor displayed);
2. its region lies inside its clip — the intersection of the visible areas of every
   container around it, scroll containers at their current `scroll_offset` included — and
   inside the screen;
3. its content fits its region: the height the text needs at its width (what `height:
   auto` would give it) is not more than it has, so no line is cut off by a fixed height;
4. nothing covers it: `Screen.get_widget_at` finds the widget itself (or a child of it) on
   every row of its region, at both edges;
5. it is drawn: each row of the screen as the compositor renders it (`render_strips`, the
   cells a terminal would show) holds, at the widget's place, exactly the line the widget
   renders there.

`screen_text(app)` gives the whole rendered screen as text, one line a row (for messages).
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.errors import NoWidget
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


def screen_lines(app: App[Any]) -> list[str]:
    """The current screen as the terminal shows it: one string a row, trailing blanks cut."""
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


def screen_text(app: App[Any]) -> str:
    """The rendered screen as one string (for failure messages)."""
    return "\n".join(screen_lines(app))


def not_visible(widget: Widget) -> str | None:
    """Why `widget` is not entirely visible without scrolling, or None when it is.

    A container is judged by its own place (checks 1, 2 and 4) and by every widget drawn
    inside it (all five checks). See the module docstring. Call it after `pilot.pause()`,
    so the layout is current.
    """
    reason = _placed(widget)
    if reason is not None:
        return reason
    drawn = widget.screen._compositor.render_strips()
    if not widget.is_container:
        return _drawn(widget, drawn)
    for inner in widget.query("*"):
        if inner.is_container or inner not in inner.screen._compositor:
            continue  # containers are judged by what they hold; hidden ones hold nothing
        reason = _placed(inner) or _drawn(inner, drawn)
        if reason is not None:
            return f"has {_name(inner)}, which {reason}"
    return None


def _placed(widget: Widget) -> str | None:
    """Checks 1, 2 and 4: laid out, inside its clip and the screen, and not covered."""
    screen = widget.screen
    try:
        geometry = screen.find_widget(widget)
    except NoWidget:
        return "is not displayed (not in the screen's layout)"
    region, clip = geometry.region, geometry.clip
    if region.area == 0:
        return f"has no size ({region})"
    if not clip.contains_region(region):
        shown = region.intersection(clip)
        return (
            f"is cut off by its container: rows {region.y}–{region.bottom - 1} needed, "
            f"{_rows(shown)} visible"
        )
    if not screen.region.contains_region(region):
        return f"is outside the {screen.size.width}×{screen.size.height} screen ({region})"
    for y in range(region.y, region.bottom):
        for x in (region.x, region.right - 1):
            found, _ = screen.get_widget_at(x, y)
            if found is not widget and widget not in found.ancestors:
                return f"is covered at ({x}, {y}) by {_name(found)}"
    return None


def _drawn(widget: Widget, drawn: list[Strip]) -> str | None:
    """Checks 3 and 5: its text fits its height, and the screen (`drawn`, the compositor's
    rows) shows what it renders."""
    screen = widget.screen
    region = screen.find_widget(widget).region
    content = widget.content_region
    if content.width > 0:
        needed = widget.get_content_height(content.size, screen.size, content.width)
        if needed > content.height:
            return f"needs {needed} lines at width {content.width}, has {content.height}"
    own = widget.render_lines(Region(0, 0, region.width, region.height))
    for row, line in enumerate(own):
        y = region.y + row
        on_screen = drawn[y].crop(region.x, region.right).text.rstrip()
        if on_screen != line.text.rstrip():
            return f"row {y} shows {on_screen!r}, not its line {line.text.rstrip()!r}"
    return None


def _rows(region: Region) -> str:
    if region.area == 0:
        return "none"
    return f"rows {region.y}–{region.bottom - 1}"


def _name(widget: Widget) -> str:
    return f"#{widget.id}" if widget.id else type(widget).__name__
