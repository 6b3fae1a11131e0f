"""The annotation builder: the parsed YAML of one annotation, through each stage, into a :class:`Document`.

The stages are the sections of the YAML in the order they must be read: the document (the article), the
declaration of every local id, negotiations and rounds, actors, concepts, then events and statistics.
Each stage is a class in its own module over the shared :class:`~.state.BuildState`; the builder is
their union and :meth:`Builder.build` runs them in order.
"""

from __future__ import annotations

from ..namespaces import document_iri
from ..yamlsafe import LinedDict
from .declarations import Declarations
from .document import Document
from .document_section import DocumentSection
from .statements import Statements
from .vocab import EVENT, STATISTIC


class Builder(DocumentSection, Declarations, Statements):
    """Turns the parsed YAML of one annotation into triples, recording the line of each."""

    def build(self) -> Document:
        """Run the stages over the parsed YAML, in order, and return the document they built."""
        data = self.data
        unknown = set(data) - {"document", "actors", "concepts", "negotiations", "events", "statistics"}
        if unknown:
            key = sorted(unknown)[0]
            raise self.fail(
                f"unknown section '{key}'; sections are document, actors, concepts, negotiations, "
                "events, statistics",
                data.key_lines[key],
            )
        meta = data.get("document")
        if not isinstance(meta, LinedDict):
            raise self.fail("the 'document' section is missing or is not a mapping", data.key_lines.get("document", 1))
        doc_id = self.ident(meta, "document")
        doc_iri = document_iri(doc_id)
        self.doc = self.iri(str(doc_iri))
        self.doc_prefix = f"{doc_iri}#"
        self.article_text = self.article(meta)
        # Declare every local id first so that references can point forwards.
        self.declare(data, "actors")
        self.declare(data, "concepts")
        self.declare(data, "events")
        self.declare(data, "statistics")
        self.negotiations(data.get("negotiations"), data)
        self.actors(data.get("actors"))
        self.concepts(data.get("concepts"))
        for section, base in (("events", EVENT), ("statistics", STATISTIC)):
            for item, line in self.items(data, section):
                self.statement(item, line, base, section)
        return Document(doc_id, doc_iri, None, self.path, self.lines, "yaml", triples=list(self.triples))
