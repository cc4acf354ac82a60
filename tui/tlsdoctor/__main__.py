"""`python -m tlsdoctor` runs the same entry point as the console script."""

from tlsdoctor.cli import main

raise SystemExit(main())
