"""Answer questions in plain English by mapping them onto the named queries.

``answer_question(kg, "what did the US request of Japan?")`` reads the question in a small deterministic
pipeline (no model, no network):

1. **normalize**: fold typographic quotes and dashes, drop politeness ("can you tell me"), refuse text that
   reads as query syntax (braces, angle brackets, ``DROP ALL``);
2. **link names**: the longest alias match over the question against every label in the store (the
   gazetteer graph and the documents' own actors and concepts). A country also stands for its officials:
   the named queries expand it. A capitalized word that names nothing known is reported with the closest
   known names;
3. **intent**: the question patterns of ``ask_patterns.yaml`` (data a user can extend) score each intent;
   the words of an event kind (its label and verb in the ontology, more in ``ask_patterns.yaml``) choose
   the generic ``events`` query narrowed to that kind when they weigh more;
4. **roles**: word order and the little words around the names ("by", "of", "from", passive voice) say who
   acts and who is acted upon, so "what did Japan request of the US" is not the US's requests;
5. **run**: the named query runs with the names bound as RDF terms (``tradekg.queries.bind``): the
   question's text never becomes query text. Rounds, dates, topics and a second participant that a query
   has no parameter for narrow its rows afterwards; that is recorded in ``Answer.bindings``. A word that
   names nothing in the store narrows the rows to those whose text mentions it: no word is dropped.

It never invents rows: an answer's rows are the named query's rows, or none, and then the summary says so.
A question it cannot read raises :class:`NoAnswerError` (exit code 1) saying what it did not understand.

The package, one module per step: :mod:`~tradekg.ask.patterns` (the patterns file and caches),
:mod:`~tradekg.ask.labels` and :mod:`~tradekg.ask.index_cache` (the label index),
:mod:`~tradekg.ask.reading` (names and intent), :mod:`~tradekg.ask.kindwords` (event kinds),
:mod:`~tradekg.ask.roles` (who acts), :mod:`~tradekg.ask.dates` (dates and rounds),
:mod:`~tradekg.ask.understood` (no word dropped), :mod:`~tradekg.ask.plan` and :mod:`~tradekg.ask.run`
(binding and running), :mod:`~tradekg.ask.filters` (row filters), :mod:`~tradekg.ask.summary` and
:mod:`~tradekg.ask.events_summary`, :mod:`~tradekg.ask.render`. Text is normalized and actors resolved by
:mod:`tradekg.resolve`, as the named queries do.
"""

from __future__ import annotations

from tradekg.ask.dates import date_range
from tradekg.ask.index_cache import label_index
from tradekg.ask.labels import TKDOC_IRI, Entity, LabelIndex, _build_index
from tradekg.ask.model import Answer, NoAnswerError
from tradekg.ask.patterns import PATTERNS_ENV, PATTERNS_PATH, Intent, Patterns, cache_dir, load_patterns
from tradekg.ask.plan import _terms, answer_question
from tradekg.ask.reading import Mention, Reading, read_question
from tradekg.ask.render import FORMATS, format_answer, print_answer, sparql_text
from tradekg.ask.roles import assign_roles
from tradekg.resolve import Token, fold, tokenize

__all__ = [
    "FORMATS", "PATTERNS_ENV", "PATTERNS_PATH", "TKDOC_IRI", "Answer", "Entity", "Intent", "LabelIndex", "Mention",
    "NoAnswerError", "Patterns", "Reading", "Token", "answer_question", "assign_roles", "cache_dir", "date_range",
    "fold", "format_answer", "label_index", "load_patterns", "print_answer", "read_question", "sparql_text",
    "tokenize", "_build_index", "_terms",
]
