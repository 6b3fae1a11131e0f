"""How every ``tradekg`` command prints: one ``--format``/``-o``/``--no-pager`` decorator and one sink.

:func:`output_options` adds the three options to a command (as sqlite-utils' ``output_options`` does) and
hands it an :class:`Output` in their place. The command gives the Output its data (rows, an answer, text,
a rich table) and the Output renders it in the chosen format and sends it where it goes: to the file
``-o`` names (the format follows the file's suffix when ``--format`` is not given), else to stdout, through
a pager when stdout is a terminal and the text is taller than it (:mod:`tradekg.pager`). The default
format is ``table`` on a terminal and ``json`` in a pipe, unless a command says otherwise.

Start-up stays short: rich, typer's heavy parts and the renderers are imported when output is made.
"""

from __future__ import annotations

import functools
import inspect
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from tradekg.errors import InputError, UsageError
from tradekg.pager import is_terminal, page, terminal_width

if TYPE_CHECKING:
    from rich.console import RenderableType

    from tradekg.output import QueryResult
    from tradekg.presentation import AnswerLike
    from tradekg.results import BatchResult

DATA = ("table", "json", "csv", "tsv")
SPARQL = (*DATA, "sparql-json", "sparql-xml")
REPORT = ("text", "table", "json", "csv", "tsv")
NO_PAGER = "tradekg.no_pager"  # key in click's context meta: the global --no-pager
_BY_SUFFIX = {
    ".json": "json", ".csv": "csv", ".tsv": "tsv", ".ttl": "turtle", ".trig": "trig", ".jsonld": "jsonld",
    ".nt": "nt", ".nq": "nq", ".yaml": "yaml", ".yml": "yaml", ".txt": "text", ".srj": "sparql-json",
    ".srx": "sparql-xml",
}
F = TypeVar("F", bound=Callable[..., Any])


def message(text: str) -> None:
    """One message on stderr (data never goes there)."""
    sys.stderr.write(text.rstrip("\n") + "\n")


class Output:
    """Where a command's output goes and in what format (see the module docstring)."""

    def __init__(self, fmt: str | None, path: Path | None, *, formats: Sequence[str], default: str | None,
                 pager: bool = True, own_files: Sequence[str] = ()) -> None:
        self.path = path
        self.pager = pager
        self.own_files = tuple(own_files)
        inferred = _BY_SUFFIX.get(path.suffix.lower()) if path is not None and fmt is None else None
        if fmt is not None:
            self.format = fmt
        elif inferred in formats:
            self.format = str(inferred)
        elif default is not None:
            self.format = default
        else:
            self.format = "table" if path is None and is_terminal(sys.stdout) else "json"
        if self.format not in formats:
            raise UsageError(f"unknown format {self.format!r}; choose one of {', '.join(formats)}")  # exit 2

    @property
    def to_terminal(self) -> bool:
        """True when the output is shown on a terminal (so a table may use its width and colours)."""
        return self.path is None and is_terminal(sys.stdout)

    @property
    def own_file(self) -> Path | None:
        """The ``-o`` file when the command writes it itself (a page, a picture), else None."""
        return self.path if self.path is not None and self.path.suffix.lower() in self.own_files else None

    def _width(self) -> int | None:
        return terminal_width(sys.stdout) if self.to_terminal else None

    def text(self, text: str) -> None:
        """Send finished text: to the ``-o`` file (with a message saying so), else to stdout or the pager."""
        if self.path is not None:
            try:
                self.path.write_text(text, encoding="utf-8")
            except OSError as err:
                raise InputError(f"cannot write: {err.strerror or err}", path=self.path) from None
            message(f"wrote {self.path}")
        else:
            page(text, sys.stdout, enabled=self.pager)

    def rows(self, data: QueryResult | list[dict[str, Any]], *, readable: bool = False,
             title: str | None = None) -> None:
        """Rows in the chosen format; ``readable`` tables fold figures and sources (:mod:`tradekg.presentation`)."""
        from tradekg.output import QueryResult, render
        from tradekg.presentation import readable as readable_rows

        result = data if isinstance(data, QueryResult) else QueryResult.from_dicts(data)
        if readable and self.format == "table" and result.boolean is None:
            result = readable_rows(result.rows, result.variables)
        buf = io.StringIO()
        render(result, self.format, buf, title=title, width=self._width(), color=self.to_terminal)
        self.text(buf.getvalue())
        if result.truncated:
            message(f"note: only the first {result.limit} rows are shown (--limit); there are more.")

    def table(self, renderable: RenderableType) -> None:
        """A rich table (or any renderable) a command built itself, for ``--format table``."""
        from tradekg.output import make_console

        buf = io.StringIO()
        make_console(buf, width=self._width(), color=self.to_terminal).print(renderable)
        self.text(buf.getvalue())

    def answer(self, answer: AnswerLike, *, sparql: str = "") -> int:
        """An answer of ``ask``; the exit code: 0 with rows, 1 without (then only messages are printed)."""
        from tradekg.presentation import render_answer

        data, notes = render_answer(answer, self.format, show_sparql=sparql, width=self._width(),
                                    color=self.to_terminal)
        if notes:
            message(notes)
        if data:
            self.text(data)
        return 0 if answer.rows else 1

    def batch(self, result: BatchResult, verb: str) -> None:
        """The outcome of ``validate`` or ``ingest``: a text report, or one row per document."""
        from tradekg.validate import format_report

        for o in result:  # what a plain-text article's draft left out: always on stderr, in every format
            for note in o.notes:
                message(note)
        if self.format == "json":
            self.rows([{**o.to_dict(), **({"findings": [f.to_dict() for f in o.report.findings]} if o.report else {})}
                       for o in result])
        elif self.format != "text":
            # One row per document; findings are a list, so they go to stderr here (and into --format json).
            for o in result:
                if o.report is not None and o.report.findings:
                    message(format_report([o.report]))
            # Notes are a list too: they went to stderr above, and are in --format json.
            self.rows([{k: v for k, v in o.to_dict().items() if k != "notes"} for o in result])
        else:
            lines: list[str] = []
            for o in result:
                if o.error:
                    message(o.error)
                elif o.report is not None and (o.report.findings or verb == "validate"):
                    if verb == "validate":
                        lines.append(format_report([o.report]))
                    else:
                        message(format_report([o.report]))
                if verb == "ingest" and o.document_id and not o.error:
                    lines.append(f"{o.status:10} {o.document_id}: {o.events} events, {o.triples} triples, "
                                 f"{o.warnings} warnings")
            if lines:
                self.text("\n".join(lines) + "\n")
        refused = result.refused
        if len(result) > 1 and refused:
            message(f"{len(refused)} of {len(result)} documents refused:")
            for o in refused:
                message(f"  {o.path} ({o.status})")


