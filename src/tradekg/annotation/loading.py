"""Loading one annotation: a file of any accepted format, or YAML text, into a :class:`Document`.

YAML goes to the :class:`~.builder.Builder`; Turtle, TriG and JSON-LD to rdflib (:mod:`tradekg.rdfinput`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import rdfinput
from ..errors import InputError
from ..namespaces import TKDOC
from ..vocabulary import load_vocabulary
from ..yamlsafe import LinedDict, read_yaml
from .builder import Builder
from .document import Document
from .files import SUFFIXES, read_text

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer


def load_document(path: str | Path, *, gazetteer: Gazetteer | None = None) -> Document:
    """Read one annotation file (YAML, Turtle, TriG or JSON-LD) into a :class:`Document`.

    >>> doc = load_document("seeds/us-japan-first-round-2025-04.yaml")
    >>> doc.id, str(doc.graph.identifier) == str(doc.iri)
    ('us-japan-first-round-2025-04', True)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    text = read_text(path)
    if suffix in (".yaml", ".yml"):
        return load_annotation(text, path=path, gazetteer=gazetteer)
    if suffix in rdfinput.FORMATS:
        doc_iri, graph = rdfinput.parse_document(text, suffix, path)
        doc_id = str(doc_iri)[len(str(TKDOC)):]
        return Document(doc_id, doc_iri, graph, path, {}, rdfinput.FORMATS[suffix])
    raise InputError(
        f"unsupported file type '{suffix}'; tradekg reads {', '.join(sorted(SUFFIXES))}", path
    )


def load_annotation(
    text: str, *, path: str | Path | None = None, gazetteer: Gazetteer | None = None
) -> Document:
    """Build the RDF graph of one YAML annotation given as text.

    ``path`` names the file in error messages and anchors a relative ``text_file``.
    """
    data = read_yaml(text, path)
    if not isinstance(data, LinedDict):
        raise InputError("an annotation is a YAML mapping with a 'document' section", path, 1)
    if gazetteer is None:
        from ..gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
    return Builder(data, Path(path) if path else None, gazetteer, load_vocabulary()).build()
