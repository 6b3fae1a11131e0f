"""Property-based fuzzing of every way a document gets in: the loader, the validator and the CLI.

Valid documents (the seed annotation as YAML, and the same graph as Turtle, TriG and JSON-LD) are
mutated: fields deleted, duplicated, renamed and retyped (in the YAML tree or the RDF graph), bytes
corrupted, spans cut, lines duplicated or swapped, the file truncated. The properties:

- in process, ``load_document`` + ``Validator.validate`` (+ the conversion ingest does) either work or
  raise a ``TradekgError``: no other exception, ever;
- through the CLI, ``validate`` and ``ingest`` of a folder of mutants print no traceback, exit 1 or 2
  when any is bad, agree document by document with the in-process outcome, and leave the store exactly
  as it was except for the documents they report as ingested.

Hypothesis runs derandomized with no example database, so a run in CI is the run on a laptop. The fast
suite runs a few dozen inputs; ``make test-slow`` runs thousands.
"""

from __future__ import annotations

import copy
import json
import random
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import rdflib
import yaml
from hostile import SEED_ID, TKDOC, document_part, dump_store, run_tradekg, seed_yaml_text, variant_yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, BNode, Literal, URIRef

from tradekg.errors import TradekgError

TK = rdflib.Namespace("https://w3id.org/tradekg/ontology#")
FORMATS = {"ttl": "turtle", "trig": "trig", "jsonld": "json-ld"}
#: How many inputs each property sees, in the fast suite and in ``make test-slow``.
FAST = {"yaml_tree": 20, "yaml_bytes": 12, "rdf_graph": 4, "rdf_bytes": 4}
SLOW = {"yaml_tree": 800, "yaml_bytes": 600, "rdf_graph": 150, "rdf_bytes": 200}
COUNTS: dict[str, int] = {}


def fuzz_settings(n: int) -> settings:
    # No shrinking: one example takes a tenth of a second, so shrinking a failure would take many minutes;
    # the failing input is saved to a file instead (see check_file).
    return settings(
        max_examples=n, deadline=None, derandomize=True, database=None, print_blob=False,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               HealthCheck.large_base_example],
    )


# --- where choices come from ------------------------------------------------------------------------------


class Chooser:
    """The choices a mutation makes: drawn by hypothesis (shrinkable) or by a seeded ``Random``."""

    def __init__(self, integer: Callable[[int, int], int], text: Callable[[], str]) -> None:
        self.integer, self.text = integer, text

    def choice(self, seq: list[Any]) -> Any:
        return seq[self.integer(0, len(seq) - 1)]

    @classmethod
    def from_data(cls, data: st.DataObject) -> Chooser:
        return cls(lambda lo, hi: data.draw(st.integers(lo, hi)), lambda: data.draw(st.text(max_size=24)))

    @classmethod
    def from_random(cls, rng: random.Random) -> Chooser:
        def text() -> str:
            chars = [rng.choice([chr(rng.randint(32, 126)), chr(rng.randint(0, 0xD7FF)), "\n", ":", "-", "\x00"])
                     for _ in range(rng.randint(0, 24))]
            return "".join(chars)

        return cls(rng.randint, text)


# --- mutations ----------------------------------------------------------------------------------------------

TOKENS = [": ", "- ", "&a ", "*a ", "{", "}", "[", "]", '"', "'", "\t", "\x00", "\r", "#", "!!binary ", "? ",
          "@prefix x: <", "<", ">", "^^", "\\u0000", '"@context": "http://127.0.0.1:9/", ', "...", "---\n", ";",
          ".", "_:b ", "\ufeff", "\u202e", "\xff"]


def odd_value(c: Chooser, old: Any, pool: list[Any]) -> Any:
    """A value of another type or shape than ``old``: what a careless or hostile editor writes."""
    k = c.integer(0, 16)
    return [
        None, 0, -1, 10**30, 3.5, True, "", c.text(), "x" * c.choice([300, 70_000]), [old], {"x": old},
        "2025-02-30", c.choice(pool) if pool else "x", "http://127.0.0.1:9/x", "<b>&amp;</b>",
        {"quote": old, "start": c.choice([-5, 0, 10**9, "1"])}, [old, old],
    ][k]


def _slots(node: Any, out: list[tuple[Any, Any]]) -> None:
    if isinstance(node, dict):
        for k in list(node):
            out.append((node, k))
            _slots(node[k], out)
    elif isinstance(node, list):
        for i in range(len(node)):
            out.append((node, i))
            _slots(node[i], out)


