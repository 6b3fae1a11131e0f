"""Named queries: one parameterized ``.rq`` file per question the project answers.

Each file starts with a header::

    # name: requests
    # description: What one actor requested of another ...
    # param: by actor required — who made the request

and has a ``#@VALUES`` line at the top of its WHERE clause. A parameter's value is first turned into RDF
terms (an actor's label into the IRIs of the actor and, for a country, of its officials; a date into an
``xsd:date`` literal) and those terms, written by pyoxigraph and therefore escaped, become a ``VALUES``
block in place of that line. The user's text itself never becomes query text. Without the marker replaced
(a comment), each file is also a plain query any SPARQL tool can run.

A date parameter is written into the text in place of its variable (``FILTER(?date_ >= ?from)`` becomes
``FILTER(?date_ >= "2025-04-01"^^xsd:date)``), again as a term written by pyoxigraph from a checked date:
Oxigraph applies a FILTER against a constant as soon as its variable is bound, but one against a VALUES
variable only after every other join, so a date range bound through VALUES did not narrow anything.

A line ``#@SUBPROPERTIES ?role tk:agent tk:addressee`` becomes ``FILTER(?role IN (...))`` over those
properties and all their sub-properties in the packaged ontology (``#@SUBCLASSES ?c tk:Actor`` likewise
for classes). Oxigraph applies such a FILTER to each row as it is found; the same restriction as a
``rdfs:subPropertyOf*`` pattern or subquery was hash-joined after all the other joins, so every row that
was not a role still paid for them.

Lines between ``#@IF name`` and ``#@END`` are kept only when parameter ``name`` is given; after
``#@IF !name`` only when it is not; after ``#@IF !from !to`` only when neither is. A restriction that would
enumerate the whole store with its variable unbound (an actor's members) lives there, and so does a detail
read differently when a parameter already binds its variable.
An actor value is bound as the entities it names (with, for a country, the gazetteer's officials and
bodies for it); the query itself reaches the document-local groups and persons affiliated with them,
so the VALUES block does not grow with the number of documents.

Why the queries are shaped as they are (Oxigraph 0.5): an OPTIONAL is evaluated as index lookups for each
row only when its body is one triple pattern, a nested OPTIONAL, a BIND or a FILTER over those, and binds no
variable the rows already bind; any other body (two patterns, a path such as ``tk:evidence/tk:quote``, a
GRAPH pattern inside a nested OPTIONAL) is evaluated over the whole store and hash-joined, which costs time
in proportion to the store. So each query selects its events first from the bound parameters, and reads
every detail through nested one-pattern OPTIONALs.

Two phases. A query may carry a ``#@DETAILS ?var ...`` line inside its WHERE, after the patterns that
select its answers from the bound parameters and before the patterns that read their details. Then
:func:`run` does not run the text as one query: phase one runs ``SELECT DISTINCT ?var ... WHERE { <the
selecting part> }`` (few rows, found through the indexes from the parameters), and phase two runs the
query with the selecting part replaced by a ``VALUES (?var ...)`` block of those rows (terms written by
pyoxigraph, never user text). Why: joined in one query, the details were read once per *selecting row*,
and those rows multiply (a country and its officials both match one event; a round's label is found once
per article describing the round), so the cost followed the store; with the keys bound, it follows the
answer. The variables listed are every variable of the selecting part that the details or the SELECT
read. The marker is a comment, so the file stays one plain query (``bind`` gives it whole, as ``ask``
uses it), and with its selecting part it gives the same answer.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from tradekg.errors import InputError, UsageError
from tradekg.namespaces import GAZETTEER_GRAPH_IRI, PREFIXES

if TYPE_CHECKING:
    from tradekg.store import Backend, RawResult

QUERY_DIR = Path(__file__).parent
KINDS = ("actor", "concept", "date", "string")
MARKER = "#@VALUES"
_SUBTERMS = re.compile(r"^#@(SUBPROPERTIES|SUBCLASSES)\s+\?(\w+)((?:\s+[\w-]+:[\w-]+)+)\s*$")
DETAILS = "#@DETAILS"
_DETAILS = re.compile(r"^#@DETAILS((?:\s+\?\w+)+)\s*$")
_WHERE = re.compile(r"^WHERE\s*\{$")
_IF = re.compile(r"^#@IF((?:\s+!?\w+)+)\s*$")
_END = "#@END"
_PARAM = re.compile(r"^#\s*param:\s*(\w+)\s+(\w+)\s+(required|optional)\s*(?:[—–-]+\s*(.*))?$")
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


@dataclass(frozen=True)
class Param:
    """One parameter of a named query: its name, kind (actor, concept, date, string) and help text."""

    name: str
    kind: str
    required: bool
    help: str = ""


@dataclass
class NamedQuery:
    """A packaged question: name, one-line description, parameters and the SPARQL text."""

    name: str
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""
    path: Path | None = None

    def param(self, name: str) -> Param | None:
        """The parameter called ``name`` (a trailing ``_`` is ignored, so ``from_`` means ``from``)."""
        name = name.rstrip("_")
        return next((p for p in self.params if p.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """Name, description and parameters as plain data (for ``tradekg queries``)."""
        return {
            "name": self.name,
            "description": self.description,
            "params": ", ".join(
                f"{p.name} ({p.kind}{'' if p.required else ', optional'})" for p in self.params
            ),
        }


def parse_header(text: str, path: Path | None = None) -> NamedQuery:
    """Read a named query's header lines.

    >>> q = parse_header("# name: x\\n# description: d\\n# param: by actor required — who\\nSELECT * {\\n#@VALUES\\n}")
    >>> q.name, q.params[0]
    ('x', Param(name='by', kind='actor', required=True, help='who'))
    """
    name = description = None
    params: list[Param] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s.startswith("#"):
            if s:
                break
            continue
        if s.startswith("# name:"):
            name = s.split(":", 1)[1].strip()
        elif s.startswith("# description:"):
            description = s.split(":", 1)[1].strip()
        elif s.startswith("# param:"):
            m = _PARAM.match(s)
            if not m or m.group(2) not in KINDS:
                raise InputError(
                    f"bad param header (want '# param: NAME KIND required|optional — help', KIND one of "
                    f"{', '.join(KINDS)})", path=path, line=lineno,
                )
            params.append(Param(m.group(1), m.group(2), m.group(3) == "required", (m.group(4) or "").strip()))
    if not name or not description:
        raise InputError("a named query needs '# name:' and '# description:' header lines", path=path)
    if params and MARKER not in text:
        raise InputError(f"a named query with parameters needs a '{MARKER}' line in its WHERE", path=path)
    return NamedQuery(name, description, params, text, path)


def load_queries(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """All named queries in a folder, by name."""
    out: dict[str, NamedQuery] = {}
    for path in sorted(directory.glob("*.rq")):
        q = parse_header(path.read_text(encoding="utf-8"), path)
        out[q.name] = q
    return out


def bind(query: NamedQuery, values: dict[str, list[Any]]) -> str:
    """The query text with a VALUES block for each bound parameter (terms are pyoxigraph terms).

    >>> q = parse_header("# name: x\\n# description: d\\n# param: by actor required\\nSELECT * {\\n#@VALUES\\n}")
    >>> print(bind(q, {"by": [ox.NamedNode("https://w3id.org/tradekg/id/japan")]}))
    # name: x
    # description: d
    # param: by actor required
    SELECT * {
    VALUES ?by { <https://w3id.org/tradekg/id/japan> }
    }

    A date is written in place of its variable, outside comments:

    >>> q = parse_header("# name: x\\n# description: d\\n# param: from date optional\\n"
    ...                  "SELECT * {\\n#@VALUES\\n?e tk:date ?d FILTER(?d >= ?from) # ?from\\n}")
    >>> print(bind(q, {"from": [literal_for("2025-04-16", "date", "from")]}).splitlines()[-2])
    ?e tk:date ?d FILTER(?d >= "2025-04-16"^^<http://www.w3.org/2001/XMLSchema#date>) # ?from
    """
    given = {name: terms for name, terms in values.items() if query.param(name) is not None and terms}
    dates = {name: terms[0] for name, terms in given.items() if query.param(name).kind == "date"}  # type: ignore[union-attr]
    block = "\n".join(
        f"VALUES ?{name} {{ {' '.join(str(t) for t in terms)} }}" for name, terms in given.items() if name not in dates
    )
    inline = re.compile(r"\?(" + "|".join(map(re.escape, dates)) + r")\b") if dates else None
    lines: list[str] = []
    keep = True
    for line in query.text.splitlines():
        s = line.strip()
        m = _IF.match(s)
        if m:
            # Every condition must hold: ``name`` given, ``!name`` not given.
            keep = all(bool(values.get(c.lstrip("!"))) != c.startswith("!") for c in m.group(1).split())
        elif s == _END:
            keep = True
        elif not keep:
            continue
        elif s == MARKER:
            lines.append(block)
        elif _SUBTERMS.match(s):
            lines.append(_subterm_filter(s))
        elif inline is not None and not s.startswith("#"):
            code, hash_, comment = line.partition(" #")
            lines.append(inline.sub(lambda m: str(dates[m.group(1)]), code) + hash_ + comment)
        else:
            lines.append(line)
    return "\n".join(lines)


_SUB = {"SUBPROPERTIES": "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
        "SUBCLASSES": "http://www.w3.org/2000/01/rdf-schema#subClassOf"}


@functools.cache
def _super_maps() -> dict[str, dict[str, set[str]]]:
    """For each predicate of ``_SUB``: every term of the packaged ontology with its direct supers along it
    (IRIs as strings). The ontology is parsed once per process (about 9 ms)."""
    from tradekg.resources import ontology_path

    maps: dict[str, dict[str, set[str]]] = {p: {} for p in _SUB.values()}
    with ontology_path().open("rb") as f:
        for t in ox.parse(f, format=ox.RdfFormat.TURTLE):
            supers = maps.get(t.predicate.value)
            if supers is not None and isinstance(t.object, ox.NamedNode):
                supers.setdefault(t.subject.value, set()).add(t.object.value)
    return maps


def _subterm_filter(line: str) -> str:
    """``#@SUBPROPERTIES ?v tk:a tk:b`` (or ``#@SUBCLASSES``) as ``FILTER(?v IN (...))``: the given terms
    and every property (class) below them in the packaged ontology.

    >>> print(_subterm_filter("#@SUBPROPERTIES ?role tk:addressee"))  # doctest: +ELLIPSIS
    FILTER(?role IN (<https://w3id.org/tradekg/ontology#addressee>, ..., <https://w3id.org/tradekg/ontology#target>))
    """
    m = _SUBTERMS.match(line.strip())
    assert m is not None
    bases = set()
    for name in m.group(3).split():
        prefix, _, local = name.partition(":")
        if prefix not in PREFIXES:
            raise InputError(f"{line.strip()!r}: unknown prefix {prefix!r}")
        bases.add(PREFIXES[prefix] + local)
    supers = _super_maps()[_SUB[m.group(1)]]
    found = set(bases)
    changed = True
    while changed:  # the closure: a term is in once any of its supers is
        more = {p for p, ups in supers.items() if ups & found} - found
        found |= more
        changed = bool(more)
    return f"FILTER(?{m.group(2)} IN ({', '.join(f'<{p}>' for p in sorted(found))}))"


# --- resolving a user's value to RDF terms --------------------------------------------------------------

# Scanning every label case-insensitively costs ~250 ms at 5k documents, so the lookup first tries the
# gazetteer graph (scanned, small) and the usual spellings of the value (index lookups); the full scan only
# runs when neither finds anything.
_LABELS = "skos:prefLabel|skos:altLabel|rdfs:label"
_LABEL_LOOKUP = """
SELECT DISTINCT ?s WHERE {
  { GRAPH <@GAZ@> { ?s @LABELS@ ?l . FILTER(LCASE(STR(?l)) = ?needle) } VALUES ?needle { %(needle)s } }
  UNION
  { VALUES ?l { %(spellings)s } ?s @LABELS@ ?l }
  UNION
  { VALUES ?s { %(iri)s } FILTER EXISTS { ?s ?p ?o } }
}
""".replace("@GAZ@", GAZETTEER_GRAPH_IRI).replace("@LABELS@", _LABELS)
_LABEL_SCAN = """
SELECT DISTINCT ?s WHERE {
  VALUES ?needle { %s } ?s @LABELS@ ?l . FILTER(LCASE(STR(?l)) = ?needle)
}
""".replace("@LABELS@", _LABELS)
# Only the gazetteer is expanded here (officials and bodies of a country, places standing for it): the
# document-local members are reached by the query itself (see the module docstring).
_EXPAND_ACTOR = """
SELECT DISTINCT ?x WHERE {
  { VALUES ?x { %(given)s } }
  UNION
  { VALUES ?given { %(given)s }
    GRAPH <@GAZ@> { ?given tk:metonymFor? ?base .
                 ?x (tk:nationality|tk:affiliation|tk:metonymFor|(tk:holdsRole/tk:roleFor))* ?base } }
}
""".replace("@GAZ@", GAZETTEER_GRAPH_IRI)
_EXPAND_CONCEPT = """
SELECT DISTINCT ?x WHERE {
  VALUES ?base { %s }
  ?x skos:broader* ?base .
}
"""


def _as_iri(value: str) -> ox.NamedNode | None:
    """A full IRI, ``prefix:local`` of a project prefix, or None."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    prefix, sep, local = v.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        v = PREFIXES[prefix] + local
    elif not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", v):
        return None
    try:
        return ox.NamedNode(v)
    except ValueError:
        return None


def resolve_terms(backend: Backend, value: str, kind: str) -> list[ox.NamedNode]:
    """The IRIs an actor or concept value stands for: label, alias, id or IRI, case-insensitively.

    For an actor, a country or organization also brings its gazetteer officials and bodies: persons of
    that nationality, groups affiliated with it, holders of a role for it, places standing for it. A place
    standing for a country ("Tokyo") means that country. Document-local members (an article's "US
    officials") are not listed here: each query matches them with
    ``?member (tk:affiliation|tk:nationality|tk:metonymFor|(tk:holdsRole/tk:roleFor))? ?entity``.
    """
    found = find_terms(backend, value, kind)
    expand = _EXPAND_ACTOR if kind == "actor" else _EXPAND_CONCEPT
    given = " ".join(str(t) for t in found)
    rows = backend.query(expand % ({"given": given} if kind == "actor" else given)).rows
    return sorted({r["x"] for r in rows if isinstance(r.get("x"), ox.NamedNode)}, key=lambda t: t.value)


def find_terms(backend: Backend, value: str, kind: str) -> list[ox.NamedNode]:
    """The IRIs a value names, before :func:`resolve_terms` widens them: by label, alias, id or IRI."""
    text = value.strip()
    if not text:
        raise UsageError(f"an empty {kind} was given")
    iri = _as_iri(text)
    if iri is None and re.fullmatch(r"[A-Za-z0-9._-]+", text):
        iri = ox.NamedNode(PREFIXES["tkid"] + text)  # a gazetteer id such as "akazawa-ryosei"
    needle = ox.Literal(text.lower())
    spellings = {text, text.lower(), text.upper(), text.title(), text.capitalize()}
    lookup = _LABEL_LOOKUP % {
        "needle": needle, "iri": iri or "",
        "spellings": " ".join(str(ox.Literal(v)) + " " + str(ox.Literal(v, language="en")) for v in sorted(spellings)),
    }
    found = [r["s"] for r in backend.query(lookup).rows if isinstance(r.get("s"), ox.NamedNode)]
    if not found:
        found = [r["s"] for r in backend.query(_LABEL_SCAN % needle).rows if isinstance(r.get("s"), ox.NamedNode)]
    if not found:
        raise UsageError(
            f"no {kind} called {value!r} in the store"
            + (" (list them with: tradekg query actors)" if kind == "actor" else "")
        )
    return found


def literal_for(value: str, kind: str, name: str) -> ox.Literal:
    """A date or string parameter as a literal; a bad date is a usage error.

    >>> literal_for("2025-04-16", "date", "from")
    <Literal value=2025-04-16 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    """
    if kind == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                raise ValueError
            _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise UsageError(f"parameter {name!r} must be a date like 2025-04-16, not {value!r}") from None
        return ox.Literal(value.strip(), datatype=_XSD_DATE)
    return ox.Literal(value)


def check_params(query: NamedQuery, params: dict[str, Any]) -> dict[str, Param]:
    """The given parameters (None is not given) by name with their declarations; an unknown, repeated or
    missing required parameter, or a bad date, is a usage error."""
    given: dict[str, Param] = {}
    for key, raw in params.items():
        if raw is None:
            continue
        p = query.param(key)
        if p is None:
            known = ", ".join(p.name for p in query.params) or "none"
            raise UsageError(f"query {query.name!r} has no parameter {key!r} (parameters: {known})")
        if p.name in given:
            raise UsageError(f"parameter {p.name!r} given twice")
        if p.kind not in ("actor", "concept"):
            literal_for(str(raw), p.kind, p.name)
        given[p.name] = p
    missing = [p.name for p in query.params if p.required and p.name not in given]
    if missing:
        raise UsageError(
            f"query {query.name!r} needs parameter {', '.join(missing)} "
            f"(e.g. --param {missing[0]} VALUE)"
        )
    return given


def prepare(backend: Backend, query: NamedQuery, params: dict[str, Any]) -> str:
    """Check the parameters against the header, resolve them to terms and bind them into the text."""
    check_params(query, params)
    values: dict[str, list[Any]] = {}
    for key, raw in params.items():
        if raw is None:
            continue
        p = query.param(key)
        assert p is not None
        text = str(raw)
        if p.kind in ("actor", "concept"):
            values[p.name] = list(resolve_terms(backend, text, p.kind))
        else:
            values[p.name] = [literal_for(text, p.kind, p.name)]
    return bind(query, values)


@dataclass(frozen=True)
class Phases:
    """A bound query cut at its ``#@DETAILS`` line: the selection (phase one) and the details (phase two).

    ``head`` is the text up to and including the ``WHERE {`` line, ``tail`` the rest after the marker;
    phase two is ``head``, a VALUES block of the selected keys, then ``tail``.
    """

    keys: tuple[str, ...]
    select: str
    head: str
    tail: str

    def details(self, rows: list[dict[str, Any]]) -> str | None:
        """Phase two's text with ``rows`` (phase one's answer) bound; None when a key is a blank node,
        which a VALUES block cannot carry (the caller then runs the query in one phase)."""
        cells = []
        for row in rows:
            terms = [row.get(k) for k in self.keys]
            if any(isinstance(t, ox.BlankNode) for t in terms):
                return None
            cells.append("(" + " ".join("UNDEF" if t is None else str(t) for t in terms) + ")")
        block = f"VALUES ({' '.join('?' + k for k in self.keys)}) {{\n" + "\n".join(cells) + "\n}"
        return f"{self.head}\n{block}\n{self.tail}"


def split_phases(text: str) -> Phases | None:
    """Cut a bound query at its ``#@DETAILS`` line; None for a query without one.

    >>> ph = split_phases("SELECT ?e ?n\\nWHERE {\\n  ?e a ?t .\\n  #@DETAILS ?e\\n  OPTIONAL { ?e ?p ?n }\\n}")
    >>> print(ph.select)
    SELECT DISTINCT ?e WHERE {
      ?e a ?t .
    }
    >>> print(ph.details([{"e": ox.NamedNode("http://x/1")}]))
    SELECT ?e ?n
    WHERE {
    VALUES (?e) {
    (<http://x/1>)
    }
      OPTIONAL { ?e ?p ?n }
    }
    """
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if _DETAILS.match(line.strip())]
    if not marks:
        return None
    where = [i for i, line in enumerate(lines) if _WHERE.match(line.strip())]
    if len(marks) > 1 or not where or where[0] > marks[0]:
        raise InputError(f"a '{DETAILS} ?var ...' line must come once, inside the WHERE opened by a "
                         "line 'WHERE {'")
    w, d = where[0], marks[0]
    m = _DETAILS.match(lines[d].strip())
    assert m is not None
    keys = tuple(v.lstrip("?") for v in m.group(1).split())
    select = f"SELECT DISTINCT {' '.join('?' + k for k in keys)} WHERE {{\n" + "\n".join(lines[w + 1:d]) + "\n}"
    return Phases(keys, select, "\n".join(lines[: w + 1]), "\n".join(lines[d + 1:]))


def run(
    backend: Backend, query: NamedQuery, params: dict[str, Any], *, limit: int | None = None,
    timeout: float | None = None,
) -> RawResult:
    """Run a named query end to end: resolve and bind the parameters, then :func:`run_bound`."""
    return run_bound(backend, prepare(backend, query, params), limit=limit, timeout=timeout)


def run_bound(backend: Backend, text: str, *, limit: int | None = None, timeout: float | None = None) -> RawResult:
    """Run a bound named query (``prepare``'s text) on ``backend``, in two phases where it declares them.

    ``timeout`` bounds both phases together; ``limit`` applies to the answer (phase two), since its order
    is only known there. The benchmark times this same function on Oxigraph and on rdflib.
    """
    phases = split_phases(text)
    if phases is None:
        return backend.query(text, limit=limit, timeout=timeout)
    start = time.monotonic()
    keys = backend.query(phases.select, timeout=timeout)
    details = phases.details(keys.rows)
    if details is None:
        return backend.query(text, limit=limit, timeout=timeout)
    if timeout is not None:
        # What phase one left of the budget; a small floor so that an exhausted budget still ends in the
        # store's own timeout error rather than in a special case here.
        timeout = max(0.01, timeout - (time.monotonic() - start))
    return backend.query(details, limit=limit, timeout=timeout)
