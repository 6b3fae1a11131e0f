"""A writer process for the batch-atomicity harness (``tests/test_batch_crash.py``).

    python tests/bulk_writer.py STORE MODE BATCHES DOCS_PER_BATCH QUADS_PER_DOC

writes ``BATCHES`` batches of ``DOCS_PER_BATCH`` new documents, each a named graph of ``QUADS_PER_DOC``
quads, through pyoxigraph's bulk path: ``MODE`` is ``extend`` (``Store.bulk_extend``, one call per batch)
or ``load`` (``Store.bulk_load`` of the batch as N-Quads bytes, one call per batch). After each batch it
prints ``done N`` (batches committed). ``STORE.open`` is touched once the batches are made and the store exists
(a read-only open while RocksDB is still creating the store fails, and is no read of the data); the
writing phase starts there. The content of every
document is a function of its number (:func:`document_quads`), so the harness knows what a whole document
is without keeping a reference store.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pyoxigraph as ox

BASE = "http://example.org/batch/"


def graph_name(doc: int) -> str:
    return f"{BASE}doc/{doc:06d}"


def document_quads(doc: int, quads_per_doc: int) -> list[ox.Quad]:
    """Document ``doc``: ``quads_per_doc`` quads in its own graph (IRIs, a literal, a typed literal)."""
    g = ox.NamedNode(graph_name(doc))
    subject = ox.NamedNode(f"{BASE}event/{doc}")
    out = []
    for j in range(quads_per_doc):
        obj: ox.NamedNode | ox.Literal
        if j % 3 == 0:
            obj = ox.NamedNode(f"{BASE}actor/{(doc * 7 + j) % 97}")
        elif j % 3 == 1:
            obj = ox.Literal(f"evidence sentence {j} of document {doc}")
        else:
            obj = ox.Literal(str(doc * 1000 + j), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        out.append(ox.Quad(subject, ox.NamedNode(f"{BASE}p{j}"), obj, g))
    return out


def expected_graph(doc: int, quads_per_doc: int) -> frozenset[str]:
    return frozenset(str(q.triple) for q in document_quads(doc, quads_per_doc))


def main(argv: list[str]) -> None:
    store_path, mode, batches, per_batch, per_doc = argv[0], argv[1], *map(int, argv[2:5])
    # Every batch is made before the store is opened, so that the writing phase is all store work: the
    # harness's kill moments are drawn within it.
    made = [[q for d in range(b * per_batch, (b + 1) * per_batch) for q in document_quads(d, per_doc)]
            for b in range(batches)]
    store = ox.Store(store_path)
    Path(store_path + ".open").touch()  # created: readers may open it now (not while RocksDB creates it)
    for b, quads in enumerate(made):
        if mode == "extend":
            store.bulk_extend(quads)
        else:
            data = "".join(f"{q} .\n" for q in quads).encode("utf-8")
            store.bulk_load(input=io.BytesIO(data), format=ox.RdfFormat.N_QUADS)
        print(f"done {b + 1}", flush=True)
    store.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
