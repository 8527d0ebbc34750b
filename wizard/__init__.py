"""wallet-wizard: find out why a wallet refuses to update a phone number or email."""

__version__ = "0.1.0"
TOOL_NAME = "wallet-wizard"
