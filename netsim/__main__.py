"""Run the netsim command line: ``python -m netsim``."""

from netsim.cli import main

raise SystemExit(main())
