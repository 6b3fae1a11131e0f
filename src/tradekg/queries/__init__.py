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
from tradekg.namespaces import PREFIXES
from tradekg.queries.phases import DETAILS, Phases, split_phases  # noqa: F401  (part of this module's API)
from tradekg.resolve import as_iri as _as_iri  # noqa: F401  (kept for callers of the old name)
from tradekg.resolve import resolve_terms

if TYPE_CHECKING:
    from tradekg.store import Backend, RawResult

QUERY_DIR = Path(__file__).parent
KINDS = ("actor", "concept", "place", "kind", "date", "string")
MARKER = "#@VALUES"
_SUBTERMS = re.compile(r"^#@(SUBPROPERTIES|SUBCLASSES)\s+\?(\w+)((?:\s+[\w-]+:[\w-]+)+)\s*$")
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
    #: The columns ``ask`` shows in a table, in order (``# display:``); empty shows every column.
    display: list[str] = field(default_factory=list)

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
    display: list[str] = []
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
        elif s.startswith("# display:"):
            display = s.split(":", 1)[1].split()
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
    return NamedQuery(name, description, params, text, path, display)


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


def _closure(bases: set[str], predicate: str) -> set[str]:
    """``bases`` and every term below them along ``predicate`` in the packaged ontology."""
    supers = _super_maps()[predicate]
    found = set(bases)
    changed = True
    while changed:  # the closure: a term is in once any of its supers is
        more = {p for p, ups in supers.items() if ups & found} - found
        found |= more
        changed = bool(more)
    return found


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
    found = _closure(bases, _SUB[m.group(1)])
    return f"FILTER(?{m.group(2)} IN ({', '.join(f'<{p}>' for p in sorted(found))}))"


# --- resolving a user's value to RDF terms: tradekg.resolve (one resolver for queries and ask) ------------


def kind_terms(value: str, name: str = "kind") -> list[ox.NamedNode]:
    """An event kind's class and its subclasses, from the ontology: a local name ("TariffAction"), its label
    in any case ("tariff action"), a plural ("agreements") or ``tk:`` name; unknown is a usage error.

    >>> [t.value.rsplit("#", 1)[1] for t in kind_terms("tariff actions")]
    ['TariffAction']
    """
    from tradekg.kinds import event_kinds

    kinds = event_kinds()
    wanted = _kind_key(value)
    for k in kinds.values():
        if wanted in (_kind_key(k.name), _kind_key(k.label), _kind_key(k.iri), _kind_key("tk:" + k.name)):
            return [ox.NamedNode(i) for i in sorted(_closure({k.iri}, _SUB["SUBCLASSES"]))]
    raise UsageError(f"parameter {name!r}: no event kind {value!r}; kinds: {', '.join(kinds)}")


def _kind_key(text: str) -> str:
    k = "".join(c for c in text.lower() if c.isalnum())
    return k[:-1] if k.endswith("s") and not k.endswith("ss") else k


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


def _given(query: NamedQuery, params: dict[str, Any]) -> list[tuple[Param, str]]:
    """The given parameters with their header entries; an unknown or repeated one is a usage error."""
    out: list[tuple[Param, str]] = []
    for key, raw in params.items():
        if raw is None:
            continue
        p = query.param(key)
        if p is None:
            known = ", ".join(p.name for p in query.params) or "none"
            raise UsageError(f"query {query.name!r} has no parameter {key!r} (parameters: {known})")
        if any(p.name == q.name for q, _ in out):
            raise UsageError(f"parameter {p.name!r} given twice")
        out.append((p, str(raw)))
    missing = [p.name for p in query.params if p.required and all(p.name != q.name for q, _ in out)]
    if missing:
        raise UsageError(
            f"query {query.name!r} needs parameter {', '.join(missing)} "
            f"(e.g. --param {missing[0]} VALUE)"
        )
    return out


def check_params(query: NamedQuery, params: dict[str, Any]) -> None:
    """Check the parameters against the header without reading the store (what the answer index needs
    before it answers): an unknown, repeated or missing required parameter, a bad date or an unknown event
    kind is a usage error, with the same message :func:`prepare` gives."""
    for p, text in _given(query, params):
        if p.kind == "kind":
            kind_terms(text, p.name)
        elif p.kind not in ("actor", "concept", "place"):
            literal_for(text, p.kind, p.name)


def prepare(backend: Backend, query: NamedQuery, params: dict[str, Any]) -> str:
    """Check the parameters against the header, resolve them to terms and bind them into the text."""
    values: dict[str, list[Any]] = {}
    for p, text in _given(query, params):
        if p.kind in ("actor", "concept", "place"):
            values[p.name] = list(resolve_terms(backend, text, p.kind))
        elif p.kind == "kind":
            values[p.name] = kind_terms(text, p.name)
        else:
            values[p.name] = [literal_for(text, p.kind, p.name)]
    return bind(query, values)


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
