"""The `agreements` command: parse options, call the core, render, map errors to exit codes."""

from agreements.cli import records, reports, safety, sectors, transfer  # noqa: F401  (registers commands)
from agreements.cli.app import app, main

__all__ = ["app", "main"]
