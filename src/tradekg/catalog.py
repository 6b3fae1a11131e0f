"""What a store holds: its documents, each with title, publisher, date, events and size."""

from __future__ import annotations

from typing import Any

from tradekg.backend import Backend
from tradekg.namespaces import TKDOC_IRI
from tradekg.output import to_python

# One query lists the documents with their metadata; a second counts every graph's triples. The event
# classes are a list from the ontology (%s): with a path (?c rdfs:subClassOf* tk:Event) in the OPTIONAL,
# Virtuoso 7.2 counted one event per document.
_DOCUMENTS = f"""
SELECT ?doc ?title ?publisher ?date (COUNT(DISTINCT ?e) AS ?events) WHERE {{
  GRAPH ?doc {{ ?doc a tk:NewsArticle }}
  FILTER(STRSTARTS(STR(?doc), "{TKDOC_IRI}"))
  OPTIONAL {{ GRAPH ?doc {{ ?doc dcterms:title ?title }} }}
  OPTIONAL {{ GRAPH ?doc {{ ?doc dcterms:date ?date }} }}
  OPTIONAL {{ {{ GRAPH ?doc {{ ?doc tk:publisherName ?publisher }} }} UNION
             {{ GRAPH ?doc {{ ?doc tk:publisher ?pub }} GRAPH ?pg {{ ?pub skos:prefLabel ?publisher }} }} }}
  OPTIONAL {{ GRAPH ?doc {{ ?e tk:source ?doc ; a ?c }} FILTER(?c IN (%s)) }}
}} GROUP BY ?doc ?title ?publisher ?date ORDER BY ?date ?doc"""
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def list_documents(backend: Backend) -> list[dict[str, Any]]:
    """One row per ingested document: id, title, publisher, date, events, triples (ordered by date, id).

    >>> import tempfile
    >>> from tradekg.store_open import StoreOpener
    >>> with StoreOpener(tempfile.mkdtemp() + "/s").reader() as backend:
    ...     list_documents(backend)
    []
    """
    from tradekg.kinds import event_kinds

    classes = ", ".join(f"<{k.iri}>" for k in event_kinds().values())
    rows = backend.query(_DOCUMENTS % classes, union=False).rows
    sizes = {str(to_python(r["g"])): int(to_python(r["n"])) for r in backend.query(_GRAPH_SIZES, union=False).rows}
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        iri = str(to_python(r["doc"]))
        if iri not in out:
            out[iri] = {
                "id": iri[len(TKDOC_IRI):], "title": to_python(r.get("title")),
                "publisher": to_python(r.get("publisher")), "date": to_python(r.get("date")),
                "events": to_python(r.get("events")), "triples": sizes.get(iri, 0),
            }
    return list(out.values())
