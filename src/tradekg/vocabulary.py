"""What the ontology says about its own terms, indexed for the annotation loader.

The loader is driven by the ontology rather than by lists in code: a YAML key is a property's local name,
its kind (reference or literal) and datatype come from the ontology, and so do the event classes and the
named individuals of enumerations (reporting status, comparison). A new event type or property is added
to ``ontology/tradekg.ttl`` and the loader knows it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from .namespaces import TK


@dataclass
class Vocabulary:
    """An index of the ontology's classes, properties and enumerations."""

    classes: dict[str, URIRef] = field(default_factory=dict)
    object_properties: dict[str, URIRef] = field(default_factory=dict)
    datatype_properties: dict[str, URIRef] = field(default_factory=dict)
    ranges: dict[URIRef, URIRef] = field(default_factory=dict)
    inverses: dict[URIRef, URIRef] = field(default_factory=dict)
    superclasses: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    individuals: dict[URIRef, dict[str, URIRef]] = field(default_factory=dict)
    _subclass_cache: dict[URIRef, dict[str, URIRef]] = field(default_factory=dict, repr=False)

    def is_object_property(self, prop: URIRef) -> bool:
        """True for properties whose values are resources (references), not literals."""
        return prop in self._object_property_iris

    @functools.cached_property
    def _object_property_iris(self) -> frozenset[URIRef]:
        return frozenset(self.object_properties.values())

    def is_subclass(self, cls: URIRef, of: URIRef) -> bool:
        """True when ``cls`` is ``of`` or one of its (transitive) subclasses."""
        return cls == of or of in self.superclasses.get(cls, set())

    def subclasses_of(self, of: URIRef) -> dict[str, URIRef]:
        """Local name → IRI of every class that is ``of`` or below it."""
        if of not in self._subclass_cache:
            self._subclass_cache[of] = {name: iri for name, iri in self.classes.items() if self.is_subclass(iri, of)}
        return self._subclass_cache[of]

    def property(self, key: str) -> URIRef | None:
        """The tk: property whose local name is ``key``, if the ontology declares one."""
        return self.object_properties.get(key) or self.datatype_properties.get(key)

    def datatype(self, prop: URIRef) -> URIRef:
        """The XSD datatype literals of ``prop`` take (xsd:string when the ontology gives none)."""
        rng = self.ranges.get(prop)
        if rng is not None and str(rng).startswith(str(XSD)):
            return rng
        return XSD.string

    def enumeration(self, prop: URIRef) -> dict[str, URIRef] | None:
        """For a property whose range is an enumeration class, its members by normalized name."""
        rng = self.ranges.get(prop)
        return self.individuals.get(rng) if rng is not None else None


def normalize_name(text: str) -> str:
    """Fold case, spaces, hyphens and underscores so "machine-extracted" matches tk:MachineExtracted."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def build_vocabulary(ontology: Graph) -> Vocabulary:
    """Index an ontology graph (see :func:`load_vocabulary` for the packaged one)."""
    vocab = Vocabulary()
    tk = str(TK)

    def local(iri: URIRef) -> str | None:
        s = str(iri)
        return s[len(tk):] if s.startswith(tk) else None

    for cls in set(ontology.subjects(RDF.type, OWL.Class)) | set(ontology.subjects(RDF.type, RDFS.Class)):
        if isinstance(cls, URIRef) and (name := local(cls)):
            vocab.classes[name] = cls
    for kind, target in (
        (OWL.ObjectProperty, vocab.object_properties),
        (OWL.DatatypeProperty, vocab.datatype_properties),
    ):
        for prop in ontology.subjects(RDF.type, kind):
            if isinstance(prop, URIRef) and (name := local(prop)):
                target[name] = prop
    for prop in list(vocab.object_properties.values()) + list(vocab.datatype_properties.values()):
        rng = ontology.value(prop, RDFS.range)
        if isinstance(rng, URIRef):
            vocab.ranges[prop] = rng
        inv = ontology.value(prop, OWL.inverseOf)
        if isinstance(inv, URIRef):
            vocab.inverses[prop] = inv
            vocab.inverses.setdefault(inv, prop)
    for cls in vocab.classes.values():
        vocab.superclasses[cls] = {
            s for s in ontology.transitive_objects(cls, RDFS.subClassOf) if isinstance(s, URIRef) and s != cls
        }
    for cls in vocab.classes.values():
        members: dict[str, URIRef] = {}
        for ind in ontology.subjects(RDF.type, cls):
            if not isinstance(ind, URIRef) or ind in vocab.classes.values():
                continue
            if name := local(ind):
                members[normalize_name(name)] = ind
            for label in (*ontology.objects(ind, RDFS.label), *ontology.objects(ind, SKOS.prefLabel)):
                members[normalize_name(str(label))] = ind
        if members:
            vocab.individuals[cls] = members
    return vocab


@functools.cache
def load_vocabulary() -> Vocabulary:
    """The index of the packaged ontology, built once per process."""
    from .resources import load_ontology

    return build_vocabulary(load_ontology())
