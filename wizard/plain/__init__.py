"""The wizard as a line-by-line conversation (`wallet-wizard --plain`, and under TERM=dumb).

For screen readers, dumb terminals, serial consoles and SSH from a phone: the same flow, the
same engine (the registry's checks through the runner, the gating rules of wizard.gating,
the support message, the outbox and its courier), and only whole lines of text. Textual is
never imported here (tests/unit/test_import_hygiene.py).
"""