def _scalars(node: Any, out: list[Any]) -> None:
    if isinstance(node, dict):
        out.extend(node)
        for v in node.values():
            _scalars(v, out)
    elif isinstance(node, list):
        for v in node:
            _scalars(v, out)
    elif node is not None:
        out.append(node)


def mutate_tree(tree: Any, c: Chooser) -> Any:
    """Delete, duplicate, retype, rename or swap fields anywhere in a parsed YAML/JSON tree."""
    holder = {"root": tree}
    for _ in range(c.integer(1, 3)):
        slots: list[tuple[Any, Any]] = []
        _slots(holder, slots)
        pool: list[Any] = []
        _scalars(holder["root"], pool)
        parent, key = c.choice(slots)
        op = c.integer(0, 4)
        if op == 0 and parent is not holder:
            del parent[key]
        elif op == 1:
            if isinstance(parent, list):
                parent.insert(key, copy.deepcopy(parent[key]))
            else:
                parent[str(c.choice(pool)) if pool else "x"] = copy.deepcopy(parent[key])
        elif op == 2:
            parent[key] = odd_value(c, parent[key], pool)
        elif op == 3 and isinstance(parent, dict) and parent is not holder:
            value = parent.pop(key)
            parent[c.choice([str(c.choice(pool)) if pool else "x", c.text() or "y"])] = value
        else:
            parent[key] = copy.deepcopy(c.choice(pool)) if pool else None
    return holder.get("root")


def mutate_bytes(data: bytes, c: Chooser) -> bytes:
    """Corrupt bytes, insert tokens, cut spans, truncate, and duplicate, drop, swap or re-indent lines."""
    b = bytearray(data)
    for _ in range(c.integer(1, 4)):
        op = c.integer(0, 8)
        pos = c.integer(0, max(len(b) - 1, 0))
        if op == 0 and b:
            b[pos] = c.integer(0, 255)
        elif op == 1:
            b[pos:pos] = c.choice(TOKENS).encode("utf-8", "surrogatepass") if c.integer(0, 1) else c.text().encode()
        elif op == 2:
            del b[pos:pos + c.integer(1, 400)]
        elif op == 3:
            del b[pos:]
        else:
            lines = bytes(b).split(b"\n")
            i, j = c.integer(0, len(lines) - 1), c.integer(0, len(lines) - 1)
            if op == 4:
                lines.insert(i, lines[j])
            elif op == 5:
                del lines[i]
            elif op == 6:
                lines[i], lines[j] = lines[j], lines[i]
            elif op == 7:
                lines[i] = b" " * c.integer(0, 9) + lines[i].lstrip(b" ")
            else:
                lines[i] = lines[i].replace(b" ", b"\t", 1)
            b = bytearray(b"\n".join(lines))
    return bytes(b)


def mutate_graph(g: rdflib.Graph, c: Chooser) -> rdflib.Graph:
    """Delete, duplicate and retype triples: literals of the wrong datatype, missing or doubled articles,
    objects of the wrong kind, blank nodes, predicates moved."""
    triples = sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    subjects = sorted({t[0] for t in triples}, key=str)
    predicates = sorted({t[1] for t in triples}, key=str)
    for _ in range(c.integer(1, 3)):
        if not triples:
            break
        i = c.integer(0, len(triples) - 1)
        s, p, o = triples[i]
        op = c.integer(0, 7)
        if op == 0:
            del triples[i]
        elif op == 1:
            triples.append((c.choice(subjects), p, o))
        elif op == 2:
            dt = c.choice([XSD.date, XSD.integer, XSD.decimal, XSD.boolean, XSD.anyURI, XSD.string, None])
            lex = c.choice([c.text(), "2025-02-30", "-1", "1e999", "", str(o)])
            triples[i] = (s, p, Literal(lex, datatype=dt) if dt else Literal(lex, lang=c.choice(["en", "xx-yy"])))
        elif op == 3:
            triples[i] = (s, p, c.choice([BNode(), Literal(str(o)), c.choice(subjects), URIRef("http://127.0.0.1:9/x")]))
        elif op == 4:
            triples.append((c.choice(subjects), RDF.type, TK.NewsArticle))
        elif op == 5:
            triples = [t for t in triples if t[2] != TK.NewsArticle] if c.integer(0, 1) else triples
        elif op == 6:
            triples[i] = (s, c.choice(predicates), o)
        else:
            b = BNode()
            triples = [(b if t[0] == s else t[0], t[1], b if t[2] == s else t[2]) for t in triples]
    out = rdflib.Graph(identifier=g.identifier)
    for t in triples:
        out.add(t)
    return out


