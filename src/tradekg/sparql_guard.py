"""Decide whether a user's SPARQL text may run: read-only queries yes; updates, LOAD and SERVICE no.

The decision is made on rdflib's parse tree, not on the text, so ``SERVICE`` hidden in a nested group,
a sub-select or after a comment is found, and the word "service" inside a string literal is not. A text
rdflib cannot parse is refused too: what cannot be checked does not run.
"""

from __future__ import annotations

from typing import Any

from tradekg.errors import InputError, QueryRefusedError
from tradekg.namespaces import sparql_prologue

_QUERY_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_UPDATE_OPS = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}
#: Deepest nesting of parentheses/braces accepted; rdflib's recursive parser would overflow beyond.
MAX_NESTING = 200
MAX_QUERY_CHARS = 1_000_000


def _walk(node: Any, depth: int = 0) -> Any:
    """Yield every CompValue in a parse tree."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 2 * MAX_NESTING:
        return
    children: Any
    if isinstance(node, CompValue):
        yield node
        children = node.values()
    elif isinstance(node, dict):
        children = node.values()
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        children = node
    else:
        return
    for child in children:
        yield from _walk(child, depth + 1)


def _nesting(text: str) -> int:
    depth = best = 0
    for ch in text:
        if ch in "({[":
            depth += 1
            best = max(best, depth)
        elif ch in ")}]":
            depth -= 1
    return best


def check_update(text: str) -> str:
    """Check an update for ``--allow-update``: it may change the store, but LOAD and SERVICE stay refused.

    >>> check_update("DROP GRAPH <http://example.org/g>")
    'UPDATE'
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    _check_size(text)
    try:
        tree = parseUpdate(sparql_prologue() + text)
    except (ParseException, RecursionError) as err:
        raise InputError(f"SPARQL update syntax error: {_short(err)}") from None
    _refuse_network(tree)
    return "UPDATE"


def _check_size(text: str) -> None:
    if not text.strip():
        raise InputError("empty SPARQL query")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefusedError(f"query refused: longer than {MAX_QUERY_CHARS} characters")
    if _nesting(text) > MAX_NESTING:
        raise QueryRefusedError(f"query refused: nested deeper than {MAX_NESTING} levels")


def _short(err: BaseException) -> str:
    # Line numbers count from the user's text, not from the prologue of PREFIX lines we put before it.
    lineno, col, msg = getattr(err, "lineno", None), getattr(err, "col", None), getattr(err, "msg", None)
    if lineno is not None and msg:
        line = lineno - sparql_prologue().count("\n")
        return " ".join(f"{msg} (line {line}, column {col})".split())[:300]
    return " ".join(str(err).split())[:300]


def _refuse_network(tree: Any) -> None:
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            raise QueryRefusedError(
                "query refused: SERVICE is not allowed (tradekg never reaches the network from a query)"
            )
        if node.name == "Load":
            raise QueryRefusedError("query refused: LOAD is not allowed (it would fetch from the network)")


def check_read_only(text: str) -> str:
    """Return the query form (SELECT, ASK, CONSTRUCT, DESCRIBE), or raise if it may not run.

    Raises :class:`QueryRefusedError` for updates, LOAD and SERVICE, :class:`InputError` for text that
    is not SPARQL.

    >>> check_read_only("SELECT ?s WHERE { ?s a tk:Meeting }")
    'SELECT'
    >>> check_read_only("DROP ALL")
    Traceback (most recent call last):
    ...
    tradekg.errors.QueryRefusedError: query refused: updates are not allowed (DROP); tradekg sparql is read-only
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    _check_size(text)
    full = sparql_prologue() + text
    try:
        tree = parseQuery(full)
    except RecursionError:
        raise QueryRefusedError(f"query refused: nested deeper than {MAX_NESTING} levels") from None
    except ParseException as qerr:
        try:
            update = parseUpdate(full)
        except (ParseException, RecursionError):
            raise InputError(f"SPARQL syntax error: {_short(qerr)}") from None
        _refuse_network(update)
        ops = [
            _UPDATE_OPS.get(op.name, op.name.upper()) if hasattr(op, "name") else "update"
            for op in update.get("request") or []  # CompValue.get's second argument is not a default
        ]
        what = ", ".join(dict.fromkeys(ops)) or "update"
        raise QueryRefusedError(
            f"query refused: updates are not allowed ({what}); tradekg sparql is read-only"
        ) from None
    _refuse_network(tree)
    return _QUERY_FORMS.get(tree[1].name, "SELECT")
