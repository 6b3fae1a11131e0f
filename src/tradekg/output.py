"""Query results and how they are printed: table, JSON, CSV, TSV and the W3C SPARQL results formats.

Article text is data that may be hostile: labels and quotes can hold control characters, right-to-left
overrides, spreadsheet formulas or markup. Every writer here makes them harmless for its medium:

- table: control characters and bidi overrides become visible escapes (``\\u202e``); cells are
  ``rich.text.Text`` so ``[bold]`` is printed, never interpreted;
- CSV/TSV: a cell starting with ``= + - @`` (or tab/CR) gets a ``'`` prefix, so a spreadsheet shows it as
  text; control characters are escaped as for the table;
- JSON: always valid JSON; bidi overrides, C1 controls and U+2028/2029 are written as ``\\uXXXX``;
- SPARQL XML: characters XML 1.0 cannot hold are replaced by U+FFFD (the XML would be unreadable otherwise).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from tradekg.errors import UsageError
from tradekg.namespaces import PREFIXES

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "json", "csv", "tsv", "sparql-json", "sparql-xml")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {f"{_XSD}{t}" for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
)}
_FLOATS = {f"{_XSD}decimal", f"{_XSD}double", f"{_XSD}float"}
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


@dataclass
class QueryResult:
    """The answer to a SELECT or ASK query.

    ``terms`` keep the RDF terms (pyoxigraph) for the W3C formats; ``rows`` give plain Python values:
    IRIs and strings as ``str``, numbers as ``int``/``float``, booleans as ``bool``, unbound as ``None``.
    ``truncated`` is True when a ``limit`` cut the rows; ``total``, when known, is how many rows the whole
    answer has (a paged answer holds fewer).
    """

    variables: list[str] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    limit: int | None = None
    total: int | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts of plain Python values, one key per variable."""
        return [{v: to_python(r.get(v)) for v in self.variables} for r in self.terms]

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    @classmethod
    def from_dicts(cls, rows: list[dict[str, Any]], variables: list[str] | None = None) -> QueryResult:
        """Wrap plain dicts (from ``documents()``, ``queries()``...) so every format can print them.

        >>> QueryResult.from_dicts([{"id": "a", "n": 2}]).rows
        [{'id': 'a', 'n': 2}]
        """
        names = variables or list(dict.fromkeys(k for r in rows for k in r))
        return cls(variables=names, terms=[{k: to_term(r.get(k)) for k in names} for r in rows])


def to_python(t: Any) -> Any:
    """A pyoxigraph term as a plain Python value.

    >>> to_python(ox.Literal("7.7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    7.7
    """
    if t is None or isinstance(t, str | int | float | bool):
        return t
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.Literal):
        dt = t.datatype.value
        try:
            if dt in _INTS:
                return int(t.value)
            if dt in _FLOATS:
                # A decimal written without a fraction (10000) reads back as the whole number it is.
                if dt.endswith("decimal") and re.fullmatch(r"[+-]?\d+", t.value):
                    return int(t.value)
                return float(t.value)
        except ValueError:
            return t.value  # an ill-typed literal stays text
        if dt == f"{_XSD}boolean":
            return t.value in ("true", "1")
        return t.value
    return str(t)


def to_term(v: Any) -> Any:
    """A plain Python value as a pyoxigraph literal (``None`` stays ``None``)."""
    if v is None or isinstance(v, ox.NamedNode | ox.BlankNode | ox.Literal):
        return v
    if isinstance(v, bool):
        return ox.Literal("true" if v else "false", datatype=ox.NamedNode(f"{_XSD}boolean"))
    if isinstance(v, int):
        return ox.Literal(str(v), datatype=ox.NamedNode(f"{_XSD}integer"))
    if isinstance(v, float):
        return ox.Literal(repr(v), datatype=ox.NamedNode(f"{_XSD}double"))
    if isinstance(v, list | tuple):
        return ox.Literal(", ".join(str(x) for x in v))
    return ox.Literal(str(v))


