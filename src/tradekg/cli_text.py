"""The command line's article-text commands, ``extract`` and ``evaluate``, and the options that describe a
plain-text article (shared with ``ingest``); registered by :mod:`tradekg.cli`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tradekg.cli_output import Output, message, output_options

if TYPE_CHECKING:
    from tradekg.kg import KnowledgeGraph

TitleOpt = Annotated[str | None, typer.Option("--title", help="The article's title (plain-text articles)")]
PublishedOpt = Annotated[str | None, typer.Option(
    "--published", help="Publication date, YYYY-MM-DD (plain-text articles)")]
SpeakerOpt = Annotated[str | None, typer.Option(
    "--speaker", help="Who 'I' is in a first-person text (plain-text articles)")]
PublisherOpt = Annotated[str | None, typer.Option(
    "--publisher", help="Who published it: a gazetteer id or name, or any name (plain-text articles)")]
UrlOpt = Annotated[str | None, typer.Option("--url", help="Where it was published (plain-text articles)")]


def _kg(ctx: typer.Context) -> KnowledgeGraph:
    """The knowledge graph the global options chose (``tradekg.cli.State``, the root context's object)."""
    kg: KnowledgeGraph = ctx.find_root().obj.kg
    return kg


@output_options(("yaml", "json"), default="yaml")
def extract(
    ctx: typer.Context,
    article: Annotated[Path, typer.Argument(help="The article as a UTF-8 text file")],
    out: Output,
    published: PublishedOpt = None,
    title: TitleOpt = None,
    speaker: SpeakerOpt = None,
    publisher: PublisherOpt = None,
    url: UrlOpt = None,
) -> None:
    """Draft an annotation from an article's text (offline, deterministic); check it, then ingest it.

    Front matter at the top of the file (title:, published:, source: ... lines, or a YAML block between
    --- lines) is metadata, not text; the options override it. Events the draft leaves out because they
    are incomplete are listed on stderr.
    """
    from tradekg.output import dumps_json

    d = _kg(ctx).draft(article, published=published, title=title, speaker=speaker, publisher=publisher, url=url)
    # The YAML draft's notes include the events it left out; JSON lists every event, so only what the
    # extraction itself noted goes to stderr.
    for note in d.notes() if out.format == "yaml" else [f"{article}: {n}" for n in d.extraction.notes]:
        message(note)
    out.text(d.draft.yaml if out.format == "yaml" else dumps_json(d.extraction.to_json()) + "\n")


@output_options(("text", "json"), default="text")
def evaluate(
    ctx: typer.Context,
    gold_dir: Annotated[Path, typer.Argument(help="A folder of *.gold.json files next to their articles")],
    out: Output,
) -> None:
    """Score the extractor against hand-made gold annotations (precision, recall, F1)."""
    from tradekg.extract import format_report
    from tradekg.output import dumps_json

    report = _kg(ctx).evaluate(gold_dir)
    out.text((dumps_json(report.to_json()) if out.format == "json" else format_report(report)) + "\n")
