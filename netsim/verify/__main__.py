"""Run the real-engine harness: ``python -m netsim.verify setup|run|record|compare``."""

from netsim.verify.cli import main

raise SystemExit(main())