def compact(iri: str) -> str:
    """An IRI with the longest matching project prefix.

    >>> compact("https://w3id.org/tradekg/id/japan")
    'tkid:japan'
    """
    best = ""
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            rest = iri[len(ns):]
            if rest and re.fullmatch(r"[A-Za-z0-9_.\-#]+", rest):
                best = p
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def safe_text(s: str) -> str:
    """Control characters and bidi overrides as visible escapes; tab/newline as a space.

    >>> safe_text("a\\u202eb\\nc\\x07")
    'a\\\\u202eb c\\\\x07'
    """
    def esc(m: re.Match[str]) -> str:
        c = m.group()
        if c in "\n\r\t\x0b\x0c":
            return " "
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"

    return _UNSAFE.sub(esc, s)


def safe_csv_cell(v: Any) -> str:
    """A cell a spreadsheet cannot execute: formulas get a ``'`` prefix; numbers stay numbers.

    >>> safe_csv_cell("=HYPERLINK(1)"), safe_csv_cell("-3.5"), safe_csv_cell(None)
    ("'=HYPERLINK(1)", '-3.5', '')
    """
    if v is None:
        return ""
    s = str(v)
    if s and s[0] in "=+-@\t\r" and not _NUMBER.match(s):
        s = "'" + s
    return safe_text(s)


def cell_text(v: Any) -> str:
    """How a value shows in a table: IRIs compacted, everything made safe."""
    if isinstance(v, ox.NamedNode):
        return safe_text(compact(v.value))
    if v is None:
        return ""
    return safe_text(str(to_python(v)))


