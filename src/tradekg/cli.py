"""The ``tradekg`` command: one command per :class:`tradekg.KnowledgeGraph` method, and nothing else.

Data goes to stdout, messages to stderr. Exit codes: 0 ok; 1 findings (a refused document, a named
query with no answer); 2 bad usage or input (including "store in use by another process" and refused
queries); 3 an internal error (a bug: please report it). No command prints a traceback.

Start-up is kept short: heavy modules (rdflib, pySHACL, networkx, matplotlib) are imported inside the
commands that need them, never at the top of this module.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tradekg.errors import TradekgError, UsageError

if TYPE_CHECKING:
    from tradekg.kg import BatchResult, KnowledgeGraph

app = typer.Typer(
    name="tradekg",
    help="A knowledge graph of trade-negotiation events built from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    sparql_json = "sparql-json"
    sparql_xml = "sparql-xml"


class ReportFmt(StrEnum):
    text = "text"
    json = "json"


class ExportFmt(StrEnum):
    turtle = "turtle"
    trig = "trig"
    jsonld = "jsonld"
    nt = "nt"
    nq = "nq"


# Options shared by several commands (declared once, sqlite-utils style).
FormatOpt = Annotated[
    Fmt | None,
    typer.Option("--format", "-f", help="Output format; default: table on a terminal, json in a pipe."),
]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", min=1, help="Return at most N rows (a notice on stderr says so).")
]
PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders of annotations (.yaml .ttl .trig .jsonld)")]


class State:
    """What the global options chose; the KnowledgeGraph is opened on first use."""

    def __init__(self, store: str | None, gazetteer: list[Path]) -> None:
        self.store, self.gazetteer = store, gazetteer
        self._kg: KnowledgeGraph | None = None

    @property
    def kg(self) -> KnowledgeGraph:
        if self._kg is None:
            from tradekg.kg import KnowledgeGraph

            self._kg = KnowledgeGraph.open(self.store, gazetteer=self.gazetteer)
        return self._kg


@app.callback()
def _global(
    ctx: typer.Context,
    store: Annotated[str | None, typer.Option(
        "--store", metavar="DIR",
        help="The store: a folder, or a SPARQL endpoint URL. Default: $TRADEKG_STORE, else ./tradekg-store.",
    )] = None,
    gazetteer: Annotated[list[Path] | None, typer.Option(
        "--gazetteer", metavar="FILE", help="An extra gazetteer file (Turtle); repeatable.",
    )] = None,
) -> None:
    ctx.obj = State(store, list(gazetteer or []))


def _kg(ctx: typer.Context) -> KnowledgeGraph:
    return ctx.find_object(State).kg


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def _emit(result: Any, fmt: Fmt | None, title: str | None = None) -> None:
    """Print rows (a QueryResult or a list of dicts) in the chosen format to stdout."""
    from tradekg.output import QueryResult, render, resolve_format

    if not isinstance(result, QueryResult):
        result = QueryResult.from_dicts(result)
    render(result, resolve_format(fmt.value if fmt else None), sys.stdout, title=title)
    if result.truncated:
        _err(f"note: only the first {result.limit} rows are shown (--limit); there are more.")


# --- validate / ingest ------------------------------------------------------------------------------


def _progress(total_hint: int):
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


def _print_batch(result: BatchResult, fmt: ReportFmt, verb: str) -> None:
    from tradekg.output import dumps_json
    from tradekg.validate import format_report

    if fmt == ReportFmt.json:
        data = [
            {**o.to_dict(), **({"findings": [f.to_dict() for f in o.report.findings]} if o.report else {})}
            for o in result
        ]
        sys.stdout.write(dumps_json(data) + "\n")
    else:
        for o in result:
            if o.error:
                _err(o.error)
            elif o.report is not None and (o.report.findings or verb == "validate"):
                out = sys.stdout if verb == "validate" else sys.stderr
                out.write(format_report([o.report]) + "\n")
            if verb == "ingest" and o.document_id and not o.error:
                sys.stdout.write(
                    f"{o.status:10} {o.document_id}: {o.events} events, {o.triples} triples, "
                    f"{o.warnings} warnings\n"
                )
    refused = result.refused
    if len(result) > 1 and refused:
        _err(f"{len(refused)} of {len(result)} documents refused:")
        for o in refused:
            _err(f"  {o.path} ({o.status})")


@app.command()
def validate(
    ctx: typer.Context,
    paths: PathsArg,
    fmt: Annotated[ReportFmt, typer.Option("--format", "-f", help="text or json")] = ReportFmt.text,
) -> None:
    """Check documents against the shapes. Exit 0 conforms, 1 a violation, 2 unreadable input."""
    result = _kg(ctx).validate(paths, progress=_progress(0))
    _print_batch(result, fmt, "validate")
    raise typer.Exit(result.exit_code)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: PathsArg,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")] = False,
    fmt: Annotated[ReportFmt, typer.Option("--format", "-f", help="text or json")] = ReportFmt.text,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Validate in N worker processes; one writer.")] = 1,
) -> None:
    """Validate documents and write the valid ones, each as one atomic replace of its graph.

    Exit 0 all written; 1 some refused by validation (the others are written); 2 unreadable input or
    the store is in use by another process.
    """
    result = _kg(ctx).ingest(paths, dry_run=dry_run, progress=_progress(0), jobs=jobs)
    _print_batch(result, fmt, "validate" if dry_run else "ingest")
    raise typer.Exit(result.exit_code)


@app.command()
def documents(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List the ingested documents: id, title, publisher, date, events, triples."""
    rows = _kg(ctx).documents()
    if not rows:
        _err("the store holds no documents (add some with: tradekg ingest PATH)")
    _emit(rows, fmt)


