"""The `agreements` command's entry point: answers --version before loading anything else."""

import sys

from agreements import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"agreements {__version__}")
        return
    from agreements.cli import main as run

    run()
