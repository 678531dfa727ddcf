"""The ``framing`` command line: one module per command over the library."""

from framing.cli.main import main

__all__ = ["main"]
