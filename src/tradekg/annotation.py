"""Annotation documents: one article's curated facts, read into the triples of one graph named by the document.

The human-friendly form is YAML (see ``docs/annotation.md``); Turtle, TriG and JSON-LD are accepted too.
YAML keys are the ontology's local property names, so the loader needs no list of fields of its own and
a validation finding's field is the key the user wrote. The loader only builds triples and remembers
lines; whether the document is *valid* is for the SHACL shapes to say (``tradekg.validate``).

A YAML document is built directly as pyoxigraph terms: they are constructed in Rust, validated and written
to the store as they are, where building an rdflib graph and converting it cost most of a bulk ingest.
``Document.graph`` still gives the rdflib graph, built on first use, for the code that wants one.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from . import rdfinput
from .errors import InputError
from .namespaces import SCHEMA, TK, TKDOC, TKID, document_iri
from .terms import XSD_INTEGER, graph_to_ox, named_node, to_ox, to_rdflib, typed_literal
from .vocabulary import Vocabulary, load_vocabulary, normalize_name
from .yamlsafe import LinedDict, LinedList, read_yaml

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

#: Suffixes ``iter_document_paths`` picks up in folders.
SUFFIXES = frozenset({".yaml", ".yml", ".ttl", ".trig", ".jsonld", ".json"})
#: Files that sit beside articles but are not documents: extractor gold files and article metadata.
_NOT_DOCUMENTS = (".gold.json", ".meta.yaml", ".meta.yml")
#: Largest document file read, in bytes. Annotations are kilobytes; this refuses runaway inputs early.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_PLAIN_INTEGER = re.compile(r"^[+-]?\d+$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
# Keys the loader interprets itself; every other key must be an ontology property.
_SECTION_KEYS = {"id", "type", "evidence", "rounds"}

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Term, Term, Term]

# The pyoxigraph forms of the IRIs the builder writes itself.
_TYPE, _LABEL, _PREF_LABEL, _ALT_LABEL = (to_ox(t) for t in (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel))
_TITLE, _DATE, _LANGUAGE, _URL = (to_ox(t) for t in (DCTERMS.title, DCTERMS.date, DCTERMS.language, SCHEMA.url))
_XSD_DATE, _XSD_ANY_URI = str(XSD.date), str(XSD.anyURI)
_NEWS_ARTICLE, _EVIDENCE_CLASS, _CURATED = (to_ox(TK[n]) for n in ("NewsArticle", "Evidence", "Curated"))
_PUBLISHER, _PUBLISHER_NAME, _FULL_TEXT, _MENTIONS, _SOURCE = (
    to_ox(TK[n]) for n in ("publisher", "publisherName", "fullText", "mentions", "source")
)
_ROUND_OF, _NAMES, _QUOTE, _IN_ARTICLE, _START, _END, _EVIDENCE, _EXTRACTION_METHOD = (
    to_ox(TK[n]) for n in (
        "roundOf", "names", "quote", "inArticle", "startOffset", "endOffset", "evidence", "extractionMethod"
    )
)
_EVENT, _STATISTIC, _NEGOTIATION, _ROUND, _ACTOR = (
    TK.Event, TK.Statistic, TK.Negotiation, TK.NegotiationRound, TK.Actor
)
# Labels come from standard vocabularies, not tk:, so they are named here.
_LABEL_KEYS = {"label": (_LABEL, _PREF_LABEL), "altLabel": (_ALT_LABEL,)}


class _QuietIllTyped(logging.Filter):
    # rdflib logs a full traceback for every ill-typed literal ("2025-02-30"^^xsd:date). Such a literal is
    # a finding that SHACL reports in words; the traceback would only frighten the user.
    def filter(self, record: logging.LogRecord) -> bool:
        return "Failed to convert Literal lexical form" not in record.getMessage()


logging.getLogger("rdflib.term").addFilter(_QuietIllTyped())


class Document:
    """One source document as RDF: its id, IRI, triples and the YAML lines its triples came from.

    ``triples`` are pyoxigraph terms ``(s, p, o)``, without duplicates; ``graph`` is the same as an rdflib
    graph named by the document (built on first use from the triples, or the other way round for RDF
    input, which rdflib parses). ``lines`` maps ``(subject, predicate or None)``, as pyoxigraph terms, to
    the YAML line (1-based); :meth:`line_for` takes rdflib or pyoxigraph terms.
    """

    def __init__(
        self,
        id: str,  # noqa: A002 - the documented attribute name
        iri: URIRef,
        graph: Graph | None = None,
        path: Path | None = None,
        lines: dict[tuple[Any, Any], int] | None = None,
        format: str = "yaml",  # noqa: A002 - the documented attribute name
        *,
        triples: list[Triple] | None = None,
    ) -> None:
        if graph is None and triples is None:
            raise ValueError("a Document needs its graph or its triples")
        self.id, self.iri, self.path, self.format = id, iri, path, format
        self.lines: dict[tuple[Any, Any], int] = lines if lines is not None else {}
        self._graph, self._triples = graph, triples
        self._ill_typed: frozenset[ox.Literal] = frozenset()

    def __repr__(self) -> str:
        return f"Document({self.id!r}, path={str(self.path) if self.path else None!r}, format={self.format!r})"

    @property
    def graph(self) -> Graph:
        """The document's triples as an rdflib graph whose identifier is the document IRI."""
        if self._graph is None:
            # SimpleMemory: per-document graphs need no contexts, and its adds cost half of Memory's.
            graph = Graph(store="SimpleMemory", identifier=self.iri)
            for s, p, o in self._triples or ():
                graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
            self._graph = graph
        return self._graph

    @graph.setter
    def graph(self, graph: Graph) -> None:
        self._graph, self._triples = graph, None

    @property
    def triples(self) -> list[Triple]:
        """The document's triples as pyoxigraph terms (blank nodes keep their rdflib labels)."""
        if self._triples is None:
            assert self._graph is not None
            self._triples, self._ill_typed = graph_to_ox(self._graph)
        return self._triples

    @property
    def ill_typed(self) -> frozenset[ox.Literal]:
        """Literals of an rdflib-parsed document that rdflib found ill-typed but whose pyoxigraph form
        does not show it (see :func:`tradekg.terms.graph_to_ox`); validation refuses them."""
        _ = self.triples
        return self._ill_typed

    def __len__(self) -> int:
        """The number of triples."""
        return len(self.triples)

    def line_for(self, subject: Any, predicate: Any = None) -> int | None:
        """The YAML line that wrote ``subject``'s ``predicate`` (or ``subject`` itself), if known."""
        if not self.lines:
            return None
        subject = _as_ox(subject)
        if predicate is not None:
            line = self.lines.get((subject, _as_ox(predicate)))
            if line:
                return line
        return self.lines.get((subject, None))


