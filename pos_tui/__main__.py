"""`python -m pos_tui` is the `pos` command."""

from pos_tui.cli.main import main

raise SystemExit(main())
