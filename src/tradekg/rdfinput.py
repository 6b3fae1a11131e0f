"""Documents written directly in RDF (Turtle, TriG, JSON-LD), read offline.

Nothing here touches the network: ``owl:imports`` is an ordinary triple, and a JSON-LD document whose
``@context`` (or ``@import``) names a remote resource is refused before rdflib could fetch it. RDF/XML is
not accepted at all, which also closes the XML entity-expansion attacks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from .errors import InputError
from .namespaces import TK, TKDOC

# Relative IRIs would otherwise resolve against the working folder (file:///home/...), leaking a local path
# into the store and making the graph depend on where tradekg ran. They resolve here instead, and are refused.
_NO_BASE = "http://relative-iri.invalid/"

FORMATS = {".ttl": "turtle", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld"}


def parse_document(text: str, suffix: str, path: Path | None = None) -> tuple[URIRef, Graph]:
    """Parse one document's RDF and return its IRI and its graph (named by that IRI).

    The document is the one ``tk:NewsArticle`` under ``tkdoc:``; in TriG it must also be the one named
    graph.
    """
    fmt = FORMATS[suffix]
    if fmt == "json-ld":
        _refuse_remote_context(text, path)
    try:
        if fmt == "trig":
            ds = Dataset()
            ds.parse(data=text, format="trig", publicID=_NO_BASE)
            named = [g for g in ds.graphs() if g.identifier != ds.default_graph.identifier and len(g)]
            if len(ds.default_graph) or len(named) != 1:
                raise InputError(
                    f"a TriG document holds exactly one named graph (the document's); found {len(named)}"
                    + (" and triples in the default graph" if len(ds.default_graph) else ""),
                    path,
                )
            source = named[0]
        else:
            source = Graph()
            source.parse(data=text, format=fmt, publicID=_NO_BASE)
    except InputError:
        raise
    except RecursionError:
        raise InputError("the document is nested too deeply to read", path) from None
    except Exception as exc:  # rdflib's parsers raise many types; each becomes one readable message
        raise InputError(_parser_message(exc, fmt), path, getattr(exc, "lines", None)) from None
    articles = [
        s for s in source.subjects(RDF.type, TK.NewsArticle) if isinstance(s, URIRef) and str(s).startswith(str(TKDOC))
    ]
    if len(articles) != 1:
        raise InputError(
            f"an RDF document describes exactly one tk:NewsArticle whose IRI starts with {TKDOC}; "
            f"found {len(articles)}",
            path,
        )
    _check_iris(source, path)
    doc = articles[0]
    if fmt == "trig" and source.identifier != doc:
        raise InputError(f"the named graph <{source.identifier}> must be named by its article <{doc}>", path)
    graph = Graph(identifier=doc)
    for triple in source:
        graph.add(triple)
    return doc, graph


def _parser_message(exc: Exception, fmt: str) -> str:
    why = getattr(exc, "_why", None) or getattr(exc, "msg", None) or str(exc) or type(exc).__name__
    line = getattr(exc, "lines", None)
    where = f" (line {line})" if line else ""
    return f"not valid {fmt}{where}: {str(why).splitlines()[0][:300]}"


def _refuse_remote_context(text: str, path: Path | None) -> None:
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError("JSON nested too deeply", path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None

    def walk(node: Any, depth: int) -> None:
        if depth > 200:
            raise InputError("JSON-LD nested too deeply", path)
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import") and _names_remote(value):
                    raise InputError(
                        f"JSON-LD {key} refers to a remote document; tradekg works offline and only "
                        "accepts inline contexts",
                        path,
                    )
                walk(value, depth + 1)
        elif isinstance(node, list):
            for value in node:
                walk(value, depth + 1)

    walk(data, 0)


def _names_remote(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return any(isinstance(v, str) for v in value)
    return False


def _check_iris(graph: Graph, path: Path | None) -> None:
    """Refuse relative IRIs and IRIs the store would reject, naming the first one found."""
    import pyoxigraph as ox

    # Sorted, so that a document with several bad IRIs names the same one on every run (set order varies).
    iris = sorted({term for triple in graph for term in triple if isinstance(term, URIRef)})
    for term in iris:
        if str(term).startswith(_NO_BASE):
            raise InputError(
                f"relative IRI <{str(term)[len(_NO_BASE):]}>: write absolute IRIs (or declare @base)", path
            )
        try:
            ox.NamedNode(str(term))
        except ValueError:
            raise InputError(f"invalid IRI <{term}>", path) from None
