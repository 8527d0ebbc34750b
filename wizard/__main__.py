"""`python -m wizard` runs the same entry point as the `wallet-wizard` script."""

from wizard.cli import main

raise SystemExit(main())
