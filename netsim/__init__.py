"""Simulate a Docker host's networking: replay docker commands, inspect the result."""

__version__ = "0.1.0"
