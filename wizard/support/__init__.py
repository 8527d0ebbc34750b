"""The support message: composed from the evidence, kept in the outbox, delivered once.

`message` composes it, `outbox` keeps it (with its `destination`), `courier` keeps retrying
it, `send` makes each attempt with the rules every help desk shares, and `desks/` holds one
module per kind of help desk behind the `HelpDesk` protocol.

Core code: no Textual import here (the UI imports this package, never the other way round).
"""
