"""The label index kept between runs: read from the cache while the store is unchanged, built otherwise,
and the caches of older versions and deleted stores pruned."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tradekg.ask.labels import LabelIndex, _build_index
from tradekg.ask.patterns import CACHE_VERSION, _read_cache, _write_cache, cache_dir


def _store_signature(location: str) -> str | None:
    """A digest of an on-disk store's files (names, sizes, times): any write changes it. None if remote.

    Opening a store read-only writes nothing, so readers do not invalidate it; a writer's LOG files are left
    out for the same reason.
    """
    import hashlib

    p = Path(location)
    if not (p / "CURRENT").is_file():
        return None
    try:
        parts = sorted(
            f"{e.name}:{st.st_size}:{st.st_mtime_ns}"
            for e in os.scandir(p) if not e.name.startswith(("LOG", "LOCK")) and e.is_file()
            for st in (e.stat(),)
        )
    except OSError:
        return None
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def label_index(kg: Any, backend: Any) -> LabelIndex:
    """The store's label index, from the cache when the store has not changed since it was built."""
    import hashlib

    location = str(getattr(kg, "location", ""))
    sig = _store_signature(location) if location else None
    name = f"ask-index-{CACHE_VERSION}-{hashlib.sha256(os.path.abspath(location).encode()).hexdigest()[:24]}.json"
    if sig:
        data = _read_cache(name)
        if isinstance(data, dict) and data.get("signature") == sig:
            try:
                return LabelIndex.from_data(data)
            except (KeyError, TypeError, ValueError):
                pass
    index = _build_index(backend)
    if sig:
        _write_cache(name, {"signature": sig, **index.to_data()})
        _prune_index_caches(name, os.path.abspath(location))
    return index


_INDEX_STORES = "ask-index-stores.txt"  # "file name<TAB>store folder" per line, for pruning


def _prune_index_caches(written: str, location: str) -> None:
    """Remove the label-index files of older versions and of stores that no longer exist.

    Every store ever asked leaves one file (100 MB for a 100k-document store before entities were
    grouped), named by a hash of its path; a small list of which file belongs to which folder lets the
    next write find the ones whose store is gone. Best effort, like the cache itself.
    """
    d = cache_dir()
    listed: dict[str, str] = {}
    try:
        for line in (d / _INDEX_STORES).read_text(encoding="utf-8").splitlines():
            file, _, folder = line.partition("\t")
            listed[file] = folder
    except OSError:
        pass
    listed[written] = location
    try:
        for f in d.glob("ask-index-*.json"):
            owner = listed.get(f.name)
            old_version = not f.name.startswith(f"ask-index-{CACHE_VERSION}-")
            if old_version or (owner is not None and not (Path(owner) / "CURRENT").is_file()):
                f.unlink(missing_ok=True)
                listed.pop(f.name, None)
        listed = {k: v for k, v in listed.items() if (d / k).is_file()}
        tmp = d / f".{_INDEX_STORES}.{os.getpid()}.tmp"
        tmp.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(listed.items())), encoding="utf-8")
        os.replace(tmp, d / _INDEX_STORES)
    except OSError:
        pass

