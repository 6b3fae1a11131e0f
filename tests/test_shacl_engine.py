"""The compiled SHACL engine gives pySHACL's results, on the seed, on broken documents and on fuzzed ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyshacl import validate as pyshacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from tradekg import shacl_engine
from tradekg.annotation import load_annotation
from tradekg.errors import InputError
from tradekg.terms import to_rdflib
from tradekg.validate import Validator

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "us-japan-first-round-2025-04.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


@pytest.fixture(scope="module")
def compiled(validator) -> shacl_engine.CompiledShapes:
    return shacl_engine.CompiledShapes(validator._shapes_rdf)


def engine_results(compiled, data: Graph) -> set[tuple]:
    """The engine's results on the triples of ``data``, with the data terms back in rdflib's form."""
    def rdf(term):
        return None if term is None else to_rdflib(term)

    return {
        (rdf(r.focus), rdf(r.path), rdf(r.value), r.severity, r.shape, frozenset(map(str, r.messages)))
        for r in shacl_engine.validate(compiled, data)
    }


def pyshacl_results(shapes: Graph, data: Graph) -> set[tuple]:
    _conforms, report, _text = pyshacl_validate(data, shacl_graph=shapes, allow_warnings=True, advanced=True)
    return {
        (
            report.value(r, SH.focusNode),
            report.value(r, SH.resultPath),
            report.value(r, SH.value),
            report.value(r, SH.resultSeverity),
            report.value(r, SH.sourceShape),
            frozenset(str(m) for m in report.objects(r, SH.resultMessage)),
        )
        for r in report.objects(None, SH.result)
    }


BROKEN = {
    "no addressee": (
        "    requester: us\n    addressee: japan\n    topic: [rice",
        "    requester: us\n    topic: [rice",
    ),
    "impossible date": ("published: 2025-04-19", "published: 2025-02-30"),
    "event after article": (
        "date: 2025-04-16\n    location: white-house",
        "date: 2025-05-16\n    location: white-house",
    ),
    "one participant": ("participant: [akazawa, trump]", "participant: [akazawa]"),
    "gift without recipient": ("    recipient: trump\n", ""),
    "requester is addressee": ("requester: akazawa\n    addressee: us", "requester: us\n    addressee: us"),
    "value not a number": ("value: 7.7", "value: seven"),
    "quote not in text": ("evidence: \"Akazawa said he gave it", "evidence: \"Akazawa said he handed it"),
    "wrong offset": (
        'evidence: "Akazawa said he gave it to Trump at the end of the meeting and invited him to visit the Expo."',
        'evidence: {quote: "Akazawa said he gave it to Trump at the end of the meeting and invited him to visit '
        'the Expo.", start: 12}',
    ),
}


@pytest.mark.parametrize("case", ["seed", *BROKEN])
def test_engine_agrees_with_pyshacl(case, validator, compiled):
    text = SEED
    if case != "seed":
        old, new = BROKEN[case]
        assert old in text
        text = text.replace(old, new, 1)
    data = validator.data_graph(load_annotation(text, path=ROOT / "seeds" / "case.yaml"))
    ours = engine_results(compiled, data)
    assert ours == pyshacl_results(validator._shapes_rdf, data)
    if case != "seed":
        assert any(r[3] == SH.Violation for r in ours), "a broken case must be refused"


LINES = SEED.splitlines(keepends=True)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(0, len(LINES) - 1), st.sampled_from(["drop", "dup"])), min_size=1, max_size=3))
def test_engine_agrees_with_pyshacl_on_mutated_seeds(validator, compiled, edits):
    lines = list(LINES)
    for index, action in sorted(edits, reverse=True):
        if index < len(lines):
            if action == "drop":
                del lines[index]
            else:
                lines.insert(index, lines[index])
    try:
        doc = load_annotation("".join(lines), path=ROOT / "seeds" / "mutant.yaml")
    except InputError:
        return
    data = validator.data_graph(doc)
    assert engine_results(compiled, data) == pyshacl_results(validator._shapes_rdf, data)


def test_unsupported_features_are_refused_at_compile_time():
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .""",
        format="turtle",
    )
    with pytest.raises(shacl_engine.UnsupportedShapes):
        shacl_engine.CompiledShapes(shapes)


def test_sparql_constraints_read_only_the_predicates_they_name(validator, compiled):
    from tradekg.namespaces import TK

    read = compiled.sparql_predicates
    assert read is not None
    names = {p.value for p in read}
    assert {str(TK.fullText), str(TK.quote), str(TK.startOffset), str(TK.date), str(TK.source)} <= names
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" not in names
    # The in-memory store the constraints run on holds those triples, and no others.
    doc = load_annotation(SEED, path=ROOT / "seeds" / "case.yaml")
    data = shacl_engine.DataIndex(validator.data_triples(doc), read)
    stored = list(data.store())
    assert stored and {q.predicate for q in stored} <= read
    assert len(stored) == sum(1 for _s, p, _o in validator.data_triples(doc) if p in read)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT $this WHERE { $this <http://e/p> ?x . FILTER NOT EXISTS { ?x <http://e/q> ?y } }",
         {"http://e/p", "http://e/q"}),
        ("SELECT $this WHERE { $this ?p ?x }", None),
        ("SELECT $this WHERE { $this <http://e/p>/<http://e/q> ?x }", None),
        ("SELECT $this WHERE { $this a ?c }", {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}),
    ],
)
def test_predicates_read_falls_back_to_everything_for_variables_and_paths(query, expected):
    read = shacl_engine._predicates_read(query)
    assert (None if read is None else {p.value for p in read}) == expected


def test_engine_takes_pyoxigraph_and_rdflib_triples_alike(validator, compiled):
    text = SEED.replace("requester: akazawa\n    addressee: us", "requester: us\n    addressee: us")
    doc = load_annotation(text, path=ROOT / "seeds" / "case.yaml")
    ox_results = shacl_engine.validate(compiled, validator.data_triples(doc))
    rdf_results = shacl_engine.validate(compiled, validator.data_graph(doc))
    assert ox_results and {(r.focus, r.path, r.value, r.shape) for r in ox_results} == {
        (r.focus, r.path, r.value, r.shape) for r in rdf_results
    }