@app.command()
def remove(ctx: typer.Context, document: Annotated[str, typer.Argument(help="Document id or IRI")]) -> None:
    """Remove exactly one document's graph."""
    _kg(ctx).remove(document)
    _err(f"removed {document}")


# --- queries ----------------------------------------------------------------------------------------


@app.command()
def queries(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List the named queries, their descriptions and parameters."""
    _emit([q.to_dict() for q in _kg(ctx).queries()], fmt)


def _query_params(args: list[str]) -> dict[str, str]:
    """``--param KEY VALUE``, ``--param KEY=VALUE`` or ``--KEY VALUE``, in any mix."""
    params: dict[str, str] = {}
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--param", "-p"):
            if i + 1 >= len(args):
                raise UsageError("--param needs KEY VALUE")
            key = args[i + 1]
            if "=" in key:
                key, value = key.split("=", 1)
                i += 2
            else:
                if i + 2 >= len(args):
                    raise UsageError(f"--param {key} needs a VALUE")
                value = args[i + 2]
                i += 3
        elif a.startswith("--") and len(a) > 2:
            key, eq, value = a[2:].partition("=")
            if not eq:
                if i + 1 >= len(args):
                    raise UsageError(f"{a} needs a VALUE")
                value = args[i + 1]
                i += 2
            else:
                i += 1
        else:
            raise UsageError(f"unexpected argument {a!r}; give parameters as --param KEY VALUE")
        if key in params:
            raise UsageError(f"parameter {key!r} given twice")
        params[key] = value
    return params


PageLimitOpt = Annotated[int | None, typer.Option(
    "--limit", min=1, help="At most N rows; default 50 on a terminal, all of them in a pipe.")]
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, help="Skip the first N rows (newest first).")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every row, even on a terminal.")]
TERMINAL_PAGE = 50


def _page_limit(limit: int | None, all_rows: bool) -> int | None:
    """The rows to show: --limit, else none with --all or in a pipe, else a terminal's page."""
    if limit is not None:
        return limit
    return None if all_rows or not sys.stdout.isatty() else TERMINAL_PAGE


def _emit_page(result: Any, fmt: Fmt | None, offset: int) -> None:
    """Print one page of an answer; say on stderr how many rows there are in all and which are shown."""
    total = getattr(result, "total", len(result))
    shown = len(result)
    truncated, result.truncated = result.truncated, False
    _emit(result, fmt)
    if truncated or offset:
        more = " (--offset N for more, --all for every row)" if offset + shown < total else ""
        _err(f"rows {offset + 1}–{offset + shown} of {total}{more}")
    else:
        _err(f"{total} row{'s' if total != 1 else ''}")


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    epilog="Example: tradekg query requests --param by 'United States' --param of Japan",
)
def query(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A named query (see: tradekg queries)")],
    fmt: FormatOpt = None,
    limit: PageLimitOpt = None,
    offset: OffsetOpt = 0,
    all_rows: AllOpt = False,
) -> None:
    """Run a named query: --param KEY VALUE (repeatable; --KEY VALUE works too).

    Actor values are a label, alias, id or IRI, case-insensitive; a country also matches its officials.
    Rows come newest first, 50 at a time on a terminal (--limit, --offset, --all); the number of rows in
    all is said on stderr. Exit 0 with rows; 1 when the question has no answer (a message on stderr; json
    prints []); 2 for an unknown query or parameter, a missing required one, or an unknown actor.
    """
    params = _query_params(list(ctx.args))
    result = _kg(ctx).query(name, limit=_page_limit(limit, all_rows), offset=offset, **params)
    if not len(result):
        _err(f"no answer: query {name!r} matched nothing"
             + (f" at --offset {offset} ({result.total} rows in all)" if offset else ""))
        if fmt not in (None, Fmt.table):
            _emit(result, fmt)
        elif not sys.stdout.isatty():
            _emit(result, Fmt.json)
        raise typer.Exit(1)
    _emit_page(result, fmt, offset)


