"""The support message: composed from the evidence, kept in the outbox, delivered once.

Core code: no Textual import here (the UI imports this package, never the other way round).
"""
