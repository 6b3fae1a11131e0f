"""Errors a user can act on. The CLI prints their message and exits with their code, never a traceback."""

from __future__ import annotations

from pathlib import Path


class TradekgError(Exception):
    """Base of every error tradekg reports to a user.

    ``exit_code`` is what the CLI exits with: 2 for bad usage or input, the default.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class InputError(TradekgError):
    """Input that cannot be read or parsed: a missing file, bad YAML, bad Turtle, not UTF-8."""


class UsageError(TradekgError):
    """A command or API call used wrongly: an unknown query name, a missing parameter."""


class StoreBusyError(TradekgError):
    """Another process holds the store's write lock."""


class QueryRefusedError(TradekgError):
    """A query that is not allowed here: an update, LOAD or SERVICE on a read-only path."""


class RemoteStoreError(TradekgError):
    """A SPARQL endpoint that failed, refused or did not answer in time."""