@app.command()
def sparql(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(metavar="QUERY", help="The query, or - to read stdin")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from a .rq file")] = None,
    fmt: FormatOpt = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Stop the query after SECONDS")] = 30.0,
    limit: LimitOpt = None,
    allow_update: Annotated[bool, typer.Option(
        "--allow-update", help="Let an update (INSERT, DELETE, DROP...) change a local store; LOAD and "
        "SERVICE stay refused.")] = False,
) -> None:
    """Run a SPARQL 1.1 query over all graphs, with the project prefixes declared.

    SELECT and ASK print rows; CONSTRUCT and DESCRIBE print Turtle. Read-only: updates, LOAD and SERVICE
    are refused (exit 2). An empty answer is still an answer: exit 0.
    """
    if (text is None) == (file is None):
        raise UsageError("give the query as an argument, as - (stdin), or with --file, and only one of them")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise UsageError(f"cannot read the query: {err}", path=file) from None
    elif text == "-":
        text = sys.stdin.read()
    assert text is not None
    result = _kg(ctx).sparql(text, timeout=timeout, limit=limit, allow_update=allow_update)
    if result is None:
        _err("update done")
        return
    from tradekg.kg import ResultGraph

    if isinstance(result, ResultGraph):
        sys.stdout.write(result.turtle())
        if result.truncated:
            _err(f"note: only the first {result.limit} triples are shown (--limit); there are more.")
        return
    _emit(result, fmt)



