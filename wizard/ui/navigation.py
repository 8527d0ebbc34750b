"""Messages a screen sends up to the App: where to go, which language, start over."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message as TextualMessage

if TYPE_CHECKING:
    from wizard.support.message import Message


class Navigate(TextualMessage):
    """Show another screen of the flow ("welcome", "network", …, "done")."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target


class ChangeLanguage(TextualMessage):
    """Switch every screen to another language."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang


class ChooseWallet(TextualMessage):
    """Welcome's wallet picker: check this catalog wallet ("" for another wallet)."""

    def __init__(self, wallet_id: str) -> None:
        super().__init__()
        self.wallet_id = wallet_id


class StartOver(TextualMessage):
    """Forget this person's session and go back to Welcome."""


class SendRequested(TextualMessage):
    """The person pressed Send on this message: save it to the outbox, then deliver it."""

    def __init__(self, message: Message) -> None:
        super().__init__()
        self.message = message
