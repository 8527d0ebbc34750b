"""`python -m wizard` runs the same entry point as the `wallet-wizard` script."""

from wizard.launch import main

raise SystemExit(main())
