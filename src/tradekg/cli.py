"""The ``tradekg`` command: one command per :class:`tradekg.KnowledgeGraph` method, and nothing else.

Data goes to stdout, messages to stderr. Exit codes: 0 ok; 1 findings (a refused document, a named
query with no answer); 2 bad usage or input (including "store in use by another process" and refused
queries); 3 an internal error (a bug: please report it). No command prints a traceback.

Every command that prints data takes the same ``--format``, ``-o`` and ``--no-pager`` options
(:func:`tradekg.cli_output.output_options`) and prints through one :class:`~tradekg.cli_output.Output`.

Start-up is kept short: heavy modules (rdflib, pySHACL, networkx, matplotlib) are imported inside the
commands that need them, never at the top of this module.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tradekg.cli_index import AllOpt, OffsetOpt, PageLimitOpt, page_limit, print_page, reindex, search
from tradekg.cli_output import DATA, NO_PAGER, REPORT, SPARQL, Output, message, output_options, progress_bar
from tradekg.cli_params import query_params, query_text
from tradekg.cli_text import PublishedOpt, PublisherOpt, SpeakerOpt, TitleOpt, UrlOpt, evaluate, extract
from tradekg.errors import TradekgError

if TYPE_CHECKING:
    from tradekg.kg import KnowledgeGraph

app = typer.Typer(
    name="tradekg",
    help="A knowledge graph of trade-negotiation events built from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Options shared by several commands (declared once).
LimitOpt = Annotated[
    int | None, typer.Option("--limit", min=1, help="Return at most N rows (a notice on stderr says so).")
]
PathsArg = Annotated[list[Path], typer.Argument(
    help="Files or folders of annotations (.yaml .ttl .trig .jsonld) or plain-text articles (.txt)")]
# What is known of a plain-text article besides its text; each overrides the file's front matter.
DocumentOpt = Annotated[str | None, typer.Option("--document", help="Only this document")]
FromOpt = Annotated[str | None, typer.Option("--from", help="Only events on or after YYYY-MM-DD")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Only events on or before YYYY-MM-DD")]
EXPORTS = ("turtle", "trig", "jsonld", "nt", "nq")
NETWORK_FILES = (".html", ".png", ".svg", ".graphml", ".gexf", ".dot", ".json", ".cyjs")
TIMELINE_FILES = (".html", ".png", ".svg")


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
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never page long output (as git --no-pager).")] = False,
) -> None:
    ctx.obj = State(store, list(gazetteer or []))
    ctx.meta[NO_PAGER] = no_pager


def _kg(ctx: typer.Context) -> KnowledgeGraph:
    state = ctx.find_object(State)
    assert state is not None, "the global callback sets the state first"
    return state.kg


# --- validate / ingest ------------------------------------------------------------------------------


@app.command()
@output_options(REPORT, default="text")
def validate(ctx: typer.Context, paths: PathsArg, out: Output) -> None:
    """Check documents against the shapes. Exit 0 conforms, 1 a violation, 2 unreadable input."""
    result = _kg(ctx).validate(paths, progress=progress_bar())
    out.batch(result, "validate")
    raise typer.Exit(result.exit_code)


@app.command()
@output_options(REPORT, default="text")
def ingest(
    ctx: typer.Context,
    paths: PathsArg,
    out: Output,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Validate in N worker processes; one writer.")] = 1,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace a stored document with the same id even if its article text differs.")] = False,
    title: TitleOpt = None,
    published: PublishedOpt = None,
    speaker: SpeakerOpt = None,
    publisher: PublisherOpt = None,
    url: UrlOpt = None,
) -> None:
    """Validate documents and write the valid ones, each as one atomic replace of its graph.

    A .txt article is extracted into a draft first; --title, --published, --speaker, --publisher and
    --url describe it (over its front matter), and events the extractor had to leave out are listed on
    stderr. Exit 0 all written; 1 some refused (by validation, an id another file has, or a different
    article already stored under the id: see --replace), the others written; 2 unreadable input or the
    store is in use by another process.
    """
    result = _kg(ctx).ingest(paths, dry_run=dry_run, progress=progress_bar(), jobs=jobs, replace=replace,
                             title=title, published=published, speaker=speaker, publisher=publisher, url=url)
    out.batch(result, "validate" if dry_run else "ingest")
    raise typer.Exit(result.exit_code)


@app.command()
@output_options()
def documents(ctx: typer.Context, out: Output) -> None:
    """List the ingested documents: id, title, publisher, date, events, triples."""
    rows = _kg(ctx).documents()
    if not rows:
        message("the store holds no documents (add some with: tradekg ingest PATH)")
    out.rows(rows)


@app.command()
def remove(ctx: typer.Context, document: Annotated[str, typer.Argument(help="Document id or IRI")]) -> None:
    """Remove exactly one document's graph."""
    _kg(ctx).remove(document)
    message(f"removed {document}")