# --- base documents -----------------------------------------------------------------------------------------


def plain(node: Any) -> Any:
    """LinedDict/LinedList as plain containers, so PyYAML can dump them."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


@cache
def seed_document() -> Any:
    from tradekg.annotation import load_document

    return load_document(Path(__file__).parent.parent / "seeds" / f"{SEED_ID}.yaml", gazetteer=gazetteer())


@cache
def gazetteer() -> Any:
    from tradekg.gazetteer import Gazetteer

    return Gazetteer.load()


@cache
def validator() -> Any:
    from tradekg.validate import Validator

    return Validator(gazetteer())


def serialize(g: rdflib.Graph, ext: str, name: URIRef | None = None) -> str:
    """One document graph as Turtle, TriG (one named graph) or JSON-LD with an inline context."""
    from tradekg.namespaces import PREFIXES

    if ext == "trig":
        ds = rdflib.Dataset()
        target = ds.graph(name or g.identifier)
        for t in g:
            target.add(t)
        for p, ns in PREFIXES.items():
            ds.bind(p, ns)
        return ds.serialize(format="trig")
    out = rdflib.Graph()
    for p, ns in PREFIXES.items():
        out.bind(p, ns)
    for t in g:
        out.add(t)
    if ext == "jsonld":
        return out.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    return out.serialize(format="turtle")


@cache
def rdf_base(ext: str) -> str:
    return serialize(seed_document().graph, ext)


def yaml_tree() -> Any:
    from tradekg.yamlsafe import read_yaml

    return plain(read_yaml(seed_yaml_text()))


def dump_yaml(tree: Any) -> bytes:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=200).encode("utf-8")


# --- the in-process property ----------------------------------------------------------------------------------


def outcome_in_process(path: Path) -> tuple[str, str | None, Any]:
    """(status, document id, document) for one file, as ingest decides it; only TradekgError may escape.

    ``status`` is ``unreadable``, ``refused`` or ``valid``; anything else raised is a bug and fails.
    """
    from tradekg.annotation import load_document
    from tradekg.kg import graph_triples

    COUNTS["inputs"] = COUNTS.get("inputs", 0) + 1
    try:
        doc = load_document(path, gazetteer=gazetteer())
        report = validator().validate(doc)
        assert isinstance(report.conforms, bool)
        for f in report.findings:
            assert isinstance(f.message, str) and f.message and "Traceback" not in f.message
        if report.conforms:
            graph_triples(doc.graph)  # what ingest writes; an IRI the store cannot hold must be an InputError
    except TradekgError as err:
        assert str(err) and "Traceback" not in str(err)
        return "unreadable", None, None
    COUNTS["validated"] = COUNTS.get("validated", 0) + 1
    return ("valid" if report.conforms else "refused"), doc.id, doc


def check_file(data: bytes, suffix: str) -> str:
    """The in-process outcome of one input; on a failure the input is kept in a file to reproduce it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "doc" + suffix)
        path.write_bytes(data)
        try:
            status = outcome_in_process(path)[0]
            assert status in ("valid", "refused", "unreadable"), status
            return status
        except Exception as err:
            import hashlib

            keep = Path(tempfile.gettempdir(), f"tradekg-fuzz-{hashlib.sha1(data).hexdigest()[:12]}{suffix}")
            keep.write_bytes(data)
            err.add_note(f"the input is saved in {keep}: reproduce with tradekg validate {keep}")
            raise


# --- the properties, fast and slow ------------------------------------------------------------------------


def _yaml_tree_property(data: st.DataObject) -> None:
    c = Chooser.from_data(data)
    tree = mutate_tree(yaml_tree(), c)
    check_file(dump_yaml(tree), c.choice([".yaml", ".yml"]))


def _yaml_bytes_property(data: st.DataObject) -> None:
    c = Chooser.from_data(data)
    source = seed_yaml_text().encode() if c.integer(0, 2) else dump_yaml(mutate_tree(yaml_tree(), c))
    check_file(mutate_bytes(source, c), ".yaml")


def _rdf_graph_property(ext: str, data: st.DataObject) -> None:
    c = Chooser.from_data(data)
    g = mutate_graph(seed_document().graph, c)
    name = c.choice([None, None, URIRef("https://w3id.org/tradekg/doc/other"), BNode()]) if ext == "trig" else None
    if ext == "jsonld" and c.integer(0, 1):
        tree = mutate_tree(json.loads(serialize(g, ext)), c)
        check_file(json.dumps(tree).encode(), ".jsonld")
    else:
        check_file(serialize(g, ext, name).encode("utf-8"), "." + ext)


