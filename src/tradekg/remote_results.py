"""Reading what a SPARQL server answers: SPARQL JSON results, N-Triples, and literals in one spelling.

Servers answer the same data in different spellings; this module reads them all into pyoxigraph terms:
Virtuoso labels blank nodes ``nodeID://b10001`` in JSON results and says ``typed-literal``; servers keep
numbers by value (``"14900000000.0"`` comes back as ``"14900000000"``, ``"1.5E0"`` as ``"1.5"``) and
language tags in lower case, which :func:`canonical` folds so that "does the graph already hold this?" does
not depend on the spelling.
"""

from __future__ import annotations

import decimal
import json
import re
from typing import Any

import pyoxigraph as ox

from tradekg.errors import RemoteStoreError
from tradekg.store import RawResult, Term

_EXCERPT = 300
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DECIMAL = _XSD + "decimal"
_FLOATS = (_XSD + "double", _XSD + "float")


def excerpt(body: bytes) -> str:
    """The start of a response body on one line, for an error message."""
    text = " ".join(body.decode("utf-8", "replace").split())
    return text[:_EXCERPT] + ("…" if len(text) > _EXCERPT else "")


def canonical(t: ox.Triple) -> str:
    """A triple as N-Triples with numbers in one canonical spelling.

    Servers store numbers by value, so comparing what a graph holds with what would be written must not
    depend on the spelling.

    >>> a = ox.NamedNode("http://e/a")
    >>> canonical(ox.Triple(a, a, ox.Literal("10.50", datatype=ox.NamedNode(_DECIMAL))))
    '<http://e/a> <http://e/a> "10.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> canonical(ox.Triple(a, a, ox.Literal("1.5E0", datatype=ox.NamedNode(_XSD + "double"))))
    '<http://e/a> <http://e/a> "1.5"^^<http://www.w3.org/2001/XMLSchema#double>'
    """
    o = t.object
    if not isinstance(o, ox.Literal):
        return str(t)
    text: str | None = None
    if o.datatype.value == _DECIMAL:
        try:
            value = decimal.Decimal(o.value)
        except decimal.InvalidOperation:
            return str(t)
        if value.is_finite():
            text = format(value.normalize(), "f")
    elif o.datatype.value in _FLOATS:
        try:
            text = repr(float(o.value))
        except ValueError:
            return str(t)
    if text is None:
        return str(t)
    return str(ox.Triple(t.subject, t.predicate, ox.Literal(text, datatype=o.datatype)))


def has_bnode(t: ox.Triple) -> bool:
    """True when the triple's subject or object is a blank node."""
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def parse_ntriples(body: bytes) -> list[ox.Quad]:
    """N-Triples from a server, as quads in the default graph."""
    try:
        return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as err:
        raise RemoteStoreError(f"the endpoint sent N-Triples that do not parse: {err}") from None


def parse_result(ctype: str, body: bytes, limit: int | None) -> RawResult:
    """A query's answer from its content type: N-Triples or another RDF syntax, else SPARQL JSON results."""
    mime = ctype.split(";", 1)[0].strip().lower()
    if mime in ("application/n-triples", "text/plain", "application/n-quads"):
        out = RawResult("graph")
        for q in parse_ntriples(body):
            if limit is not None and len(out.triples) >= limit:
                out.truncated = True
                break
            out.triples.append(q.triple)
        return out
    if mime in ("text/turtle", "application/rdf+xml", "application/ld+json"):
        fmt = ox.RdfFormat.from_media_type(mime)
        try:
            triples = [q.triple for q in ox.parse(body, format=fmt)] if fmt else []
        except SyntaxError as err:
            raise RemoteStoreError(f"the endpoint sent {mime} that does not parse: {err}") from None
        cut = limit is not None and len(triples) > limit
        return RawResult("graph", triples=triples[:limit] if cut else triples, truncated=cut)
    try:
        doc = json.loads(body)
    except ValueError:
        raise RemoteStoreError(
            f"the endpoint answered {mime or 'no content type'}, not SPARQL results: {excerpt(body)}"
        ) from None
    if not isinstance(doc, dict):
        raise RemoteStoreError(f"the endpoint answered JSON that is not SPARQL results: {excerpt(body)}")
    if "boolean" in doc:
        return RawResult("ask", boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    out = RawResult("select", variables=names)
    for binding in doc.get("results", {}).get("bindings", []):
        if limit is not None and len(out.rows) >= limit:
            out.truncated = True
            break
        out.rows.append({n: _term(binding.get(n)) for n in names})
    return out


def _term(d: dict[str, Any] | None) -> Term | None:
    """A term from the SPARQL-JSON encoding, tolerant of what real endpoints send."""
    if d is None:
        return None
    kind = d.get("type")
    value = d.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return _blank(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in d:
            return ox.Literal(value, language=d["xml:lang"])
        if d.get("datatype"):
            return ox.Literal(value, datatype=ox.NamedNode(d["datatype"]))
        return ox.Literal(value)
    # An RDF 1.2 triple term or an unknown kind: keep its text so a row never fails to print.
    return ox.Literal(json.dumps(value) if not isinstance(value, str) else value)


def _blank(label: str) -> ox.BlankNode:
    # Virtuoso labels blank nodes "nodeID://b10001", which is not a blank node label: keep its letters.
    if not label:
        return ox.BlankNode()
    try:
        return ox.BlankNode(label)
    except ValueError:
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", label.removeprefix("nodeID://")) or None)