@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f", help="turtle, trig, jsonld, nt or nq")] = (
        ExportFmt.turtle),
    document: Annotated[str | None, typer.Option("--document", help="Export only this document")] = None,
    include_system: Annotated[bool, typer.Option(
        "--all", help="Include the ontology, gazetteer and meta graphs")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE, not stdout")] = None,
) -> None:
    """Export the documents (or one) as RDF. TriG, N-Quads and JSON-LD keep the named graphs."""
    text = _kg(ctx).export(fmt.value, document=document, include_system=include_system, path=output)
    if output is None:
        sys.stdout.write(text)
    else:
        _err(f"wrote {output}")


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help='Words to find in evidence sentences: rice, "Section 232", tariff*')],
    fmt: FormatOpt = None,
    limit: PageLimitOpt = None,
    offset: OffsetOpt = 0,
    all_rows: AllOpt = False,
) -> None:
    """Find events by the words of their evidence sentences (full-text, SQLite FTS5 syntax), with their sources.

    Exit 1 when nothing matches; 2 for a malformed search (an unclosed quote, a bare operator).
    """
    result = _kg(ctx).search(text, limit=_page_limit(limit, all_rows), offset=offset)
    if not len(result):
        _err(f"no answer: no evidence sentence matches {text!r}")
        if fmt not in (None, Fmt.table) or not sys.stdout.isatty():
            _emit(result, fmt or Fmt.json)
        raise typer.Exit(1)
    _emit_page(result, fmt, offset)


@app.command()
def reindex(ctx: typer.Context) -> None:
    """Rebuild the answer index of a local store from scratch (it is kept up to date by every write)."""
    info = _kg(ctx).reindex()
    _err(f"reindexed {info['documents']} documents in {info['seconds']} s")


# --- views --------------------------------------------------------------------------------------------


@app.command()
def network(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the network: .html .png .svg .graphml .gexf .dot .json")] = None,
    document: Annotated[str | None, typer.Option("--document", help="Only this document")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only actors near this one")] = None,
    depth: Annotated[int | None, typer.Option("--depth", min=0, help="Hops from --actor (default 1)")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Only these interactions; repeatable")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Only events on or after YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Only events on or before YYYY-MM-DD")] = None,
    by_country: Annotated[bool, typer.Option("--by-country", help="Fold persons into their countries")] = False,
    fmt: FormatOpt = None,
) -> None:
    """The actor network: who met, asked, answered, gave to, invited or informed whom."""
    from tradekg.network import network_summary, write_network

    g = _kg(ctx).network(document=document, actor=actor, depth=depth, kinds=kind, date_from=date_from,
                         date_to=date_to, by_country=by_country)
    if output is not None:
        write_network(g, output)
        _err(f"wrote {output} ({g.number_of_nodes()} actors, {g.number_of_edges()} edges)")
    else:
        _emit(network_summary(g), fmt)


