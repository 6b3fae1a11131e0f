"""The IRIs tradekg mints and the standard vocabularies it aligns with.

The plain-string constants (``TK_IRI``, ``ONTOLOGY_GRAPH_IRI``, :data:`PREFIXES` …) cost nothing to import;
the rdflib objects (``TK``, ``TKDOC``, ``ONTOLOGY_GRAPH`` …) are built on first use, so commands that never
touch rdflib (query, ask) start without importing it.
"""

from __future__ import annotations

from typing import Any

TK_IRI = "https://w3id.org/tradekg/ontology#"
TKID_IRI = "https://w3id.org/tradekg/id/"
TKDOC_IRI = "https://w3id.org/tradekg/doc/"
TKG_IRI = "https://w3id.org/tradekg/graph/"
SEM_IRI = "http://semanticweb.cs.vu.nl/2009/11/sem/"
SCHEMA_IRI = "https://schema.org/"

ONTOLOGY_GRAPH_IRI = TKG_IRI + "ontology"
GAZETTEER_GRAPH_IRI = TKG_IRI + "gazetteer"
META_GRAPH_IRI = TKG_IRI + "meta"

#: Prefixes declared in every query, export and shape file.
PREFIXES: dict[str, str] = {
    "tk": TK_IRI,
    "tkid": TKID_IRI,
    "tkdoc": TKDOC_IRI,
    "tkg": TKG_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "sem": SEM_IRI,
    "schema": SCHEMA_IRI,
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "sh": "http://www.w3.org/ns/shacl#",
}

_NAMESPACES = {"TK": TK_IRI, "TKID": TKID_IRI, "TKDOC": TKDOC_IRI, "TKG": TKG_IRI, "SEM": SEM_IRI,
               "SCHEMA": SCHEMA_IRI}
_GRAPHS = {"ONTOLOGY_GRAPH": ONTOLOGY_GRAPH_IRI, "GAZETTEER_GRAPH": GAZETTEER_GRAPH_IRI,
           "META_GRAPH": META_GRAPH_IRI}


def __getattr__(name: str) -> Any:
    # PEP 562: the rdflib-typed names, created (and rdflib imported) only when someone asks for them.
    if name in _NAMESPACES:
        from rdflib import Namespace

        value: Any = Namespace(_NAMESPACES[name])
    elif name in _GRAPHS:
        from rdflib import URIRef

        value = URIRef(_GRAPHS[name])
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def document_iri(doc_id: str) -> Any:
    """The IRI (an rdflib ``URIRef``) of a document, which is also the name of its graph.

    >>> str(document_iri("us-japan-first-round-2025-04"))
    'https://w3id.org/tradekg/doc/us-japan-first-round-2025-04'
    """
    from rdflib import URIRef

    return URIRef(TKDOC_IRI + doc_id)


def sparql_prologue() -> str:
    """PREFIX lines for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
