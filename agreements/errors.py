"""The failures a user can meet, each with its own exit code."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    BAD_INPUT = 2
    NOT_FOUND = 3
    BUSY = 4
    CORRUPT = 5
    IO = 6
    NEEDS_EXTRA = 7
    """A feature needs an optional dependency that is not installed, such as `pdf`."""
    SOMETHING_DUE = 10
    """Not a failure: `due --exit-code` found something that needs attention."""
    INTERRUPTED = 130
    PIPE_CLOSED = 141
    """The reader of the output closed it early, as `| head` does (128 + SIGPIPE)."""


class AgreementsError(Exception):
    """An expected failure: the CLI prints it as one `Error: …` line."""

    exit_code = ExitCode.INTERNAL

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InvalidInput(AgreementsError):
    """The user gave a value the register cannot accept."""

    exit_code = ExitCode.BAD_INPUT


class NotFound(AgreementsError):
    exit_code = ExitCode.NOT_FOUND


class DatabaseBusy(AgreementsError):
    exit_code = ExitCode.BUSY


class CorruptDatabase(AgreementsError):
    exit_code = ExitCode.CORRUPT


class StorageFailure(AgreementsError):
    """The database could not be read or written for a reason of the system."""

    exit_code = ExitCode.IO


class NeedsExtra(AgreementsError):
    """A command needs an optional extra of the package that is not installed."""

    exit_code = ExitCode.NEEDS_EXTRA
