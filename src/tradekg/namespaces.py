"""The IRIs tradekg mints and the standard vocabularies it aligns with."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

TK = Namespace("https://w3id.org/tradekg/ontology#")
TKID = Namespace("https://w3id.org/tradekg/id/")
TKDOC = Namespace("https://w3id.org/tradekg/doc/")
TKG = Namespace("https://w3id.org/tradekg/graph/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")

ONTOLOGY_GRAPH = TKG.ontology
GAZETTEER_GRAPH = TKG.gazetteer
META_GRAPH = TKG.meta

#: Prefixes declared in every query, export and shape file.
PREFIXES: dict[str, str] = {
    "tk": str(TK),
    "tkid": str(TKID),
    "tkdoc": str(TKDOC),
    "tkg": str(TKG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "sem": str(SEM),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "org": str(ORG),
    "sh": str(SH),
}


def document_iri(doc_id: str):
    """The IRI of a document, which is also the name of its graph.

    >>> str(document_iri("us-japan-first-round-2025-04"))
    'https://w3id.org/tradekg/doc/us-japan-first-round-2025-04'
    """
    return TKDOC[doc_id]


def sparql_prologue() -> str:
    """PREFIX lines for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
