"""Query rewrites for servers that need them (Virtuoso 7.2): the SELECT's ORDER BY moved outside a sub-select,
since Virtuoso refuses aggregates in ORDER BY and sorts long strings wrongly; MIN of one value sent as SAMPLE.
They read the query text at its top level only (IRIs, strings and brackets skipped), and are used by
:mod:`tradekg.remote_dialect`, the one place server differences are handled."""

from __future__ import annotations

import re

_AGGREGATE = re.compile(r"\b(?:COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_]+")


def _in_name(ch: str) -> bool:
    return ch.isalnum() or ch in "?$_:"


def _top_level(text: str) -> list[tuple[int, str]]:
    """(position, upper-case word) of each keyword outside braces, strings, IRIs and comments."""
    out: list[tuple[int, str]] = []
    depth, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif ch in "\"'":
            long = text.startswith(ch * 3, i)
            end = ch * 3 if long else ch
            j = i + len(end)
            while j < n and not text.startswith(end, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(end)
            continue
        elif ch == "<" and (m := _IRI.match(text, i)):
            i = m.end()
            continue
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and (m := _WORD.match(text, i)) and (i == 0 or not _in_name(text[i - 1])):
            out.append((i, m.group(0).upper()))
            i = m.end()
            continue
        i += 1
    return out


def _balanced(text: str, i: int) -> int:
    """The end of the parenthesized group that starts at ``text[i] == "("``."""
    depth = 0
    for j in range(i, len(text)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return j + 1
    return len(text)


def _split_keys(clause: str) -> list[str]:
    """The keys of an ORDER BY clause: ``?v``, ``DESC(?v)``, ``(expr)``, ``STR(?v)``.

    >>> _split_keys("(!BOUND(?date)) ?date DESC(MIN(?o)) STR(?e)")
    ['(!BOUND(?date))', '?date', 'DESC(MIN(?o))', 'STR(?e)']
    """
    keys, i = [], 0
    while i < len(clause):
        if clause[i].isspace():
            i += 1
            continue
        if clause[i] == "(":
            end = _balanced(clause, i)
        elif m := re.compile(r"[?$]\w+|[\w:]+").match(clause, i):
            end = m.end()
            rest = len(clause[end:]) - len(clause[end:].lstrip())
            if clause[end + rest:end + rest + 1] == "(" and clause[i] not in "?$":
                end = _balanced(clause, end + rest)
        else:
            end = i + 1
        keys.append(clause[i:end].strip())
        i = end
    return keys


def _projection(clause: str) -> list[str] | None:
    """The variables a SELECT clause projects, in order (None for ``*``).

    >>> _projection(" ?m (SAMPLE(?l_) AS ?l) ?a")
    ['m', 'l', 'a']
    """
    if re.match(r"\s*(?:(?:DISTINCT|REDUCED)\s+)?\*", clause, re.IGNORECASE):
        return None
    names, depth = [], 0
    for m in re.finditer(r"\(|\)|\bAS\s+[?$](\w+)|[?$](\w+)", clause, re.IGNORECASE):
        if m.group(0) == "(":
            depth += 1
        elif m.group(0) == ")":
            depth -= 1
        elif m.group(1):
            names.append(m.group(1))
        elif depth == 0:
            names.append(m.group(2))
    return list(dict.fromkeys(names))


_MIN_AS = re.compile(r"\(MIN\((\s*[?$]\w+\s*)\)(\s+AS\s+)", re.IGNORECASE)


def min_as_sample(text: str) -> str:
    """Each ``(MIN(?x) AS ?y)`` as ``(SAMPLE(?x) AS ?y)`` (see the module docstring); MIN elsewhere stays.

    >>> min_as_sample("SELECT (MIN(?l) AS ?label) WHERE { ?s ?p ?l } GROUP BY ?s ORDER BY (MIN(?o))")
    'SELECT (SAMPLE(?l) AS ?label) WHERE { ?s ?p ?l } GROUP BY ?s ORDER BY (MIN(?o))'
    """
    return _MIN_AS.sub(r"(SAMPLE(\1)\2", text)


def order_outside(text: str) -> str:
    """A SELECT query with its ORDER BY moved outside a sub-select (see above); other queries unchanged.

    >>> q = "PREFIX ex: <http://e/#> SELECT ?m (SAMPLE(?l) AS ?label) WHERE { ?m ex:l ?l } GROUP BY ?m ORDER BY ?label"
    >>> print(order_outside(q))  # doctest: +NORMALIZE_WHITESPACE
    PREFIX ex: <http://e/#> SELECT ?m ?label WHERE { { SELECT ?m (SAMPLE(?l) AS ?label) WHERE { ?m ex:l ?l }
      GROUP BY ?m } } ORDER BY STR(?label)
    """
    words = _top_level(text)
    select = next((p for p, w in words if w == "SELECT"), None)
    order = [p for p, w in words if w == "ORDER"]
    if select is None or not order or not any(w in ("WHERE",) for _p, w in words):
        return text
    start = order[-1]
    body_end = start
    tail_at = next((p for p, w in words if p > start and w in ("LIMIT", "OFFSET", "VALUES")), len(text))
    clause = re.sub(r"^ORDER\s+BY", "", text[start:tail_at], flags=re.IGNORECASE).strip()
    where = next(p for p, w in words if w == "WHERE" and p > select)
    names = _projection(text[select + len("SELECT"):where])
    if names is None:
        return text
    hidden, keys = [], []
    for i, key in enumerate(_split_keys(clause)):
        direction, inner = "", key
        m = re.match(r"^(ASC|DESC)\s*\((.*)\)$", key, re.IGNORECASE | re.DOTALL)
        if m:
            direction, inner = m.group(1).upper(), m.group(2)
        if _AGGREGATE.search(inner):
            hidden.append(f"({inner.strip()} AS ?tk_order_{i})")
            inner = f"?tk_order_{i}"
        elif re.fullmatch(r"\s*[?$]\w+\s*", inner):
            inner = f"STR({inner.strip()})"
        keys.append(f"{direction}({inner})" if direction else inner)
    projection = text[select:where].rstrip()
    # A GROUP_CONCAT of no values is "" on Virtuoso and unbound on Oxigraph: renamed inside, unbound outside.
    lists = re.findall(r"GROUP_CONCAT\s*\([^()]*\)\s+AS\s+[?$](\w+)\s*\)", projection, re.IGNORECASE)
    used = " ".join(keys)
    lists = [n for n in lists if f"?{n}" not in used and f"${n}" not in used]
    for n in lists:
        projection = re.sub(rf"(\bAS\s+)[?$]{n}(\s*\))", rf"\1?tk_list_{n}\2", projection, flags=re.IGNORECASE)
    sub = projection + (" " + " ".join(hidden) if hidden else "") + " " + text[where:body_end].rstrip()
    outer = " ".join(f"(IF(STRLEN(?tk_list_{n}) > 0, ?tk_list_{n}, ?tk_none) AS ?{n})" if n in lists else f"?{n}"
                     for n in names)
    return (f"{text[:select]}SELECT {outer} WHERE {{ {{ {sub} }} }} ORDER BY {' '.join(keys)}"
            + (" " + text[tail_at:].strip() if tail_at < len(text) else ""))
