"""What the command line gives in free form: a named query's parameters, and the text of a SPARQL query.

A named query's parameters are only known once its file is read, so ``tradekg query NAME`` takes any
``--KEY VALUE`` and this module reads them; the query then says which it does not know.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tradekg.errors import UsageError


def query_text(text: str | None, file: Path | None) -> str:
    """The SPARQL text of ``tradekg sparql``: the argument, stdin when it is ``-``, or the ``--file``.

    >>> query_text("ASK {}", None)
    'ASK {}'
    """
    if (text is None) == (file is None):
        raise UsageError("give the query as an argument, as - (stdin), or with --file, and only one of them")
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise UsageError(f"cannot read the query: {err}", path=file) from None
    return sys.stdin.read() if text == "-" else str(text)


def query_params(args: list[str]) -> dict[str, str]:
    """``--param KEY VALUE``, ``--param KEY=VALUE`` or ``--KEY VALUE``, in any mix.

    >>> query_params(["--param", "by", "US", "-p", "of=Japan", "--topic", "rice", "--from=2025-04-01"])
    {'by': 'US', 'of': 'Japan', 'topic': 'rice', 'from': '2025-04-01'}
    """
    params: dict[str, str] = {}
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--param", "-p"):
            if i + 1 >= len(args):
                raise UsageError("--param needs KEY VALUE")
            key, eq, value = args[i + 1].partition("=")
            if not eq:
                if i + 2 >= len(args):
                    raise UsageError(f"--param {key} needs a VALUE")
                value = args[i + 2]
            i += 2 if eq else 3
        elif a.startswith("--") and len(a) > 2:
            key, eq, value = a[2:].partition("=")
            if not eq:
                if i + 1 >= len(args):
                    raise UsageError(f"{a} needs a VALUE")
                value = args[i + 1]
            i += 1 if eq else 2
        else:
            raise UsageError(f"unexpected argument {a!r}; give parameters as --param KEY VALUE")
        if key in params:
            raise UsageError(f"parameter {key!r} given twice")
        params[key] = value
    return params
