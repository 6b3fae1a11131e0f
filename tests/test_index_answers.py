"""Every named query the answer index answers gives, read from the index, the same rows in the same order as
its SPARQL: on the seed with the extracted example articles, and on random synthetic corpora with hundreds
of parameter sets (names, aliases, ids, IRIs, officials, an article's own groups, places standing for
countries, pages)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
import yaml

from tradekg import KnowledgeGraph
from tradekg.errors import UsageError
from tradekg.index.answers import SPECS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402

# GROUP_CONCAT leaves the order of the values open in SPARQL: those columns are compared as sets of values.
CONCAT = {"topics": ", ", "participants": ", ", "about": " | ", "inResponseTo": " | "}


def normal(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        r = dict(r)
        for col, sep in CONCAT.items():
            if isinstance(r.get(col), str):
                r[col] = sorted(r[col].split(sep))
        out.append(r)
    return out


def both(kg: KnowledgeGraph, name: str, params: dict, *, limit: int | None = None, offset: int = 0):
    """(index answer, SPARQL answer), each rows or the usage error's message."""
    answers = []
    for use_index in (True, False):
        try:
            res = kg.query(name, use_index=use_index, limit=limit, offset=offset, **params)
            answers.append((res.variables, normal(res.rows), res.total))
        except UsageError as err:
            answers.append(str(err))
    return answers


def check(kg: KnowledgeGraph, name: str, params: dict, **page) -> int:
    via_index, via_sparql = both(kg, name, params, **page)
    assert via_index == via_sparql, (name, params, page)
    return 0 if isinstance(via_index, str) else len(via_index[1])


def param_sets(kg: KnowledgeGraph, rng: random.Random, n: int) -> list[tuple[str, dict]]:
    """Random parameter sets for the indexed queries, from names the store knows and a few it does not."""
    names = ["United States", "US", "united states", "Japan", "tkid:japan", "china", "European Union", "EU",
             "https://w3id.org/tradekg/id/united-states", "Tokyo", "Washington", "Akazawa", "Trump",
             "no such actor", "brazil", "Brasilia", "Canada"]
    for r in kg.sparql("SELECT DISTINCT ?l WHERE { GRAPH ?g { ?s rdfs:label ?l } "
                       "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/tradekg/doc/')) } LIMIT 400").rows:
        names.append(r["l"])
    for r in kg.sparql("SELECT DISTINCT ?l WHERE { GRAPH tkg:gazetteer { ?s a tk:Person ; skos:altLabel ?l } }").rows:
        names.append(r["l"])
    out = []
    for _ in range(n):
        name = rng.choice(sorted(SPECS))
        q = kg.named_query(name)
        params = {}
        for p in q.params:
            if p.kind == "actor" and (p.required or rng.random() < 0.6):
                params[p.name] = rng.choice(names)
            elif p.kind == "concept" and rng.random() < 0.3:
                params[p.name] = rng.choice(["rice", "Rice", "automobiles", "steel", "coffee", "lng", "nothing"])
        out.append((name, params))
    return out


@pytest.fixture(scope="module")
def mixed_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The seed and the example articles (extracted: many actors per event, events without dates, an
    article's own groups) in one store."""
    pytest.importorskip("spacy")
    kg = KnowledgeGraph.open(tmp_path_factory.mktemp("mixed") / "store")
    result = kg.ingest([ROOT / "seeds", ROOT / "examples"])
    assert any(o.status == "ingested" for o in result)
    return kg


def test_every_indexed_query_matches_sparql_on_the_seed_and_examples(mixed_kg):
    rng = random.Random(16)
    rows = 0
    for name in sorted(SPECS):
        q = mixed_kg.named_query(name)
        if not any(p.required for p in q.params):
            rows += check(mixed_kg, name, {})
    for name, params in param_sets(mixed_kg, rng, 150):
        rows += check(mixed_kg, name, params)
    assert rows > 100  # the comparisons compared answers, not only errors


def mutate(text: str, rng: random.Random) -> str:
    """A synthetic document made less regular: events without a date, a second actor in a role, an
    article's own group as the agent, replies that answer one or two of the document's requests."""
    data = yaml.safe_load(text)
    requests = []
    for ev in data["events"]:
        if ev["id"].startswith("response") and requests and rng.random() < 0.7:
            ev["inResponseTo"] = sorted(rng.sample(requests, min(len(requests), rng.randint(1, 2))))
        if ev["id"].startswith("request"):
            requests.append(ev["id"])
        if rng.random() < 0.2:
            ev.pop("date", None)
        for role in ("requester", "participant", "complainant", "giver", "inviter", "announcer", "notifier"):
            if role in ev and rng.random() < 0.25:
                used = {v for val in ev.values() for v in (val if isinstance(val, list) else [val])}
                extra = rng.choice([a for a in ("sources", "officials-b", "deputy-a", "party-a", "party-b")
                                    if a not in used] or [None])
                if extra is None:
                    continue
                ev[role] = sorted({*(ev[role] if isinstance(ev[role], list) else [ev[role]]), extra})
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


@pytest.fixture(scope="module", params=[3, 11])
def synthetic_kg(request, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    seed = request.param
    out = tmp_path_factory.mktemp(f"synth{seed}")
    rng = random.Random(seed)
    for path in corpus.generate(out, 60, seed=seed):
        path.write_text(mutate(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
    kg = KnowledgeGraph.open(out / "store", gazetteer=[out / corpus.EXTENSION])
    result = kg.ingest([out / "docs"])
    assert not result.refused, [o.to_dict() for o in result.refused][:3]
    return kg


def test_every_indexed_query_matches_sparql_on_random_corpora(synthetic_kg):
    rng = random.Random(synthetic_kg.location)
    rows = 0
    for name, params in param_sets(synthetic_kg, rng, 200):
        rows += check(synthetic_kg, name, params)
    assert rows > 500


def test_pages_are_slices_of_the_whole_answer(synthetic_kg):
    rng = random.Random(5)
    for name in sorted(SPECS):
        q = synthetic_kg.named_query(name)
        params = {"by": "United States", "of": "China"} if name == "requests" else {}
        whole = synthetic_kg.query(name, **params)
        for _ in range(4):
            limit, offset = rng.randint(1, 30), rng.randint(0, max(0, len(whole) - 1))
            check(synthetic_kg, name, params, limit=limit, offset=offset)
            page = synthetic_kg.query(name, limit=limit, offset=offset, **params)
            assert page.rows == whole.rows[offset:offset + limit], (name, q.name)
            assert page.total == len(whole)
        dates = [r["date"] for r in whole.rows if r["date"]]
        assert dates == sorted(dates, reverse=True), f"{name}: newest first"


def test_iter_query_streams_every_row(synthetic_kg):
    whole = synthetic_kg.query("meetings")
    assert list(synthetic_kg.iter_query("meetings", page=7)) == whole.rows
