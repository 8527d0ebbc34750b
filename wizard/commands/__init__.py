"""One module a command; each exposes `run_*(args) -> exit status`."""
