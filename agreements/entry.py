"""The `agreements` command's entry point: answers --version before loading anything else.

The cycle collector is off for the whole of a command, here and only here: a command is
one short process, its records hold no cycles, and a bulk import or a full scan makes
millions of containers that collecting would walk again and again for nothing.
"""

import gc
import os
import sys

from agreements import __version__
from agreements.errors import ExitCode


def main() -> None:
    if sys.stderr is None:  # `2>&-`: what would be said goes nowhere, as asked
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115, PTH123
    if sys.stdout is None:  # `>&-`: no file to write to, as for `ls >&-`
        sys.stderr.write("Error: standard output is closed (send it to a file or a pipe)\n")
        sys.exit(ExitCode.IO)
    if sys.argv[1:] == ["--version"]:
        try:
            print(f"agreements {__version__}", flush=True)
        except BrokenPipeError:  # `agreements --version | true`: as for every command
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except OSError as error:  # `> /dev/full`
            sys.stderr.write(f"Error: cannot write to standard output: {error.strerror}\n")
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(ExitCode.IO)
        return
    gc.disable()
    from agreements.cli import main as run

    run()
