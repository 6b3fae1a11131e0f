"""RDF terms as short strings in SQLite cells, and the order SPARQL's MIN and ORDER BY give them.

A cell keeps the term exactly (an IRI, a plain string, a language-tagged string, a typed literal), so an
answer read from the index carries the same terms a SPARQL answer does. The first character says which:

>>> encode(ox.Literal("Japan", language="en"))
'len\\x1fJapan'
>>> decode(encode(ox.Literal("Japan", language="en"))) == ox.Literal("Japan", language="en")
True
>>> decode(encode(ox.NamedNode("https://w3id.org/tradekg/id/japan")))
<NamedNode value=https://w3id.org/tradekg/id/japan>
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_DATE = ox.NamedNode(XSD + "date")
_SEP = "\x1f"  # between a language tag or datatype and the value: never in an IRI or a tag


def encode(term: Any) -> str:
    """A term as a cell: ``i`` IRI, ``s`` plain string, ``l`` tag + value, ``t`` datatype + value, ``b`` blank."""
    if isinstance(term, ox.NamedNode):
        return "i" + term.value
    if isinstance(term, ox.Literal):
        if term.language:
            return "l" + term.language + _SEP + term.value
        if term.datatype.value == XSD_STRING:
            return "s" + term.value
        return "t" + term.datatype.value + _SEP + term.value
    if isinstance(term, ox.BlankNode):
        return "b" + term.value
    raise TypeError(f"not an RDF term: {term!r}")


def decode(cell: str | None) -> Any:
    """The term a cell holds (None stays None: an unbound variable)."""
    if cell is None:
        return None
    tag, body = cell[0], cell[1:]
    if tag == "i":
        return ox.NamedNode(body)
    if tag == "s":
        return ox.Literal(body)
    if tag == "l":
        lang, _, value = body.partition(_SEP)
        return ox.Literal(value, language=lang)
    if tag == "t":
        dt, _, value = body.partition(_SEP)
        return ox.Literal(value, datatype=ox.NamedNode(dt))
    return ox.BlankNode(body)


def plain(value: str) -> str:
    """A plain string's cell (what ``LCASE``, ``STRAFTER`` and ``GROUP_CONCAT`` give in SPARQL)."""
    return "s" + value


def value_of(cell: str) -> str:
    """The lexical value of a cell (an IRI's text for an IRI)."""
    tag, body = cell[0], cell[1:]
    return body.partition(_SEP)[2] if tag in "lt" else body


def order_key(cell: str | None) -> tuple[int, str]:
    """How SPARQL orders terms (unbound, blank nodes, IRIs, then literals), strings by code point.

    This is the order of Oxigraph's ``MIN`` over the labels, quotes and dates the index keeps (all strings
    or dates); numbers are not ordered across types here, and no named query takes MIN of a number.

    >>> sorted(["sb", "lenA", "sa", "ihttp://x"], key=order_key)
    ['ihttp://x', 'lenA', 'sa', 'sb']
    """
    if cell is None:
        return (0, "")
    if cell[0] == "b":
        return (1, cell[1:])
    if cell[0] == "i":
        return (2, cell[1:])
    return (3, value_of(cell))


_NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float", "long", "int")}


def sort_key(cell: str | None) -> tuple[Any, ...]:
    """:func:`order_key`, with numbers compared as numbers (an ORDER BY over a column of figures).

    >>> sorted(["t%sdecimal\x1f10" % XSD, "t%sdecimal\x1f9.5" % XSD], key=sort_key)[0].endswith("9.5")
    True
    """
    if cell is not None and cell[0] == "t" and cell[1:].partition(_SEP)[0] in _NUMERIC:
        try:
            return (3, 0, float(value_of(cell)), "")
        except ValueError:
            pass
    rank, text = order_key(cell)
    return (rank, 1, 0.0, text)


def minimum(cells: list[str]) -> str | None:
    """SPARQL ``MIN`` of a group's values (None for an empty group)."""
    if len(cells) < 2:
        return cells[0] if cells else None
    return min(cells, key=order_key)


# IRIs in the roles and pairs tables, where each row holds four or five: the project's two namespaces
# written short, in a form that keeps their order (rows are ordered by event IRI), so the tables and their
# indexes are about half the size. Values below, inside, between and above the two namespaces get the
# marks 0 to 4, so comparing the short forms compares the IRIs.
_DOC = "https://w3id.org/tradekg/doc/"
_ID = "https://w3id.org/tradekg/id/"


def short(iri: str) -> str:
    """An IRI as kept in the roles and pairs tables (order and equality preserved).

    >>> short("https://w3id.org/tradekg/id/japan"), short("http://example.org/x")
    ('3japan', '0http://example.org/x')
    >>> iris = ["http://a", "https://w3id.org/tradekg/doc/x#1", "https://w3id.org/tradekg/e", "urn:z"]
    >>> sorted(iris) == sorted(iris, key=short) and all(full(short(i)) == i for i in iris)
    True
    """
    if iri.startswith(_DOC):
        return "1" + iri[len(_DOC):]
    if iri.startswith(_ID):
        return "3" + iri[len(_ID):]
    if iri < _DOC:
        return "0" + iri
    return ("2" if iri < _ID else "4") + iri


def full(code: str) -> str:
    """The IRI :func:`short` wrote."""
    mark, rest = code[0], code[1:]
    return _DOC + rest if mark == "1" else _ID + rest if mark == "3" else rest
