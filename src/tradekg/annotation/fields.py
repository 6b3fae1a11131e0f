"""Building terms from fields: one resource's YAML keys turned into triples, as the ontology says.

Every key of an actor, concept, negotiation, round, event or statistic is an ontology property (or a
label); its value becomes an enumeration member, a reference to a local id or the gazetteer, or a literal
of the property's datatype, keeping the lexical form the user wrote so that SHACL can report it.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import XSD

from ..terms import to_ox, typed_literal
from ..vocabulary import normalize_name
from ..yamlsafe import LinedDict
from .document import Term
from .state import BuildState
from .vocab import (
    ALT_LABEL,
    EXTRACTION_METHOD,
    LABEL,
    PREF_LABEL,
    TYPE,
    Property,
    classes_below,
    local_name,
    property_of,
)

_PLAIN_INTEGER = re.compile(r"^[+-]?\d+$")
# Keys the loader interprets itself; every other key must be an ontology property.
_SECTION_KEYS = {"id", "type", "evidence", "rounds"}
# Labels come from standard vocabularies, not tk:, so they are named here.
_LABEL_KEYS = {"label": (LABEL, PREF_LABEL), "altLabel": (ALT_LABEL,)}
_XSD_STRING, _XSD_BOOLEAN, _XSD_DECIMAL = str(XSD.string), str(XSD.boolean), str(XSD.decimal)


class Fields(BuildState):
    """Builds one resource and its ontology-driven fields."""

    def resource(
        self, node: ox.NamedNode, item: LinedDict, base: URIRef | None, what: str, default_type: str | None = None
    ) -> None:
        """One actor, concept (``base`` None), negotiation, round, event or statistic and its fields."""
        vocab, triples, lines = self.vocab, self.triples, self.lines
        lines[(node, None)] = item.line
        type_name = item.get("type", default_type)
        allowed = classes_below(vocab, base)
        cls = allowed.get(str(type_name)) if type_name is not None else None
        if cls is None:
            kinds = ", ".join(sorted(allowed))
            hint = self.suggest(str(type_name), allowed) if type_name else ""
            raise self.fail(
                f"{what} '{item.get('id', '')}' has {'unknown type ' + repr(type_name) if type_name else 'no type'}"
                f"{hint}; {what} types are: {kinds}",
                item.key_lines.get("type", item.line),
            )
        triples[(node, TYPE, cls[1])] = None
        lines[(node, TYPE)] = item.key_lines.get("type", item.line)
        for key, value in item.items():
            if key in _SECTION_KEYS:
                continue
            line = item.key_lines[key]
            if key in _LABEL_KEYS:
                for label in value if isinstance(value, list) else [value]:
                    for pred in _LABEL_KEYS[key]:
                        triples[(node, pred, ox.Literal(str(label)))] = None
                        lines[(node, pred)] = line
                continue
            prop = property_of(vocab, key)
            if prop is None:
                fields = sorted(set(vocab.object_properties) | set(vocab.datatype_properties))
                raise self.fail(
                    f"unknown field '{key}' in {what} '{item.get('id', '')}'{self.suggest(key, fields)}", line
                )
            pred = prop.node
            lines[(node, pred)] = line
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v is None:
                    continue
                obj = self.object_value(prop, key, v, line)
                triples[(node, pred, obj)] = None
                if pred == EXTRACTION_METHOD:
                    self.with_method.add(node)
                if prop.inverse is not None and isinstance(obj, ox.NamedNode):
                    triples[(obj, prop.inverse, node)] = None
                    lines.setdefault((obj, prop.inverse), line)

    def object_value(self, prop: Property, key: str, value: Any, line: int) -> Term:
        if prop.is_object:
            if isinstance(value, dict | list):
                raise self.fail(f"'{key}' takes ids (text), not a nested structure", line)
            if prop.enumeration is not None:
                member = prop.enumeration.get(normalize_name(str(value)))
                if member is None:
                    choices = ", ".join(sorted({local_name(iri) for iri, _node in prop.enumeration.values()}))
                    raise self.fail(f"'{value}' is not a valid {key}; choose one of {choices}", line)
                return member[1]
            return self.reference(str(value), key, line)
        datatype = prop.datatype
        if isinstance(value, dict | list):
            raise self.fail(f"'{key}' takes a single value, not a nested structure", line)
        if isinstance(value, bool) and datatype != _XSD_BOOLEAN:
            value = str(value).lower()
        if datatype == _XSD_STRING:
            return ox.Literal(str(value))
        # Keep the lexical form the user wrote; an ill-typed value is a SHACL finding, not a crash.
        lexical = str(value).lower() if isinstance(value, bool) else str(value)
        if datatype == _XSD_DECIMAL and _PLAIN_INTEGER.match(lexical):
            # The canonical decimal form has a point; without it Turtle round trips change the literal.
            lexical += ".0"
        return typed_literal(lexical, datatype)

    def reference(self, value: str, key: str, line: int) -> ox.NamedNode:
        local = self.local.get(value)
        if local is not None:
            return local
        iri = self.gaz.by_id(value) or self.gaz.resolve(value)
        if iri is not None:
            return to_ox(iri)
        if value.startswith(("http://", "https://")):
            return self.iri(value, line)
        known = list(self.local) + self.gazetteer_ids()
        raise self.fail(
            f"'{key}' refers to '{value}', which is neither an id in this document nor in the gazetteer"
            f"{self.suggest(value, known)}",
            line,
        )
