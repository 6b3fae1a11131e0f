"""A corpus of small hostile input files, and the helpers the reliability tests share.

The files beside this module are hand-made attacks (see ``README.md`` here); a file holding ``@PORT@``
is a template: the test writes a copy with the port of a local :class:`Listener`, so that any attempt to
fetch from the network is seen as a connection instead of silently failing. Big hostile inputs (the
100 MB file, the alias bombs' expansions) are generated at test time in a temporary folder.

Helpers: :func:`run_tradekg` runs the real command in a child process and measures its time and peak
memory; :func:`dump_store` reads a store's quads per graph so tests can compare before and after;
:func:`make_variants` writes valid variants of the seed annotation with their own document ids.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
ROOT = CORPUS.parent.parent
SEED_YAML = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"
SEED_TXT = ROOT / "seeds" / "us-japan-first-round-2025-04.txt"
SEED_ID = "us-japan-first-round-2025-04"
TKDOC = "https://w3id.org/tradekg/doc/"
SYSTEM_GRAPHS = frozenset({
    "https://w3id.org/tradekg/graph/ontology",
    "https://w3id.org/tradekg/graph/gazetteer",
    "https://w3id.org/tradekg/graph/meta",
})
#: Address-space cap for a child under test: tradekg needs ~0.5 GB of address space, a bomb needs more.
MEMORY_LIMIT = 1536 * 1024 * 1024


def tradekg_cmd(*args: str | os.PathLike[str]) -> list[str]:
    """The command line that runs tradekg with this interpreter (the project's venv in CI)."""
    return [sys.executable, "-m", "tradekg", *map(str, args)]


@dataclass
class Run:
    """What one tradekg process did: exit code, output, wall time, peak memory, and whether it was killed."""

    code: int
    out: str
    err: str
    seconds: float
    max_rss_mb: float
    timed_out: bool = False

    def assert_clean(self) -> None:
        """No traceback and no internal error: every failure must be a message a user can act on."""
        assert "Traceback" not in self.err, self.err[-3000:]
        assert "internal error" not in self.err, self.err[-3000:]
        assert not self.timed_out, f"timed out after {self.seconds:.1f} s"


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child tradekg: no debug tracebacks, no gazetteer from the caller's shell."""
    env = {k: v for k, v in os.environ.items() if k not in ("TRADEKG_DEBUG", "TRADEKG_GAZETTEER", "TRADEKG_STORE")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def run_tradekg(
    *args: str | os.PathLike[str],
    timeout: float = 120,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    memory_limit: int | None = MEMORY_LIMIT,
    cwd: str | os.PathLike[str] | None = None,
) -> Run:
    """Run ``tradekg ARGS`` in a child process; kill it after ``timeout`` s; measure time and peak RSS.

    The child runs under ``RLIMIT_AS`` so that a memory bomb fails inside it instead of on the machine.
    """
    # The command runs under a small middle process (peak.py) that applies the limit and measures the
    # peak: measured from here, the child would report this test runner's own peak memory.
    import tempfile

    with tempfile.NamedTemporaryFile(prefix="tradekg-peak-", delete=False) as peak_file:
        peak_path = peak_file.name
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(CORPUS / "peak.py"), peak_path, str(memory_limit or 0), *tradekg_cmd(*args)],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(env), cwd=cwd, start_new_session=True,
    )
    chunks: dict[str, bytes] = {}

    def pump(name: str, stream) -> None:
        chunks[name] = stream.read()

    readers = [threading.Thread(target=pump, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    proc.wait()
    timer.cancel()
    for t in readers:
        t.join()
    try:
        peak_kib = int(Path(peak_path).read_text() or 0)
    except ValueError:
        peak_kib = 0  # killed before the middle process could write it
    finally:
        os.unlink(peak_path)
    return Run(
        proc.returncode, chunks.get("out", b"").decode("utf-8", "replace"),
        chunks.get("err", b"").decode("utf-8", "replace"), time.monotonic() - start,
        peak_kib / 1024, killed.is_set(),
    )


def start_tradekg(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start ``tradekg ARGS`` without waiting (for kill and concurrency tests).

    Output is discarded and stderr goes to a temporary file (``proc.stderr_file``): a pipe nobody reads
    would fill up with warnings and stall the process.
    """
    import tempfile

    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        tradekg_cmd(*args), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
        env=child_env(env), start_new_session=True,
    )
    proc.stderr_file = err  # type: ignore[attr-defined]
    return proc


def stderr_of(proc: subprocess.Popen[bytes]) -> str:
    """What a process started by :func:`start_tradekg` wrote to stderr."""
    f = proc.stderr_file  # type: ignore[attr-defined]
    f.seek(0)
    return f.read().decode("utf-8", "replace")


def sigkill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and anything it started (its session), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


# --- store contents ------------------------------------------------------------------------------------


Dump = dict[str, frozenset[str]]


def dump_store(path: str | os.PathLike[str]) -> Dump:
    """Every graph of the store and its quads as N-Triples lines (opened read-only: takes no lock).

    Document graphs hold no blank nodes, so equal sets mean equal (isomorphic) graphs; a blank node in a
    document graph fails :func:`assert_no_bnodes` instead of comparing wrongly.
    """
    import pyoxigraph as ox

    store = ox.Store.read_only(os.fspath(path))
    try:
        graphs: dict[str, set[str]] = {}
        for q in store:
            name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            graphs.setdefault(name, set()).add(str(q.triple))
        return {g: frozenset(ts) for g, ts in graphs.items()}
    finally:
        del store


def documents_in(dump: Dump) -> dict[str, frozenset[str]]:
    """Only the document graphs of a dump, keyed by document id."""
    return {g[len(TKDOC):]: ts for g, ts in dump.items() if g.startswith(TKDOC)}


def system_part(dump: Dump) -> Dump:
    """Only the system graphs (ontology, gazetteer, meta) of a dump."""
    return {g: ts for g, ts in dump.items() if g in SYSTEM_GRAPHS}


def document_part(dump: Dump) -> Dump:
    """Everything but the system graphs: these follow the packaged ontology and gazetteer files, which
    may legitimately change between two commands, so tests compare them separately."""
    return {g: ts for g, ts in dump.items() if g not in SYSTEM_GRAPHS}


def assert_no_bnodes(dump: Dump) -> None:
    """Document graphs are written without blank nodes; comparing them as sets relies on it."""
    for g, ts in dump.items():
        if g.startswith(TKDOC):
            assert not any(" _:" in t or t.startswith("_:") for t in ts), f"blank nodes in {g}"


def copy_store(src: Path, dst: Path) -> Path:
    """A private copy of a closed store."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("LOCK"))
    return dst


# --- inputs -----------------------------------------------------------------------------------------------


def seed_yaml_text() -> str:
    """The seed annotation with its article text inline (``text:``), so a copy works from any folder."""
    import json

    text = SEED_YAML.read_text(encoding="utf-8")
    article = json.dumps(SEED_TXT.read_text(encoding="utf-8"), ensure_ascii=False)  # a valid YAML scalar too
    inline = text.replace(f"text_file: {SEED_TXT.name}", f"text: {article}")
    assert inline != text
    return inline


def variant_yaml(i: int, tag: str = "v1") -> tuple[str, str]:
    """A valid variant of the seed annotation: its own document id, title and one summary."""
    doc_id = f"variant-{i:03d}"
    text = seed_yaml_text().replace(f"  id: {SEED_ID}\n", f"  id: {doc_id}\n", 1)
    assert doc_id in text
    text = text.replace(
        'title: "Automobiles, produce', f'title: "[{doc_id} {tag}] Automobiles, produce', 1
    ).replace(
        "summary: Akazawa met President Trump", f"summary: ({tag} {i}) Akazawa met President Trump", 1
    )
    return doc_id, text


def make_variants(folder: Path, ids: Iterable[int], tag: str = "v1") -> dict[str, Path]:
    """Write variants ``ids`` of the seed into ``folder``; return document id → file."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for i in ids:
        doc_id, text = variant_yaml(i, tag)
        path = folder / f"{doc_id}.yaml"
        path.write_text(text, encoding="utf-8")
        out[doc_id] = path
    return out


# --- the network tripwire ----------------------------------------------------------------------------------


@dataclass
class Listener:
    """A local TCP socket that records every connection made to it: the proof that nothing was fetched.

    Point URLs at ``http://127.0.0.1:<port>/`` and set ``http_proxy``/``https_proxy`` to it (``env``),
    so that a fetch of any URL, local or not, ends up here.
    """

    port: int = 0
    connections: list[bytes] = field(default_factory=list)

    def __enter__(self) -> Listener:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    data = conn.recv(4096)
                except OSError:
                    data = b""
                self.connections.append(data or b"<connected>")
                # Answer like a server would, so that a client that did connect goes on to use the data.
                body = b'{"@context": {"name": "http://schema.org/name"}}'
                try:
                    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/ld+json\r\nContent-Length: "
                                 + str(len(body)).encode() + b"\r\n\r\n" + body)
                except OSError:
                    pass

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        self._sock.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """Proxy variables that send every HTTP(S) fetch of the child to this listener."""
        proxy = self.url
        return {"http_proxy": proxy, "https_proxy": proxy, "HTTP_PROXY": proxy, "HTTPS_PROXY": proxy,
                "all_proxy": proxy, "ALL_PROXY": proxy, "no_proxy": "", "NO_PROXY": ""}