@app.command()
def timeline(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option("--actor", help="Only events this actor takes part in")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Only events on or after YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Only events on or before YYYY-MM-DD")] = None,
    document: Annotated[str | None, typer.Option("--document", help="Only this document")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write .html, .png or .svg")] = None,
    fmt: FormatOpt = None,
) -> None:
    """What happened in what order, grouped by negotiation round, with sources."""
    from tradekg.output import dumps_json, resolve_format

    rows = _kg(ctx).timeline(actor=actor, date_from=date_from, date_to=date_to, document=document)
    if output is not None:
        from tradekg.timeline import write_timeline

        write_timeline(rows, output)
        _err(f"wrote {output} ({len(rows)} events)")
        return
    chosen = resolve_format(fmt.value if fmt else None)
    if chosen == "table":
        from rich.console import Console

        from tradekg.timeline import timeline_table

        Console(file=sys.stdout).print(timeline_table(rows))
    elif chosen == "json":
        sys.stdout.write(dumps_json(rows) + "\n")
    else:
        _emit(rows, fmt)
    if not rows:
        _err("no events match")
        raise typer.Exit(1)


@app.command()
def extract(
    ctx: typer.Context,
    article: Annotated[Path, typer.Argument(help="The article as a UTF-8 text file")],
    published: Annotated[str | None, typer.Option("--published", help="Publication date, YYYY-MM-DD")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The article's title")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Who 'I' is in a first-person text")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="yaml (an annotation draft) or json")] = "yaml",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE, not stdout")] = None,
) -> None:
    """Draft an annotation from an article's text (offline, deterministic); check it, then ingest it."""
    import datetime as dt

    from tradekg.extract import extract as run_extract
    from tradekg.extract import read_article
    from tradekg.output import dumps_json

    if fmt not in ("yaml", "json"):
        raise UsageError(f"unknown format {fmt!r}; choose yaml or json")
    try:
        day = dt.date.fromisoformat(published) if published else None
    except ValueError:
        raise UsageError(f"--published must be a date like 2025-04-19, not {published!r}") from None
    x = run_extract(read_article(article), published=day, title=title, speaker=speaker)
    text = x.to_annotation_yaml() if fmt == "yaml" else dumps_json(x.to_json()) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        _err(f"wrote {output}")


@app.command()
def evaluate(
    ctx: typer.Context,
    gold_dir: Annotated[Path, typer.Argument(help="A folder of *.gold.json files next to their articles")],
    fmt: Annotated[ReportFmt, typer.Option("--format", "-f", help="text or json")] = ReportFmt.text,
) -> None:
    """Score the extractor against hand-made gold annotations (precision, recall, F1)."""
    from tradekg.extract import evaluate as run_evaluate
    from tradekg.extract import format_report
    from tradekg.output import dumps_json

    report = run_evaluate(gold_dir)
    sys.stdout.write((dumps_json(report.to_json()) if fmt == ReportFmt.json else format_report(report)) + "\n")


@app.command()
def load(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A .trig or .nq export")],
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=(
        "Load an N-Quads file in N parallel slices (default: one per CPU); TriG loads in one piece."))] = None,
) -> None:
    """Restore an export with Oxigraph's bulk loader (no per-document validation: for backups)."""
    from tradekg.bulk import default_jobs

    r = _kg(ctx).load(path, jobs=jobs or default_jobs())
    _err(f"loaded {r.quads} triples ({r.documents} documents) in {r.seconds:.2f} s: {r.per_second:,.0f} triples/s")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to bind; loopback by default.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 7878,
    read_only: Annotated[bool, typer.Option("--read-only", help="Refuse updates.")] = False,
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote", help="Allow a non-loopback --host (Oxigraph's server has no authentication).",
    )] = False,
) -> None:
    """Serve the store as a SPARQL endpoint, with Oxigraph's query UI (localhost by default)."""
    from tradekg.serve import serve as run

    kg = _kg(ctx)
    if kg.location.startswith(("http://", "https://")):
        raise UsageError("serve needs a local store folder, not an endpoint")
    with kg.writer():
        pass  # create the store and refresh its system graphs before Oxigraph takes the lock
    raise typer.Exit(run(kg.location, host, port, read_only, allow_remote))


class AskFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help='A question in plain English: "What did the US request of Japan?"')],
    fmt: Annotated[AskFmt | None, typer.Option(
        "--format", "-f", help="table, json or csv; default: table on a terminal, json in a pipe.",
    )] = None,
    show_sparql: Annotated[bool, typer.Option(
        "--show-sparql", help="Also print the named query that ran and the values it bound.",
    )] = False,
) -> None:
    """Answer a question in plain English through the named queries. Exit 1 when there is no answer."""
    from tradekg.ask import print_answer
    from tradekg.output import resolve_format

    answer = _kg(ctx).ask(question)
    chosen = fmt.value if fmt else ("table" if resolve_format(None) == "table" else "json")
    raise typer.Exit(print_answer(answer, chosen, show_sparql=show_sparql))


def main() -> None:
    """Entry point: run the app; turn every error into one line on stderr and an exit code."""
    try:
        app(prog_name="tradekg")
    except TradekgError as err:
        _err(f"tradekg: {err}")
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        _err("tradekg: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # The reader of our output went away (| head): not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as err:  # a bug: say so in one line, the traceback only when asked for
        if os.environ.get("TRADEKG_DEBUG"):
            raise
        _err(f"tradekg: internal error: {type(err).__name__}: {err} (TRADEKG_DEBUG=1 shows the traceback)")
        sys.exit(3)


if __name__ == "__main__":
    main()
