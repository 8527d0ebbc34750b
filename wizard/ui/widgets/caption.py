"""Caption: a piece of catalog text that follows the wizard's language."""

from __future__ import annotations

from dataclasses import dataclass

from wizard.i18n import t
from wizard.ui.widgets.prose import Prose


@dataclass(frozen=True)
class Words:
    """A parameter that is itself catalog text: re-read in each new language, not frozen in
    the language the caption was first drawn in."""

    key: str


def words(lang: str, key: str, params: dict[str, object]) -> str:
    """`key` in `lang`, with every `Words` parameter read in `lang` too."""
    filled = {
        name: t(lang, value.key) if isinstance(value, Words) else value
        for name, value in params.items()
    }
    return t(lang, key, **filled)


class Caption(Prose):
    """Catalog text (`ui.*` key) rendered literally; re-read from the catalog on `localize`.

    Parameters are filled by `t()`, which sanitizes them, and the result is shown as
    literal text, so neither the catalog nor a parameter can inject markup.
    """

    def __init__(
        self,
        key: str,
        *,
        lang: str,
        id: str | None = None,
        classes: str | None = None,
        **params: object,
    ) -> None:
        self.key = key
        self.params = params
        self.lang = lang
        super().__init__(self._text(), id=id, classes=classes)

    def _text(self) -> str:
        return words(self.lang, self.key, self.params) if self.key else ""

    def set_key(self, key: str, **params: object) -> None:
        """Show another catalog entry (or the same one with new parameters)."""
        self.key = key
        self.params = params
        self.show(self._text())

    def localize(self, lang: str) -> None:
        """Re-read the text in `lang`."""
        self.lang = lang
        self.show(self._text())
