"""An answer as text: a table with its summary and sources, JSON or CSV; and how ``tradekg ask`` prints it."""

from __future__ import annotations

import sys
from typing import IO

from tradekg.ask.model import Answer
from tradekg.errors import InputError

FORMATS = ("table", "json", "csv")

_ALWAYS = ["title", "published", "evidence"]
_HIDDEN = frozenset({"event", "article", "summary", *_ALWAYS})


def _display(query: str | None) -> list[str]:
    """The columns the named query's ``# display:`` header lists for a table."""
    from tradekg.queries import load_queries

    nq = load_queries().get(query or "")
    return list(nq.display) if nq is not None else []


def format_answer(answer: Answer, fmt: str = "table", *, show_sparql: bool = False) -> str:
    """The answer as text: ``table`` (summary, rows, sources), ``json`` (the whole answer) or ``csv`` (rows).

    >>> a = Answer("q?", "Nothing.", [{"title": "T", "published": "2025-04-19", "evidence": "E"}])
    >>> format_answer(a, "csv").splitlines()
    ['title,published,evidence', 'T,2025-04-19,E']
    """
    from tradekg.output import QueryResult, delimited, dumps_json, render_table

    if fmt == "json":
        return dumps_json(answer.to_dict(with_sparql=show_sparql)) + "\n"
    # A query without a list here (events, and any a user adds) shows every column but its keys and
    # provenance, in the query's order.
    default = [c for c in dict.fromkeys(k for r in answer.rows for k in r) if c not in _HIDDEN]
    cols = [c for c in _display(answer.query) or default if any(c in r for r in answer.rows)]
    cols += [c for c in _ALWAYS if any(c in r for r in answer.rows)]
    if fmt == "csv":
        allcols = list(dict.fromkeys(k for r in answer.rows for k in r))
        return delimited(QueryResult.from_dicts(answer.rows, allcols), "csv")
    if fmt != "table":
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    import io

    out = io.StringIO()
    out.write(answer.summary + "\n")
    if answer.rows:
        render_table(QueryResult.from_dicts([{c: r.get(c) for c in cols} for r in answer.rows], cols), out)
    if answer.sources:
        out.write("Sources:\n")
        for s in answer.sources:
            out.write(f"  - {s.get('title')} ({s.get('published')}) <{s.get('article')}>\n")
    for note in answer.notes:
        out.write(f"Note: {note}\n")
    if show_sparql:
        out.write(sparql_text(answer))
    return out.getvalue()


def sparql_text(answer: Answer) -> str:
    """The query that ran and the bindings used, as text for ``--show-sparql``."""
    lines = [f"# query: {answer.query}"]
    for k, b in answer.bindings.items():
        iris = f" -> {', '.join(b['iris'])}" if b.get("iris") else ""
        lines.append(f"# {k} = {b['value']!r} ({b['applied']}; from {b['text']!r}){iris}")
    return "\n".join(lines) + "\n" + answer.sparql + "\n"


def print_answer(answer: Answer, fmt: str = "table", *, show_sparql: bool = False, out: IO[str] | None = None,
                 err: IO[str] | None = None) -> int:
    """Print an answer the way ``tradekg ask`` does and return its exit code: 0 with rows, 1 without.

    Without rows nothing goes to ``out`` (data) and the summary goes to ``err`` (messages); for ``csv`` the
    summary and notes always go to ``err`` so the output stays a clean table.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if not answer.rows:
        err.write(answer.summary + "\n")
        for note in answer.notes:
            err.write(f"Note: {note}\n")
        if show_sparql:
            err.write(sparql_text(answer))
        return 1
    if fmt == "csv":
        err.write(answer.summary + "\n")
        for note in answer.notes:
            err.write(f"Note: {note}\n")
        if show_sparql:
            err.write(sparql_text(answer))
    out.write(format_answer(answer, fmt, show_sparql=show_sparql))
    return 0