def _rdf_bytes_property(ext: str, data: st.DataObject) -> None:
    c = Chooser.from_data(data)
    check_file(mutate_bytes(rdf_base(ext).encode("utf-8"), c), "." + ext)


def test_yaml_tree_mutants() -> None:
    before = COUNTS.get("inputs", 0)
    given(st.data())(fuzz_settings(FAST["yaml_tree"])(_yaml_tree_property))()
    assert COUNTS.get("inputs", 0) > before, "hypothesis generated no input"


def test_yaml_byte_mutants() -> None:
    before = COUNTS.get("inputs", 0)
    given(st.data())(fuzz_settings(FAST["yaml_bytes"])(_yaml_bytes_property))()
    assert COUNTS.get("inputs", 0) > before, "hypothesis generated no input"


@pytest.mark.parametrize("ext", list(FORMATS))
def test_rdf_graph_mutants(ext: str) -> None:
    before = COUNTS.get("inputs", 0)
    given(st.data())(fuzz_settings(FAST["rdf_graph"])(lambda data: _rdf_graph_property(ext, data)))()
    assert COUNTS.get("inputs", 0) > before, "hypothesis generated no input"


@pytest.mark.parametrize("ext", list(FORMATS))
def test_rdf_byte_mutants(ext: str) -> None:
    before = COUNTS.get("inputs", 0)
    given(st.data())(fuzz_settings(FAST["rdf_bytes"])(lambda data: _rdf_bytes_property(ext, data)))()
    assert COUNTS.get("inputs", 0) > before, "hypothesis generated no input"


@pytest.mark.slow
def test_yaml_tree_mutants_many() -> None:
    before = COUNTS.get("inputs", 0)
    given(st.data())(fuzz_settings(SLOW["yaml_tree"])(_yaml_tree_property))()
    assert COUNTS.get("inputs", 0) > before, "hypothesis generated no input"


@pytest.mark.slow
def test_yaml_byte_mutants_many() -> None:
    before = COUNTS.get("inputs", 0)
    given(st.data())(fuzz_settings(SLOW["yaml_bytes"])(_yaml_bytes_property))()
    assert COUNTS.get("inputs", 0) > before, "hypothesis generated no input"


@pytest.mark.slow
@pytest.mark.parametrize("ext", list(FORMATS))
def test_rdf_graph_mutants_many(ext: str) -> None:
    before = COUNTS.get("inputs", 0)
    given(st.data())(fuzz_settings(SLOW["rdf_graph"])(lambda data: _rdf_graph_property(ext, data)))()
    assert COUNTS.get("inputs", 0) > before, "hypothesis generated no input"


@pytest.mark.slow
@pytest.mark.parametrize("ext", list(FORMATS))
def test_rdf_byte_mutants_many(ext: str) -> None:
    before = COUNTS.get("inputs", 0)
    given(st.data())(fuzz_settings(SLOW["rdf_bytes"])(lambda data: _rdf_bytes_property(ext, data)))()
    assert COUNTS.get("inputs", 0) > before, "hypothesis generated no input"


# --- through the CLI, in batches ---------------------------------------------------------------------------