# --- queries ----------------------------------------------------------------------------------------


@app.command()
@output_options()
def queries(ctx: typer.Context, out: Output) -> None:
    """List the named queries, their descriptions and parameters."""
    out.rows([q.to_dict() for q in _kg(ctx).queries()])


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    epilog="Example: tradekg query requests --param by 'United States' --param of Japan",
)
@output_options(SPARQL)
def query(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A named query (see: tradekg queries)")],
    out: Output,
    limit: PageLimitOpt = None,
    offset: OffsetOpt = 0,
    all_rows: AllOpt = False,
) -> None:
    """Run a named query: --param KEY VALUE (repeatable; --KEY VALUE works too).

    Actor values are a label, alias, id or IRI, any case; a country also matches its officials. Rows come
    newest first, 50 on a terminal (--limit, --offset, --all), their number on stderr. Exit 0 with rows; 1
    with none (json prints []); 2 for a bad query, parameter or actor.
    """
    params: dict[str, Any] = query_params(list(ctx.args))  # Any: a name like "timeout" is refused by the query
    result = _kg(ctx).query(name, limit=page_limit(limit, all_rows, out), offset=offset, **params)
    if not len(result):
        message(f"no answer: query {name!r} matched nothing" + (f" at --offset {offset}" if offset else ""))
        if out.format != "table":
            out.rows(result)
        raise typer.Exit(1)
    print_page(result, out, offset)


app.command()(search), app.command()(reindex)  # the answer index's commands (tradekg.cli_index)
app.command()(extract), app.command()(evaluate)  # the article-text commands (tradekg.cli_text)

