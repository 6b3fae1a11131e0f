"""Running a named query with terms for the names of a question, and finding the counterparts it left out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tradekg.ask.labels import TKDOC_IRI, LabelIndex
from tradekg.ask.model import Answer, _Run
from tradekg.ask.patterns import Intent
from tradekg.ask.summary import _bound
from tradekg.ask.words import _FUNCTION_WORDS
from tradekg.resolve import tokenize

_COUNTERPART_QUERY = """
SELECT DISTINCT ?a ?b WHERE {
  %s
  ?e a %s ; %s ?a0 ; %s ?b0 .
  OPTIONAL { ?a0 tk:nationality|tk:affiliation ?ca . ?ca a tk:Country }
  OPTIONAL { ?b0 tk:nationality|tk:affiliation ?cb . ?cb a tk:Country }
  BIND(COALESCE(?ca, ?a0) AS ?a) BIND(COALESCE(?cb, ?b0) AS ?b)
} LIMIT 20"""

_GROUP_MEMBERS = """
SELECT DISTINCT ?s WHERE {
  VALUES ?l { %s }
  ?s skos:prefLabel|skos:altLabel|rdfs:label ?l .
  FILTER(STRSTARTS(STR(?s), "%s"))
}"""


def _terms(backend: Any, iris: Iterable[str], kind: str, index: LabelIndex) -> list[Any]:
    """The RDF terms for the IRIs of a mention: a gazetteer entity with its officials and bodies
    (``resolve_terms``), a group of document-local things (see :class:`LabelIndex`) as all its members."""
    import pyoxigraph as ox

    from tradekg.queries import resolve_terms

    out: dict[str, Any] = {}
    for iri in iris:
        ent = index.entities.get(iri)
        if ent is not None and ent.labels:
            values = " ".join(f"{ox.Literal(lab)} {ox.Literal(lab, language='en')}" for lab in ent.labels)
            for row in backend.query(_GROUP_MEMBERS % (values, TKDOC_IRI)).rows:
                if isinstance(row.get("s"), ox.NamedNode):
                    out[row["s"].value] = row["s"]
            continue
        for t in resolve_terms(backend, iri, kind):
            out[t.value] = t
    return [out[k] for k in sorted(out)]


def _rows(backend: Any, nq: Any, params: dict[str, list[Any]]) -> tuple[list[dict[str, Any]], str]:
    from tradekg.output import to_python
    from tradekg.queries import bind, run_bound

    # Run as `tradekg query` runs it (in two phases where the query declares them); the text returned, and
    # shown with the answer, is the same query in one piece, which any SPARQL tool can run.
    text = bind(nq, params)
    raw = run_bound(backend, text)
    return [{v: to_python(r.get(v)) for v in raw.variables} for r in raw.rows], text


def _contains_name(text: str, keys: set[tuple[str, ...]]) -> bool:
    toks = tuple(t.norm for t in tokenize(text or ""))
    return any(toks[i:i + len(k)] == k for k in keys for i in range(len(toks) - len(k) + 1))


def _overlap_words(text: str) -> set[str]:
    return {t.norm for t in tokenize(text) if t.norm not in _FUNCTION_WORDS and len(t.norm) > 2}


def _names_of(backend: Any, index: LabelIndex, iri: str) -> tuple[str, str]:
    """An IRI's label and how a sentence names it; a document-local thing (grouped in the index) has its
    label read from the store."""
    import pyoxigraph as ox

    ent = index.entities.get(iri)
    if ent is not None:
        return ent.label, ent.name
    rows = backend.query(f"SELECT ?l WHERE {{ VALUES ?s {{ {ox.NamedNode(iri)} }} ?s rdfs:label ?l }}").rows
    label = min((str(r["l"].value) for r in rows if r.get("l") is not None), default=iri)
    return label, label


def _counterpart_runs(backend: Any, index: LabelIndex, intent: Intent, params: dict[str, list[Any]],
                      missing: list[Any], answer: Answer) -> list[_Run]:
    """For a required actor the question left out: the actors the store has in that role, one run each."""
    cp = intent.counterpart
    if not cp or any(p.kind != "actor" for p in missing):
        return []
    agent_p, addr_p = intent.roles.get("agent"), intent.roles.get("addressee")
    values = []
    if agent_p in params:
        values.append(f"VALUES ?a0 {{ {' '.join(str(t) for t in params[agent_p])} }}")
    if addr_p in params:
        values.append(f"VALUES ?b0 {{ {' '.join(str(t) for t in params[addr_p])} }}")
    q = _COUNTERPART_QUERY % ("\n  ".join(values), cp["class"], cp["agent"], cp["addressee"])
    pairs = []
    for r in backend.query(q).rows:
        a, b = r.get("a"), r.get("b")
        if a is not None and b is not None and (a.value, b.value) not in pairs:
            pairs.append((a.value, b.value))
    runs = []
    for a, b in pairs[:6]:
        run = dict(params)
        names: dict[str, str] = {}
        for pname, iri in ((agent_p, a), (addr_p, b)):
            if pname is None:
                continue
            if pname in params:
                names[pname] = _bound(answer, index, pname)
            else:
                run[pname] = _terms(backend, [iri], "actor", index)
                label, names[pname] = _names_of(backend, index, iri)
                entry = answer.bindings.setdefault(pname, {"text": None, "value": label, "iris": [],
                                                           "applied": "parameter (from the store: the question "
                                                                      "did not name it)"})
                if label not in entry["value"].split(", "):
                    entry["value"] += ", " + label
                entry["iris"] = sorted(set(entry["iris"]) | {t.value for t in run[pname]})
        runs.append(_Run(run, names=names))
    return runs


