"""The answer index: a derived SQLite database beside a local store's Oxigraph files.

Oxigraph stays the truth. The index holds, ordered for the questions asked, what the named queries read:
one row per event and role with the actor and its *keys* (the actor, what it acts for, and what is above
that in the gazetteer, so "US officials" answers to the United States), the event's details (date, place,
topics, article, title, evidence, reporting status...), and the labels and evidence sentences in FTS5
tables. It is written by the store's single writer right after each Oxigraph commit, checked and repaired
when the store is opened, and rebuilt by ``tradekg reindex``.

- :mod:`.rows`: one document's triples as rows; :mod:`.terms`: terms in cells;
- :mod:`.db`: the SQLite tables; :mod:`.maintain`: writing, checking, repairing, rebuilding;
- :mod:`.backend`: the writer with the hook; :mod:`.answers`: the named queries read from the index;
- :mod:`.search`: full-text search over evidence sentences.
"""

from tradekg.index.db import FILENAME, index_file
from tradekg.index.maintain import AnswerIndex

__all__ = ["AnswerIndex", "FILENAME", "index_file"]