@app.command()
@output_options(SPARQL)
def sparql(
    ctx: typer.Context,
    out: Output,
    text: Annotated[str | None, typer.Argument(metavar="QUERY", help="The query, or - to read stdin")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from a .rq file")] = None,
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
    result = _kg(ctx).sparql(query_text(text, file), timeout=timeout, limit=limit, allow_update=allow_update)
    from tradekg.output import QueryResult

    if result is None:
        message("update done")
    elif isinstance(result, QueryResult):
        out.rows(result)
    else:
        out.text(result.turtle())
        if result.truncated:
            message(f"note: only the first {result.limit} triples are shown (--limit); there are more.")


@app.command()
@output_options(EXPORTS, default="turtle")
def export(
    ctx: typer.Context,
    out: Output,
    document: Annotated[str | None, typer.Option("--document", help="Export only this document")] = None,
    include_system: Annotated[bool, typer.Option(
        "--all", help="Include the ontology, gazetteer and meta graphs")] = False,
) -> None:
    """Export the documents (or one) as RDF. TriG, N-Quads and JSON-LD keep the named graphs."""
    out.text(_kg(ctx).export(out.format, document=document, include_system=include_system))


# --- views --------------------------------------------------------------------------------------------


@app.command()
@output_options(DATA, own_files=NETWORK_FILES,
                output_help="Write the network: .html .png .svg .graphml .gexf .dot .json .cyjs (or .csv .tsv rows)")
def network(
    ctx: typer.Context,
    out: Output,
    document: DocumentOpt = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only actors near this one")] = None,
    depth: Annotated[int | None, typer.Option("--depth", min=0, help="Hops from --actor (default 1)")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Only these interactions; repeatable")] = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    by_country: Annotated[bool, typer.Option("--by-country", help="Fold persons into their countries")] = False,
    top: Annotated[str | None, typer.Option(
        "--top", metavar="N|all",
        help="Only the N most central actors (default: 10 in the summary, all in a file), or all")] = None,
) -> None:
    """The actor network: who met, asked, answered, gave to, invited or informed whom."""
    from tradekg.network import network_summary, parse_top, top_actors, write_network

    limit = parse_top(top, default=10 if out.own_file is None else None)
    g = _kg(ctx).network(document=document, actor=actor, depth=depth, kinds=kind, date_from=date_from,
                         date_to=date_to, by_country=by_country)
    total = g.number_of_nodes()
    shown = total if limit is None else min(limit, total)
    # Say when actors are left out, and how to see them all (on stderr: stdout carries only the data).
    note = f"the top {shown} of {total} actors; --top all shows every one" if shown < total else ""
    if out.own_file is not None:
        g = top_actors(g, limit)
        write_network(g, out.own_file)
        counts = f"{g.number_of_nodes()} actors, {g.number_of_edges()} edges"
        message(f"wrote {out.own_file} ({counts})" + (f": {note}" if note else ""))
    else:
        if note:
            message(f"network: {note}")
        out.rows(network_summary(g, limit or 0))


@app.command()
@output_options(DATA, own_files=TIMELINE_FILES, output_help="Write .html, .png or .svg (or .json .csv .tsv rows)")
def timeline(
    ctx: typer.Context,
    out: Output,
    actor: Annotated[str | None, typer.Option("--actor", help="Only events this actor takes part in")] = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    document: DocumentOpt = None,
) -> None:
    """What happened in what order, grouped by negotiation round, with sources."""
    rows = _kg(ctx).timeline(actor=actor, date_from=date_from, date_to=date_to, document=document)
    if out.own_file is not None:
        from tradekg.timeline import write_timeline

        write_timeline(rows, out.own_file)
        message(f"wrote {out.own_file} ({len(rows)} events)")
    elif out.format == "table":
        from tradekg.timeline import timeline_table

        out.table(timeline_table(rows))
    else:
        out.rows(rows)
    if not rows:
        message("no events match")
        raise typer.Exit(1)


@app.command()
@output_options(REPORT, default="text")
def load(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A .trig or .nq export")],
    out: Output,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=(
        "Load an N-Quads file in N parallel slices (default: one per CPU); TriG loads in one piece."))] = None,
) -> None:
    """Restore an export with Oxigraph's bulk loader (no per-document validation: for backups)."""
    from tradekg.bulk import default_jobs

    r = _kg(ctx).load(path, jobs=jobs or default_jobs())
    if out.format != "text":
        out.rows([r.to_dict()])
    else:
        message(f"loaded {r.quads} triples ({r.documents} documents) in {r.seconds:.2f} s: "
                f"{r.per_second:,.0f} triples/s")


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
    raise typer.Exit(_kg(ctx).serve(host, port, read_only=read_only, allow_remote=allow_remote))


@app.command()
@output_options(DATA)
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help='A question in plain English: "What did the US request of Japan?"')],
    out: Output,
    show_sparql: Annotated[bool, typer.Option(
        "--show-sparql", help="Also print the named query that ran and the values it bound.",
    )] = False,
) -> None:
    """Answer a question in plain English through the named queries. Exit 1 when there is no answer."""
    answer = _kg(ctx).ask(question)
    if show_sparql:
        from tradekg.ask import sparql_text

        raise typer.Exit(out.answer(answer, sparql=sparql_text(answer)))
    raise typer.Exit(out.answer(answer))


def main() -> None:
    """Entry point: run the app; turn every error into one line on stderr and an exit code."""
    try:
        app(prog_name="tradekg")
    except TradekgError as err:
        message(f"tradekg: {err}")
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        message("tradekg: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # The reader of our output went away (| head): not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as err:  # a bug: say so in one line, the traceback only when asked for
        if os.environ.get("TRADEKG_DEBUG"):
            raise
        message(f"tradekg: internal error: {type(err).__name__}: {err} (TRADEKG_DEBUG=1 shows the traceback)")
        sys.exit(3)


if __name__ == "__main__":
    main()
