"""LocalizedFooter: the key bindings, described in the wizard's language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from wizard.i18n import t
from wizard.ui.textual_private import FooterKey


class LocalizedFooter(Footer):
    """A Footer whose binding descriptions are catalog keys (`ui.keys.*`), read in `lang`.

    Textual's bindings are declared once per class, so their descriptions hold catalog keys
    and are translated here, each time the footer is drawn.
    """

    def __init__(self, *, lang: str) -> None:
        super().__init__(show_command_palette=False)
        self.lang = lang
        # One redraw for any number of changes before the next refresh: the mount and the
        # screen's first bindings signal arrive together, and each redraw restyles every key.
        self._redraw_pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Redraw on every bindings change, whether or not the app has focus.

        Textual's footer skips redrawing while the app is blurred; a browser session
        (`wallet-wizard serve`) starts blurred, and its first screen would have no keys.
        """
        self._bindings_ready = True
        if self.is_attached and screen is self.screen and not self._redraw_pending:
            self._redraw_pending = True
            self.call_after_refresh(self._redraw)

    async def _redraw(self) -> None:
        self._redraw_pending = False
        await self.recompose()

    def on_mount(self) -> None:
        """Draw the keys now, not only on the next change of bindings.

        A footer recomposed into a screen already shown (Start over, a kiosk wipe) would
        otherwise stay empty: the screen's bindings did not change, so no signal would come.
        """
        self.bindings_changed(self.screen)

    def compose(self) -> ComposeResult:
        """Textual's footer keys, with their descriptions looked up in the catalog."""
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description.startswith(("ui.", "staff.")):
                widget.description = t(self.lang, widget.description)
            yield widget

    def localize(self, lang: str) -> None:
        """Redraw the keys in `lang`."""
        self.lang = lang
        if not self._redraw_pending:
            self._redraw_pending = True
            # call_next: in the footer's own message loop, which recompose (data_bind) needs.
            self.call_next(self._redraw)
