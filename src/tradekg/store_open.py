"""Opening a store for one call: a folder (Oxigraph) or an endpoint URL, with its system graphs current.

A store is opened per call, read-write (holding the lock) only for the length of a write, read-only
otherwise, so readers never wait for a writer and a second writer is told the store is busy. Either way the
caller gets a :class:`~tradekg.backend.Backend` and never needs to know which one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from tradekg.backend import Backend
from tradekg.errors import InputError, StoreBusyError, UsageError
from tradekg.system_graphs import refresh_system_graphs, stored_fingerprint, system_fingerprint


@runtime_checkable
class Indexed(Protocol):
    """A writer that keeps the answer index (:class:`tradekg.index.backend.IndexedOxigraphBackend`)."""

    def system_updates(self) -> AbstractContextManager[None]: ...
    def reconcile_index(self) -> dict[str, Any]: ...


def is_endpoint(location: str) -> bool:
    """True when the store is a SPARQL endpoint, not a folder.

    >>> is_endpoint("http://127.0.0.1:7878"), is_endpoint("tradekg-store")
    (True, False)
    """
    return location.startswith(("http://", "https://"))


class StoreOpener:
    """Opens the store at ``location`` with the packaged ontology and gazetteer, plus the user's gazetteer files:
    ``gazetteers``, then those ``$TRADEKG_GAZETTEER`` names. A file that does not exist is an InputError.

    >>> import tempfile
    >>> opener = StoreOpener(tempfile.mkdtemp() + "/s")
    >>> with opener.reader() as backend:           # a new store is created, its system graphs loaded
    ...     backend.count() > 1000
    True
    """

    def __init__(self, location: str, gazetteers: Sequence[str | os.PathLike[str]] = ()) -> None:
        self.location = location
        env = [p for p in os.environ.get("TRADEKG_GAZETTEER", "").split(os.pathsep) if p]
        self.gazetteers = [*map(Path, gazetteers), *map(Path, env)]
        for p in self.gazetteers:
            if not p.is_file():
                raise InputError("gazetteer file not found", path=p)
        self.remote = is_endpoint(location)

    @cached_property
    def fingerprint(self) -> str:
        """The digest the store's system graphs must carry to be current."""
        return system_fingerprint(self.gazetteers)

    def backend(self, writable: bool) -> Backend:
        """The store opened as it is, with no refresh: an endpoint, or the folder read-write or read-only."""
        if self.remote:
            try:
                from tradekg.store_remote import RemoteBackend
            except ImportError:
                raise UsageError(f"SPARQL endpoints are not supported by this version: {self.location}") from None
            return RemoteBackend(self.location)
        from tradekg.store import OxigraphBackend

        return OxigraphBackend(self.location, writable=writable)

    @contextmanager
    def writer(self) -> Iterator[Backend]:
        """The store opened read-write (the lock held) with its system graphs up to date; a local store's
        answer index (:mod:`tradekg.index`) is checked and repaired as it opens, and follows every write."""
        if self.remote:
            backend = self.backend(writable=True)
        else:
            from tradekg.index.backend import IndexedOxigraphBackend

            backend = IndexedOxigraphBackend(self.location, self.fingerprint)
        try:
            if isinstance(backend, Indexed):
                with backend.system_updates():
                    refresh_system_graphs(backend, self.gazetteers)
                backend.reconcile_index()
            else:
                refresh_system_graphs(backend, self.gazetteers)
            yield backend
        finally:
            backend.close()

    @contextmanager
    def reader(self) -> Iterator[Backend]:
        """The store opened read-only; created, or its system graphs refreshed, first if need be."""
        if not self.remote and not Path(self.location, "CURRENT").exists():
            with self.writer():
                pass
        backend = self.backend(writable=False)
        try:
            if stored_fingerprint(backend) != self.fingerprint:
                backend.close()
                try:
                    with self.writer():
                        pass
                except StoreBusyError:
                    pass  # a writer holds the store and refreshes the system graphs itself
                backend = self.backend(writable=False)
            yield backend
        finally:
            backend.close()