def write_mutants(folder: Path, n: int, seed: int) -> None:
    """``n`` mutants of every format, each from a base with its own document id, so that the valid ones
    can all go in."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        c = Chooser.from_random(rng)
        doc_id = f"fuzz-{seed}-{i:04d}"
        kind = rng.choice(["yaml-tree", "yaml-bytes", "ttl", "trig", "jsonld"])
        if kind.startswith("yaml"):
            _, text = variant_yaml(i)
            text = text.replace(f"  id: variant-{i:03d}\n", f"  id: {doc_id}\n", 1)
            if kind == "yaml-tree" or rng.random() < 0.3:
                from tradekg.yamlsafe import read_yaml

                data = dump_yaml(mutate_tree(plain(read_yaml(text)), c))
            else:
                data = text.encode()
            if kind == "yaml-bytes":
                data = mutate_bytes(data, c)
            (folder / f"{doc_id}.yaml").write_bytes(data)
            continue
        g = seed_document().graph
        if rng.random() < 0.6:
            g = mutate_graph(g, c)
        text = serialize(g, kind).replace(SEED_ID, doc_id)
        data = text.encode("utf-8")
        if rng.random() < 0.6:
            data = mutate_bytes(data, c)
        (folder / f"{doc_id}.{kind}").write_bytes(data)


def _expected(folder: Path) -> dict[str, tuple[str, str | None, Any]]:
    """What each file must come to, decided in process; a repeated id is refused as a duplicate."""
    seen: set[str] = set()
    out = {}
    for path in sorted(folder.iterdir()):
        status, doc_id, doc = outcome_in_process(path)
        if doc_id is not None and doc_id in seen:
            status, doc = "unreadable", None
        if doc_id is not None:
            seen.add(doc_id)
        out[path.name] = (status, doc_id, doc)
    return out


def _graph_lines(doc: Any) -> frozenset[str]:
    """The triples ingest writes for ``doc``, as the store gives them back (it canonicalizes literals,
    such as the decimal 10000.0 read back as 10000)."""
    import pyoxigraph as ox

    from tradekg.kg import graph_triples

    mem = ox.Store()
    g = ox.NamedNode(str(doc.iri))
    mem.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in graph_triples(doc.graph))
    return frozenset(str(q.triple) for q in mem.quads_for_pattern(None, None, None, g))


def _same_graph(stored: frozenset[str], expected: frozenset[str]) -> bool:
    if stored == expected:
        return True
    # Blank nodes get new labels on the way in: compare as graphs.
    from rdflib.compare import isomorphic

    a, b = rdflib.Graph(), rdflib.Graph()
    a.parse(data="".join(f"{t} .\n" for t in stored), format="nt")
    b.parse(data="".join(f"{t} .\n" for t in expected), format="nt")
    return isomorphic(a, b)


def cli_batch(tmp_path: Path, store: Path, n: int, seed: int) -> int:
    folder = tmp_path / f"mutants-{seed}"
    write_mutants(folder, n, seed)
    expected = _expected(folder)
    before = document_part(dump_store(store))

    validate = run_tradekg("validate", "--format", "json", folder, timeout=600)
    validate.assert_clean()
    ingest = run_tradekg("--store", store, "ingest", "--format", "json", folder, timeout=600)
    ingest.assert_clean()
    after = document_part(dump_store(store))
    COUNTS["through the CLI"] = COUNTS.get("through the CLI", 0) + 2 * n
    checked = len(json.loads(validate.out))

    worst = max({"valid": 0, "refused": 1, "unreadable": 2}[s] for s, _, _ in expected.values())
    for run, ok in ((validate, {"valid"}), (ingest, {"ingested", "unchanged"})):
        assert run.code == worst, (run.code, worst, run.err[-2000:])
        got = {Path(o["path"]).name: o for o in json.loads(run.out)}
        assert set(got) == set(expected)
        for name, (status, _, _) in expected.items():
            o = got[name]
            want = ok if status == "valid" else {status}
            assert o["status"] in want, (name, status, o)

    # The store changed only by the documents reported as ingested, each exactly as loaded.
    ingested = {expected[Path(o["path"]).name][1]: expected[Path(o["path"]).name][2]
                for o in json.loads(ingest.out) if o["status"] in ("ingested", "unchanged")}
    for graph in set(before) | set(after):
        doc_id = graph[len(TKDOC):] if graph.startswith(TKDOC) else None
        if doc_id in ingested:
            assert graph in after and _same_graph(after[graph], _graph_lines(ingested[doc_id])), graph
        else:
            assert before.get(graph) == after.get(graph), f"{graph} changed though its document was refused"
    return checked


def test_cli_batch(tmp_path: Path, store_copy: Path) -> None:
    """A handful of mutants of every format through ``tradekg validate`` and ``tradekg ingest``."""
    assert cli_batch(tmp_path, store_copy, n=8, seed=1) == len(list((tmp_path / "mutants-1").iterdir()))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2, 3])
def test_cli_batch_many(tmp_path: Path, store_copy: Path, seed: int) -> None:
    assert cli_batch(tmp_path, store_copy, n=80, seed=seed) == len(list((tmp_path / f"mutants-{seed}").iterdir()))


@pytest.mark.slow
def test_a_refused_document_leaves_the_store_unchanged(tmp_path: Path, store_copy: Path) -> None:
    """One refused document (a Violation), one unreadable one: the store's dump is identical after each."""
    _, text = variant_yaml(1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("type: Meeting", "type: Request", 1), encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_text(rdf_base("ttl")[:5000], encoding="utf-8")
    for path, code in ((bad, 1), (broken, 2)):
        before = document_part(dump_store(store_copy))
        run = run_tradekg("--store", store_copy, "ingest", path)
        run.assert_clean()
        assert run.code == code, run.err
        assert document_part(dump_store(store_copy)) == before


def teardown_module() -> None:
    if COUNTS:
        print(f"\nfuzzed inputs (in process, of which read and validated; through the CLI): {COUNTS}")