def output_options(formats: Sequence[str] = DATA, *, default: str | None = None, own_files: Sequence[str] = (),
                   output_help: str = "Write to FILE, not stdout (the format follows its suffix).") -> Callable[[F], F]:
    """Give a command ``--format/-f``, ``--output/-o`` and ``--no-pager``; it receives ``out: Output``.

    ``formats`` are the choices, ``default`` the format when none is given (None: table on a terminal,
    json in a pipe), ``own_files`` the ``-o`` suffixes the command writes itself (see :attr:`Output.own_file`).
    """
    shown = default or "table on a terminal, json in a pipe"
    fmt_type = Annotated[str | None, typer.Option(
        "--format", "-f", show_default=False, metavar="|".join(formats),
        help=f"Output format: {', '.join(formats)}; default: {shown}.")]
    path_type = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help=output_help)]
    pager_type = Annotated[bool, typer.Option("--no-pager", help="Do not page long output on a terminal.")]

    def decorate(command: F) -> F:
        sig = inspect.signature(command, eval_str=True)
        params = [p for name, p in sig.parameters.items() if name != "out"]
        added = [inspect.Parameter("format_", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=fmt_type),
                 inspect.Parameter("output_", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=path_type),
                 inspect.Parameter("no_pager_", inspect.Parameter.KEYWORD_ONLY, default=False,
                                   annotation=pager_type)]

        @functools.wraps(command)
        def run(*args: Any, format_: str | None = None, output_: Path | None = None, no_pager_: bool = False,
                **kwargs: Any) -> Any:
            # The command's own context (typer passes it as ``ctx``; a click Context typer vendors, hence
            # no isinstance) carries the global --no-pager in its meta, shared down the command chain.
            meta = getattr(kwargs.get("ctx"), "meta", None) or {}
            paging = not (no_pager_ or meta.get(NO_PAGER))
            out = Output(format_, output_, formats=formats, default=default, pager=paging, own_files=own_files)
            return command(*args, out=out, **kwargs)

        new_sig = sig.replace(parameters=[*params, *added])
        run.__signature__ = new_sig  # type: ignore[attr-defined]  # typer reads the options from it
        run.__annotations__ = {p.name: p.annotation for p in new_sig.parameters.values()}
        return run  # type: ignore[return-value]  # same call shape for typer, minus `out`

    return decorate


def progress_bar() -> Callable[[int, int, str], None]:
    """A rich progress bar on stderr, with rate and time left, when there are more than a few documents."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
        console=Console(file=sys.stderr), transient=True,
    )
    state: dict[str, Any] = {}

    def update(done: int, total: int, path: str) -> None:
        if total <= 3:
            return
        if "task" not in state:
            progress.start()
            state["task"] = progress.add_task("documents", total=total, rate="")
        task = progress.tasks[0]
        speed = task.speed
        progress.update(state["task"], completed=done, rate=f"{speed:.1f} docs/s" if speed else "")
        if done >= total:
            progress.stop()

    return update
