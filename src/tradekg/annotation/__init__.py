"""Annotation documents: one article's curated facts, read into the triples of one graph named by the document.

The human-friendly form is YAML (see ``docs/annotation.md``); Turtle, TriG and JSON-LD are accepted too.
YAML keys are the ontology's local property names, so the loader needs no list of fields of its own and
a validation finding's field is the key the user wrote. The loader only builds triples and remembers
lines; whether the document is *valid* is for the SHACL shapes to say (``tradekg.validate``).

A YAML document is built directly as pyoxigraph terms: they are constructed in Rust, validated and written
to the store as they are, where building an rdflib graph and converting it cost most of a bulk ingest.
``Document.graph`` still gives the rdflib graph, built on first use, for the code that wants one.

The package follows the loader's flow: :mod:`.files` finds and reads document files, :mod:`.loading`
picks the parser by format, and for YAML the :mod:`.builder` runs the stages in the order the sections
must be read: :mod:`.document_section` (the article), :mod:`.declarations` (local ids, negotiations,
actors, concepts), :mod:`.statements` (events with their roles, statistics, evidence), each building its
resources' fields through :mod:`.fields` from what :mod:`.vocab` finds in the ontology, on the state
they share (:mod:`.state`). The result is a :class:`~.document.Document`.
"""

from __future__ import annotations

from .document import Document, Term, Triple
from .files import MAX_DOCUMENT_BYTES, SUFFIXES, iter_document_paths, read_text
from .loading import load_annotation, load_document

__all__ = [
    "MAX_DOCUMENT_BYTES", "SUFFIXES", "Document", "Term", "Triple", "iter_document_paths", "load_annotation",
    "load_document", "read_text",
]
