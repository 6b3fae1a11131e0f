"""The command line's side of the answer index: paging an answer (``--limit``, ``--offset``, ``--all``,
the total on stderr), and the ``search`` and ``reindex`` commands (registered by :mod:`tradekg.cli`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from tradekg.cli_output import DATA, Output, message, output_options

if TYPE_CHECKING:
    from tradekg.kg import KnowledgeGraph

PageLimitOpt = Annotated[int | None, typer.Option(
    "--limit", min=1, help="At most N rows; default 50 on a terminal, all of them in a pipe.")]
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, help="Skip the first N rows (newest first).")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every row, even on a terminal.")]
TERMINAL_PAGE = 50


def page_limit(limit: int | None, all_rows: bool, out: Output) -> int | None:
    """The rows to show: --limit, else none with --all or in a pipe, else a terminal's page."""
    if limit is not None:
        return limit
    return None if all_rows or not out.to_terminal else TERMINAL_PAGE


def print_page(result: Any, out: Output, offset: int) -> None:
    """Print one page of an answer; say on stderr how many rows there are in all and which are shown."""
    total = result.total if result.total is not None else len(result)
    shown = len(result)
    truncated, result.truncated = result.truncated, False
    out.rows(result, readable=True)
    if truncated or offset:
        more = " (--offset N for more, --all for every row)" if offset + shown < total else ""
        message(f"rows {offset + 1}–{offset + shown} of {total}{more}")
    else:
        message(f"{total} row{'s' if total != 1 else ''}")


def _kg(ctx: typer.Context) -> KnowledgeGraph:
    """The store the global options chose (``tradekg.cli.State``, the root context's object)."""
    kg: KnowledgeGraph = ctx.find_root().obj.kg
    return kg


@output_options(DATA)
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help='Words to find in evidence sentences: rice, "Section 232", tariff*')],
    out: Output,
    limit: PageLimitOpt = None,
    offset: OffsetOpt = 0,
    all_rows: AllOpt = False,
) -> None:
    """Find events by the words of their evidence sentences (full-text, SQLite FTS5 syntax), with their sources.

    Exit 1 when nothing matches; 2 for a malformed search (an unclosed quote, a bare operator).
    """
    result = _kg(ctx).search(text, limit=page_limit(limit, all_rows, out), offset=offset)
    if not len(result):
        message(f"no answer: no evidence sentence matches {text!r}")
        if out.format != "table":
            out.rows(result)
        raise typer.Exit(1)
    print_page(result, out, offset)


def reindex(ctx: typer.Context) -> None:
    """Rebuild the answer index of a local store from scratch (it is kept up to date by every write)."""
    info = _kg(ctx).reindex()
    message(f"reindexed {info['documents']} documents in {info['seconds']} s")
