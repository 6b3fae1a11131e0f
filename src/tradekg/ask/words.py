"""The little words of questions: what is a function word, a question word, a month; and what is query syntax."""

from __future__ import annotations

import re

# Text that is query syntax, not English. The query is safe anyway (values are bound as terms); refusing
# says clearly that such text is not a question.
_SYNTAX = re.compile(
    r"[{}<>\\`|]|\b(?:DROP|CLEAR|INSERT|DELETE|LOAD|SELECT|CONSTRUCT|DESCRIBE|PREFIX|SERVICE|FILTER|UNION)\b"
    r"\s+(?:ALL|GRAPH|DATA|WHERE|DEFAULT|NAMED|SILENT|DISTINCT|\*|\?\w|<|\()"
    r"|\?\w+\s*\.\s*\?|;\s*(?:drop|clear|insert|delete|load|create|select)\b",
    re.IGNORECASE,
)
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
                       "«": '"', "»": '"', "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "\u00a0": " "})
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.&'\-][A-Za-z0-9]+)*\.?|'s\b|[^\sA-Za-z0-9]")
_STARTERS = frozenset("""what who whom whose which where when why how did does do is are was were has have had
can could would will should tell show list give please summarize summarise describe explain according in on
at during between after before since from for with by to of and or the a an any all each every i was""".split())
_LEADING = frozenset("what which who whom whose how where when why does did do is are was were has have had "
                     "the a an".split())
_AUX = frozenset("did does do has have had will would can could should".split())
_ARTICLES = frozenset({"the", "a", "an", "its", "their", "his", "her", "our"})
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())} | {"sept": 9})
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_FUNCTION_WORDS = frozenset("""the a an of to in on at by for from with and or but not no is are was were be been
being do does did has have had what who whom whose which where when why how that this these those it its they
them their he him his she her i me my we us our you your there then than so as any all each every some about
into over after before since between during would could should will can may might must also other others
just only up out if whether""".split())

