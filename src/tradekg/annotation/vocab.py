"""What the ontology says about the YAML an annotation is written in, looked up once per vocabulary.

YAML keys are the ontology's local property names and ``type`` values its class names, so the builder
keeps no list of fields: :func:`property_of` and :func:`classes_below` ask the vocabulary and cache the
answer. The IRIs the builder writes itself (types, labels, evidence) are named here in pyoxigraph form.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..namespaces import SCHEMA, TK
from ..terms import to_ox
from ..vocabulary import Vocabulary

# The pyoxigraph forms of the IRIs the builder writes itself.
TYPE, LABEL, PREF_LABEL, ALT_LABEL = (to_ox(t) for t in (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel))
TITLE, DATE, LANGUAGE, URL = (to_ox(t) for t in (DCTERMS.title, DCTERMS.date, DCTERMS.language, SCHEMA.url))
XSD_DATE, XSD_ANY_URI = str(XSD.date), str(XSD.anyURI)
NEWS_ARTICLE, EVIDENCE_CLASS, CURATED = (to_ox(TK[n]) for n in ("NewsArticle", "Evidence", "Curated"))
PUBLISHER, PUBLISHER_NAME, FULL_TEXT, MENTIONS, SOURCE = (
    to_ox(TK[n]) for n in ("publisher", "publisherName", "fullText", "mentions", "source")
)
ROUND_OF, NAMES, QUOTE, IN_ARTICLE, START, END, EVIDENCE, EXTRACTION_METHOD = (
    to_ox(TK[n]) for n in (
        "roundOf", "names", "quote", "inArticle", "startOffset", "endOffset", "evidence", "extractionMethod"
    )
)
EVENT, STATISTIC, NEGOTIATION, ROUND, ACTOR = (
    TK.Event, TK.Statistic, TK.Negotiation, TK.NegotiationRound, TK.Actor
)


class Property:
    """What the builder needs to know about one YAML key that names an ontology property, looked up once."""

    __slots__ = ("rdf", "node", "is_object", "enumeration", "datatype", "inverse")

    def __init__(self, vocab: Vocabulary, prop: URIRef) -> None:
        self.rdf, self.node = prop, to_ox(prop)
        self.is_object = vocab.is_object_property(prop)
        enum = vocab.enumeration(prop) if self.is_object else None
        self.enumeration = {name: (iri, to_ox(iri)) for name, iri in enum.items()} if enum is not None else None
        self.datatype = str(vocab.datatype(prop))
        inverse = vocab.inverses.get(prop)
        self.inverse = to_ox(inverse) if inverse is not None else None


# Per vocabulary (there is one per process): key -> Property, or None for a key that is no property.
_PROPERTIES: dict[int, tuple[Vocabulary, dict[str, Property | None]]] = {}


def property_of(vocab: Vocabulary, key: str) -> Property | None:
    entry = _PROPERTIES.get(id(vocab))
    if entry is None or entry[0] is not vocab:
        entry = _PROPERTIES[id(vocab)] = (vocab, {})
    known = entry[1]
    if key not in known:
        prop = vocab.property(key)
        known[key] = Property(vocab, prop) if prop is not None else None
    return known[key]


_CLASSES: dict[tuple[int, URIRef | None], tuple[Vocabulary, dict[str, tuple[URIRef, ox.NamedNode]]]] = {}


def classes_below(vocab: Vocabulary, base: URIRef | None) -> dict[str, tuple[URIRef, ox.NamedNode]]:
    """Type name -> (IRI, pyoxigraph IRI) of the classes an entry of a section may have (None: concepts)."""
    entry = _CLASSES.get((id(vocab), base))
    if entry is None or entry[0] is not vocab:
        if base is None:
            named = {
                **vocab.subclasses_of(TK.TradeItem), **vocab.subclasses_of(TK.NonTariffBarrier),
                **vocab.subclasses_of(TK.Artifact), **vocab.subclasses_of(TK.Place), "Concept": SKOS.Concept,
            }
        else:
            named = vocab.subclasses_of(base)
        entry = _CLASSES[(id(vocab), base)] = (vocab, {name: (iri, to_ox(iri)) for name, iri in named.items()})
    return entry[1]


def local_name(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