def _json_safe(text: str) -> str:
    return re.sub("[\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]",
                  lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps_json(data: Any) -> str:
    """JSON with the invisible direction-changing characters escaped (still the same data).

    >>> dumps_json(["a\\u202eb"])
    '[\\n  "a\\\\u202eb"\\n]'
    """
    return _json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def resolve_format(fmt: str | None, stream: IO[str] | None = None) -> str:
    """The format to print in: the one asked for, else ``table`` on a terminal and ``json`` in a pipe."""
    if fmt:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    stream = stream or sys.stdout
    try:
        return "table" if stream.isatty() else "json"
    except (AttributeError, ValueError):
        return "json"


def render(result: QueryResult, fmt: str, out: IO[str], title: str | None = None, *, width: int | None = None,
           color: bool = False) -> None:
    """Write a result in one of :data:`FORMATS` to ``out``.

    ``width`` and ``color`` say what terminal a table is for (default: 80 columns, no styles), since
    ``out`` may be a buffer on its way to a pager.
    """
    if fmt == "sparql-json":
        out.write(json.dumps(sparql_json(result), ensure_ascii=True, indent=2) + "\n")
    elif fmt == "sparql-xml":
        out.write(sparql_xml(result))
    elif result.boolean is not None:
        if fmt == "json":
            out.write(json.dumps(result.boolean) + "\n")
        else:
            out.write(("true" if result.boolean else "false") + "\n")
    elif fmt == "json":
        out.write(dumps_json(result.rows) + "\n")
    elif fmt in ("csv", "tsv"):
        out.write(delimited(result, fmt))
    elif fmt == "table":
        render_table(result, out, title=title, width=width, color=color)
    else:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def delimited(result: QueryResult, fmt: str) -> str:
    """CSV (RFC 4180 quoting) or TSV (no quoting: tabs and newlines in values are escaped)."""
    buf = io.StringIO()
    if fmt == "csv":
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow([safe_csv_cell(row.get(v)) for v in result.variables])
    else:
        buf.write("\t".join(result.variables) + "\n")
        for row in result.rows:
            buf.write("\t".join(safe_csv_cell(row.get(v)) for v in result.variables) + "\n")
    return buf.getvalue()


def make_console(out: IO[str], *, width: int | None = None, color: bool = False) -> Console:
    """A rich console writing to ``out``: ``width`` columns (else 80 or ``$COLUMNS``), styles only with ``color``."""
    from rich.console import Console

    return Console(file=out, soft_wrap=False, highlight=False, width=width, force_terminal=color or None,
                   no_color=not color, color_system="auto" if color else None)


def render_table(result: QueryResult, out: IO[str], title: str | None = None, *, width: int | None = None,
                 color: bool = False) -> None:
    """A rich table; every cell is plain Text, so markup in the data is shown, not interpreted.

    When the columns would be too narrow to read, each row is printed as its own block of
    ``column  value`` lines instead.

    >>> import io
    >>> buf = io.StringIO(); render_table(QueryResult.from_dicts([{"a": 1}]), buf, width=20)
    >>> print(buf.getvalue().strip())
    ┏━━━┓
    ┃ a ┃
    ┡━━━┩
    │ 1 │
    └───┘
    """
    from rich.table import Table
    from rich.text import Text

    console = make_console(out, width=width, color=color)
    if result.variables and console.width // len(result.variables) < 14:
        for i, row in enumerate(result.terms, 1):
            block = Table(title=f"{title or 'row'} {i}", show_header=False, box=None, title_justify="left")
            block.add_column(style="bold", no_wrap=True)
            block.add_column(overflow="fold")
            for v in result.variables:
                if row.get(v) is not None:
                    block.add_row(Text(v), Text(cell_text(row.get(v))))
            console.print(block)
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    for v in result.variables:
        table.add_column(v, overflow="fold")
    for row in result.terms:
        table.add_row(*[Text(cell_text(row.get(v))) for v in result.variables])
    console.print(table)


def sparql_json(result: QueryResult) -> dict[str, Any]:
    """The W3C SPARQL 1.1 Query Results JSON document."""
    from tradekg.backend import term_to_json

    if result.boolean is not None:
        return {"head": {}, "boolean": result.boolean}
    bindings = [
        {k: term_to_json(t) for k, t in row.items() if t is not None} for row in result.terms
    ]
    return {"head": {"vars": result.variables}, "results": {"bindings": bindings}}


def _xml_text(s: str) -> str:
    return xml_escape(_XML_BAD.sub("\ufffd", s))


def sparql_xml(result: QueryResult) -> str:
    """The W3C SPARQL Query Results XML document."""
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>\n']
    if result.boolean is not None:
        parts.append(f"</head>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(parts)
    parts += [f"  <variable name={quoteattr(v)}/>\n" for v in result.variables]
    parts.append("</head>\n<results>\n")
    for row in result.terms:
        parts.append("  <result>\n")
        for k, t in row.items():
            if t is None:
                continue
            parts.append(f"    <binding name={quoteattr(k)}>")
            if isinstance(t, ox.NamedNode):
                parts.append(f"<uri>{_xml_text(t.value)}</uri>")
            elif isinstance(t, ox.BlankNode):
                parts.append(f"<bnode>{_xml_text(t.value)}</bnode>")
            elif isinstance(t, ox.Literal):
                attr = (f" xml:lang={quoteattr(t.language)}" if t.language
                        else f" datatype={quoteattr(t.datatype.value)}")
                parts.append(f"<literal{attr}>{_xml_text(t.value)}</literal>")
            else:
                parts.append(f"<literal>{_xml_text(str(t))}</literal>")
            parts.append("</binding>\n")
        parts.append("  </result>\n")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts)


def turtle(triples: list[Any]) -> str:
    """Triples (pyoxigraph) as Turtle with the project prefixes."""
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return (data or b"").decode("utf-8")  # bytes, since no output file was given


def xml_escape(text: str) -> str:
    """Escape text for XML content (xml.sax.saxutils would pull urllib into every command's start-up)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value, quoted and escaped."""
    escaped = xml_escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
    return f'"{escaped.replace(chr(9), "&#9;")}"'
