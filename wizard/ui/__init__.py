"""The Textual wizard: the only package of wallet-wizard that imports Textual."""