def _as_ox(term: Any) -> Any:
    return term if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(term)


def iter_document_paths(paths: Iterable[str | Path], suffixes: Iterable[str] = SUFFIXES) -> Iterator[Path]:
    """Files named directly, and the files with a known suffix inside named folders, in sorted order.

    Symbolic links to folders are not followed, so a link loop cannot trap the walk. Evaluation files
    (``*.gold.json``) and article metadata (``*.meta.yaml``) found in folders are not documents.

    >>> [p.name for p in iter_document_paths(["seeds"]) if p.suffix == ".yaml"]
    ['us-japan-first-round-2025-04.yaml']
    """
    wanted = frozenset(suffixes)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                found.extend(
                    Path(root, name)
                    for name in files
                    if Path(name).suffix.lower() in wanted and not name.lower().endswith(_NOT_DOCUMENTS)
                )
            yield from sorted(found)
        elif path.is_file():
            yield path
        elif path.is_symlink():
            raise InputError("a broken or looping symbolic link", path)
        else:
            raise InputError("no such file or folder", path)


def read_text(path: Path, limit: int = MAX_DOCUMENT_BYTES) -> str:
    """Read a text file as UTF-8, refusing empty, binary, oversized and non-UTF-8 files with a clear error."""
    try:
        info = path.stat()
        # A FIFO would block forever and /dev/zero never ends: only regular files are documents.
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file (a device, pipe or socket); refused", path)
        if info.st_size > limit:
            raise InputError(f"file is {info.st_size:,} bytes; the limit for one document is {limit:,}", path)
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)  # the file may have grown since stat()
        if len(raw) > limit:
            raise InputError(f"file is over {limit:,} bytes, the limit for one document", path)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    if not raw.strip():
        raise InputError("the file is empty", path)
    if b"\x00" in raw:
        raise InputError(f"a binary file (NUL byte at offset {raw.index(0)}), not text", path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", path, line) from None


def load_document(path: str | Path, *, gazetteer: Gazetteer | None = None) -> Document:
    """Read one annotation file (YAML, Turtle, TriG or JSON-LD) into a :class:`Document`.

    >>> doc = load_document("seeds/us-japan-first-round-2025-04.yaml")
    >>> doc.id, str(doc.graph.identifier) == str(doc.iri)
    ('us-japan-first-round-2025-04', True)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    text = read_text(path)
    if suffix in (".yaml", ".yml"):
        return load_annotation(text, path=path, gazetteer=gazetteer)
    if suffix in rdfinput.FORMATS:
        doc_iri, graph = rdfinput.parse_document(text, suffix, path)
        doc_id = str(doc_iri)[len(str(TKDOC)):]
        return Document(doc_id, doc_iri, graph, path, {}, rdfinput.FORMATS[suffix])
    raise InputError(
        f"unsupported file type '{suffix}'; tradekg reads {', '.join(sorted(SUFFIXES))}", path
    )


def load_annotation(
    text: str, *, path: str | Path | None = None, gazetteer: Gazetteer | None = None
) -> Document:
    """Build the RDF graph of one YAML annotation given as text.

    ``path`` names the file in error messages and anchors a relative ``text_file``.
    """
    data = read_yaml(text, path)
    if not isinstance(data, LinedDict):
        raise InputError("an annotation is a YAML mapping with a 'document' section", path, 1)
    if gazetteer is None:
        from .gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
    return _Builder(data, Path(path) if path else None, gazetteer, load_vocabulary()).build()


class _Property:
    """What the builder needs to know about one YAML key that names an ontology property, looked up once."""

    __slots__ = ("rdf", "node", "is_object", "enumeration", "datatype", "inverse")

    def __init__(self, vocab: Vocabulary, prop: URIRef) -> None:
        self.rdf, self.node = prop, to_ox(prop)
        self.is_object = vocab.is_object_property(prop)
        enum = vocab.enumeration(prop) if self.is_object else None
        self.enumeration = {name: (iri, to_ox(iri)) for name, iri in enum.items()} if enum is not None else None
        self.datatype = str(vocab.datatype(prop))
        inverse = vocab.inverses.get(prop)
        self.inverse = to_ox(inverse) if inverse is not None else None


# Per vocabulary (there is one per process): key -> _Property, or None for a key that is no property.
_PROPERTIES: dict[int, tuple[Vocabulary, dict[str, _Property | None]]] = {}


def _property_of(vocab: Vocabulary, key: str) -> _Property | None:
    entry = _PROPERTIES.get(id(vocab))
    if entry is None or entry[0] is not vocab:
        entry = _PROPERTIES[id(vocab)] = (vocab, {})
    known = entry[1]
    if key not in known:
        prop = vocab.property(key)
        known[key] = _Property(vocab, prop) if prop is not None else None
    return known[key]


_CLASSES: dict[tuple[int, URIRef | None], tuple[Vocabulary, dict[str, tuple[URIRef, ox.NamedNode]]]] = {}


def _classes_below(vocab: Vocabulary, base: URIRef | None) -> dict[str, tuple[URIRef, ox.NamedNode]]:
    """Type name -> (IRI, pyoxigraph IRI) of the classes an entry of a section may have (None: concepts)."""
    entry = _CLASSES.get((id(vocab), base))
    if entry is None or entry[0] is not vocab:
        if base is None:
            named = {
                **vocab.subclasses_of(TK.TradeItem), **vocab.subclasses_of(TK.NonTariffBarrier),
                **vocab.subclasses_of(TK.Artifact), **vocab.subclasses_of(TK.Place), "Concept": SKOS.Concept,
            }
        else:
            named = vocab.subclasses_of(base)
        entry = _CLASSES[(id(vocab), base)] = (vocab, {name: (iri, to_ox(iri)) for name, iri in named.items()})
    return entry[1]


class _Builder:
    """Turns the parsed YAML of one annotation into triples, recording the line of each."""

    def __init__(self, data: LinedDict, path: Path | None, gazetteer: Gazetteer, vocab: Vocabulary):
        self.data, self.path, self.gaz, self.vocab = data, path, gazetteer, vocab
        self.local: dict[str, ox.NamedNode] = {}
        self.lines: dict[tuple[Any, Any], int] = {}
        # Insertion-ordered and without duplicates, as a graph is a set of triples.
        self.triples: dict[Triple, None] = {}
        self.with_method: set[ox.NamedNode] = set()

    # -- errors ---------------------------------------------------------------------------------------
    def fail(self, message: str, line: int | None) -> InputError:
        return InputError(message, self.path, line)

    def iri(self, text: str, line: int | None = None) -> ox.NamedNode:
        return named_node(text, self.path, line)

    # -- top level -------------------------------------------------------------------------------------
    def build(self) -> Document:
        data = self.data
        unknown = set(data) - {"document", "actors", "concepts", "negotiations", "events", "statistics"}
        if unknown:
            key = sorted(unknown)[0]
            raise self.fail(
                f"unknown section '{key}'; sections are document, actors, concepts, negotiations, "
                "events, statistics",
                data.key_lines[key],
            )
        meta = data.get("document")
        if not isinstance(meta, LinedDict):
            raise self.fail("the 'document' section is missing or is not a mapping", data.key_lines.get("document", 1))
        doc_id = self.ident(meta, "document")
        doc_iri = document_iri(doc_id)
        self.doc = self.iri(str(doc_iri))
        self.doc_prefix = f"{doc_iri}#"
        self.article_text = self.article(meta)
        # Declare every local id first so that references can point forwards.
        self.declare(data, "actors")
        self.declare(data, "concepts")
        self.declare(data, "events")
        self.declare(data, "statistics")
        self.negotiations(data.get("negotiations"), data)
        self.actors(data.get("actors"))
        self.concepts(data.get("concepts"))
        for section, base in (("events", _EVENT), ("statistics", _STATISTIC)):
            for item, line in self.items(data, section):
                self.statement(item, line, base, section)
        return Document(doc_id, doc_iri, None, self.path, self.lines, "yaml", triples=list(self.triples))

    def items(self, data: LinedDict, section: str) -> Iterator[tuple[LinedDict, int]]:
        seq = data.get(section)
        if seq is None:
            return
        if not isinstance(seq, LinedList):
            raise self.fail(f"'{section}' must be a list", data.key_lines[section])
        for item, line in zip(seq, seq.item_lines, strict=True):
            if not isinstance(item, LinedDict):
                raise self.fail(f"each entry of '{section}' must be a mapping with an 'id'", line)
            yield item, line

    def ident(self, item: LinedDict, what: str) -> str:
        value = item.get("id")
        line = item.key_lines.get("id", item.line)
        if value is None:
            raise self.fail(f"the {what} has no 'id'", item.line)
        if not isinstance(value, str | int) or not _ID.match(str(value)):
            raise self.fail(
                f"the {what} id {value!r} must be letters, digits, '.', '_' or '-' (at most 200)", line
            )
        return str(value)

    def declare(self, data: LinedDict, section: str) -> None:
        raw = data.get(section)
        if section == "actors" or section == "concepts":
            if raw is None:
                return
            if not isinstance(raw, LinedDict):
                raise self.fail(f"'{section}' must be a mapping of local ids", data.key_lines[section])
            for key in raw:
                if not _ID.match(str(key)):
                    raise self.fail(f"local id {key!r} must be letters, digits, '.', '_' or '-'", raw.key_lines[key])
                value = raw[key]
                if isinstance(value, str):  # an alias of a gazetteer entry
                    iri = self.gazetteer_ref(value, raw.key_lines[key], section)
                else:
                    iri = self.iri(f"{self.doc_prefix}{key}")
                self.local.setdefault(str(key), iri)
            return
        for item, _line in self.items(data, section):
            local_id = self.ident(item, section[:-1] if section.endswith("s") else section)
            if local_id in self.local:
                raise self.fail(f"id '{local_id}' is used twice in this document", item.key_lines.get("id"))
            self.local[local_id] = self.iri(f"{self.doc_prefix}{local_id}")

    def gazetteer_ref(self, value: str, line: int, field_name: str) -> ox.NamedNode:
        iri = self.gaz.by_id(value) or self.gaz.resolve(value)
        if iri is None:
            raise self.fail(
                f"'{value}' in '{field_name}' is not in the gazetteer{self.suggest(value, self.gazetteer_ids())}",
                line,
            )
        return to_ox(iri)

    def gazetteer_ids(self) -> list[str]:
        return [e.id for e in self.gaz.entries()]

    @staticmethod
    def suggest(value: str, candidates: Iterable[str]) -> str:
        close = difflib.get_close_matches(str(value), list(candidates), n=3, cutoff=0.6)
        return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""

    # -- document metadata -----------------------------------------------------------------------------
    def article(self, meta: LinedDict) -> str | None:
        doc, triples = self.doc, self.triples
        triples[(doc, _TYPE, _NEWS_ARTICLE)] = None
        self.lines[(doc, None)] = meta.line
        known = {"id", "title", "publisher", "publisherName", "published", "url", "language", "text", "text_file"}
        for key, value in meta.items():
            line = meta.key_lines[key]
            if key not in known:
                raise self.fail(
                    f"unknown field '{key}' in 'document'{self.suggest(key, known)}; fields are "
                    + ", ".join(sorted(known)),
                    line,
                )
            if value is None or key in ("id", "text", "text_file"):
                continue
            pred: ox.NamedNode
            obj: Term
            if key == "title":
                pred, obj = _TITLE, ox.Literal(str(value))
            elif key == "publisher":
                pred, obj = _PUBLISHER, self.gazetteer_ref(str(value), line, "publisher")
            elif key == "publisherName":
                pred, obj = _PUBLISHER_NAME, ox.Literal(str(value))
            elif key == "published":
                pred, obj = _DATE, typed_literal(str(value), _XSD_DATE)
            elif key == "url":
                pred, obj = _URL, typed_literal(str(value), _XSD_ANY_URI)
            else:
                pred, obj = _LANGUAGE, ox.Literal(str(value))
            triples[(doc, pred, obj)] = None
            self.lines[(doc, pred)] = line
        if "title" in meta:
            triples[(doc, _LABEL, ox.Literal(str(meta["title"])))] = None
        text = meta.get("text")
        if meta.get("text_file") is not None:
            if text is not None:
                raise self.fail("give either 'text' or 'text_file', not both", meta.key_lines["text_file"])
            base = (self.path.parent if self.path else Path.cwd()).resolve()
            text_path = (base / str(meta["text_file"])).resolve()
            if not text_path.is_relative_to(base):
                # An annotation must not copy arbitrary files (/etc/passwd, ../..) into the store and exports.
                raise self.fail(
                    f"text_file '{meta['text_file']}' is outside the annotation's folder {base}; "
                    "keep the article next to its annotation",
                    meta.key_lines["text_file"],
                )
            if not text_path.is_file():
                raise self.fail(
                    f"text_file '{meta['text_file']}' not found (looked at {text_path})", meta.key_lines["text_file"]
                )
            text = read_text(text_path)
        if text is not None:
            if not isinstance(text, str):
                raise self.fail("'text' must be the article text", meta.key_lines["text"])
            triples[(doc, _FULL_TEXT, ox.Literal(text))] = None
            text_line = meta.key_lines.get("text") or meta.key_lines.get("text_file")
            if text_line:
                self.lines[(doc, _FULL_TEXT)] = text_line
        return text

    # -- sections --------------------------------------------------------------------------------------
    def negotiations(self, seq: Any, data: LinedDict) -> None:
        """Negotiations and their rounds carry global ids (tkid:), shared by every article about them."""
        if seq is None:
            return
        if not isinstance(seq, LinedList):
            raise self.fail("'negotiations' must be a list", data.key_lines["negotiations"])
        parsed: list[tuple[LinedDict, list[LinedDict]]] = []
        for item, line in zip(seq, seq.item_lines, strict=True):
            if not isinstance(item, LinedDict):
                raise self.fail("each negotiation must be a mapping with an 'id'", line)
            self.local.setdefault(self.ident(item, "negotiation"), self.iri(f"{TKID}{item['id']}"))
            rounds = item.get("rounds", LinedList())
            if not isinstance(rounds, LinedList):
                raise self.fail("'rounds' must be a list", item.key_lines["rounds"])
            for rnd, rline in zip(rounds, getattr(rounds, "item_lines", []), strict=True):
                if not isinstance(rnd, LinedDict):
                    raise self.fail("each round must be a mapping with an 'id'", rline)
                self.local.setdefault(self.ident(rnd, "round"), self.iri(f"{TKID}{rnd['id']}"))
            parsed.append((item, list(rounds)))
        # Declared first, built second: a round may name its negotiation's parties and vice versa.
        for item, rounds in parsed:
            neg = self.iri(f"{TKID}{item['id']}")
            self.resource(neg, item, _NEGOTIATION, "negotiation", default_type="Negotiation")
            for rnd in rounds:
                rnd_iri = self.iri(f"{TKID}{rnd['id']}")
                self.resource(rnd_iri, rnd, _ROUND, "round", default_type="NegotiationRound")
                self.triples[(rnd_iri, _ROUND_OF, neg)] = None
                self.lines[(rnd_iri, _ROUND_OF)] = rnd.line

    def actors(self, section: Any) -> None:
        if not section:
            return
        for key, value in section.items():
            # Every actor the annotation names is one the article mentions, even one no event involves.
            actor = self.local[str(key)]
            self.triples[(self.doc, _MENTIONS, actor)] = None
            self.lines.setdefault((self.doc, _MENTIONS), section.key_lines[key])
            if isinstance(value, str):
                self.mention_evidence(str(key), actor, section.key_lines[key])
            if isinstance(value, LinedDict):
                self.resource(actor, value, _ACTOR, "actor", default_type="Actor")
                self.triples[(actor, _SOURCE, self.doc)] = None
            elif not isinstance(value, str):
                raise self.fail(
                    f"actor '{key}' must be a gazetteer id or a mapping with 'type' and 'label'",
                    section.key_lines[key],
                )

    def mention_evidence(self, key: str, actor: ox.NamedNode, line: int) -> None:
        """Quote the first sentence of the article that names a gazetteer actor, so a mention has a source."""
        entry = self.gaz.entry(actor.value)
        text = self.article_text
        if entry is None or not text:
            return
        folded = text.casefold()
        hits = [folded.find(label.casefold()) for label in entry.labels if len(label) > 2]
        hits = [h for h in hits if h >= 0]
        if not hits:
            return
        at = min(hits)
        # A sentence ends at . ! ? followed by white space, or at a line break ("7.7 percent" does not end one).
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
        following = _SENTENCE_END.search(text, at)
        end = following.start() + 1 if following else len(text)
        while start < at and text[start].isspace():
            start += 1
        quote = text[start:end].rstrip("\n")
        ev = self.iri(f"{self.doc_prefix}mention-{key}-evidence")
        triples = self.triples
        triples[(ev, _TYPE, _EVIDENCE_CLASS)] = None
        triples[(ev, _NAMES, actor)] = None
        triples[(ev, _QUOTE, ox.Literal(quote))] = None
        triples[(ev, _IN_ARTICLE, self.doc)] = None
        triples[(ev, _START, ox.Literal(str(start), datatype=XSD_INTEGER))] = None
        triples[(ev, _END, ox.Literal(str(start + len(quote)), datatype=XSD_INTEGER))] = None
        self.lines[(ev, None)] = line

    def concepts(self, section: Any) -> None:
        if not section:
            return
        for key, value in section.items():
            if isinstance(value, LinedDict):
                self.resource(self.local[str(key)], value, None, "concept", default_type="Concept")
            elif not isinstance(value, str):
                raise self.fail(
                    f"concept '{key}' must be a gazetteer id or a mapping with 'type' and 'label'",
                    section.key_lines[key],
                )

    def statement(self, item: LinedDict, line: int, base: URIRef, section: str) -> None:
        node = self.local[str(item["id"])]
        what = "event" if section == "events" else "statistic"
        if base is _EVENT:
            if "type" not in item:
                raise self.fail(f"event '{item['id']}' has no 'type'", line)
            self.resource(node, item, _EVENT, what)
        else:
            self.resource(node, item, _STATISTIC, what, default_type="Statistic")
        self.triples[(node, _SOURCE, self.doc)] = None
        if node not in self.with_method:
            self.triples[(node, _EXTRACTION_METHOD, _CURATED)] = None
        if "evidence" in item:
            self.evidence(node, item["evidence"], item.key_lines["evidence"])

    def evidence(self, node: ox.NamedNode, value: Any, line: int) -> None:
        start: int | None = None
        if isinstance(value, LinedDict):
            extra = set(value) - {"quote", "start", "end"}
            if extra:
                raise self.fail(f"evidence has unknown field '{sorted(extra)[0]}'; use quote and start", line)
            quote, start = value.get("quote"), value.get("start")
            if start is not None and (not isinstance(start, int) or isinstance(start, bool) or start < 0):
                raise self.fail(f"evidence start must be a character offset (a whole number ≥ 0), not {start!r}", line)
        else:
            quote = value
        if not isinstance(quote, str) or not quote.strip():
            raise self.fail("evidence must be the quoted sentence from the article (text)", line)
        ev = self.iri(f"{node.value}-evidence")
        triples, lines = self.triples, self.lines
        triples[(node, _EVIDENCE, ev)] = None
        triples[(ev, _TYPE, _EVIDENCE_CLASS)] = None
        triples[(ev, _QUOTE, ox.Literal(quote))] = None
        triples[(ev, _IN_ARTICLE, self.doc)] = None
        for key in ((node, _EVIDENCE), (ev, None), (ev, _QUOTE), (ev, _START), (ev, _END)):
            lines[key] = line
        text = self.article_text or ""
        if start is None:
            found = text.find(quote)
            start = found if found >= 0 else None
        if start is not None:
            # Offsets are written even when they do not match, so the shape can say the quote differs.
            triples[(ev, _START, ox.Literal(str(start), datatype=XSD_INTEGER))] = None
            triples[(ev, _END, ox.Literal(str(start + len(quote)), datatype=XSD_INTEGER))] = None

    # -- one resource with ontology-driven fields --------------------------------------------------------
    def resource(
        self, node: ox.NamedNode, item: LinedDict, base: URIRef | None, what: str, default_type: str | None = None
    ) -> None:
        """One actor, concept (``base`` None), negotiation, round, event or statistic and its fields."""
        vocab, triples, lines = self.vocab, self.triples, self.lines
        lines[(node, None)] = item.line
        type_name = item.get("type", default_type)
        allowed = _classes_below(vocab, base)
        cls = allowed.get(str(type_name)) if type_name is not None else None
        if cls is None:
            kinds = ", ".join(sorted(allowed))
            hint = self.suggest(str(type_name), allowed) if type_name else ""
            raise self.fail(
                f"{what} '{item.get('id', '')}' has {'unknown type ' + repr(type_name) if type_name else 'no type'}"
                f"{hint}; {what} types are: {kinds}",
                item.key_lines.get("type", item.line),
            )
        triples[(node, _TYPE, cls[1])] = None
        lines[(node, _TYPE)] = item.key_lines.get("type", item.line)
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
            prop = _property_of(vocab, key)
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
                if pred == _EXTRACTION_METHOD:
                    self.with_method.add(node)
                if prop.inverse is not None and isinstance(obj, ox.NamedNode):
                    triples[(obj, prop.inverse, node)] = None
                    lines.setdefault((obj, prop.inverse), line)

    def object_value(self, prop: _Property, key: str, value: Any, line: int) -> Term:
        if prop.is_object:
            if isinstance(value, dict | list):
                raise self.fail(f"'{key}' takes ids (text), not a nested structure", line)
            if prop.enumeration is not None:
                member = prop.enumeration.get(normalize_name(str(value)))
                if member is None:
                    choices = ", ".join(sorted({_local(iri) for iri, _node in prop.enumeration.values()}))
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


_XSD_STRING, _XSD_BOOLEAN, _XSD_DECIMAL = str(XSD.string), str(XSD.boolean), str(XSD.decimal)


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
