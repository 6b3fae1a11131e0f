"""The line-aware YAML reader: PyYAML's safe values (minus timestamps), lines, and its refusals.

The reader resolves plain scalars through a cache and calls the scalar constructors directly, for speed;
these tests hold it to what PyYAML's own pure-Python SafeLoader (without the timestamp resolver) builds.
"""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tradekg.errors import InputError
from tradekg.yamlsafe import MAX_DEPTH, LinedDict, LinedList, read_yaml


class _Reference(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader with dates left as text: what read_yaml must agree with."""


_Reference.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# Plain scalars whose type depends on their text in YAML 1.1, and a few that look alike but are text.
TOKENS = [
    "yes", "No", "on", "OFF", "true", "False", "~", "null", "Null", "", "0", "-0", "007", "0x1F", "0o17",
    "0b101", "1_000", "1:30", "190:20:30", "3.0", "-.5", "1e5", "3.0e5", "6.8523015e+5", ".inf", "-.Inf",
    ".nan", "2025-04-19", "2025-02-30", "2025-04-19T10:00:00Z", "12:30:00", "abc", "us-japan", "y", "n",
    "7.7 percent", "+12", "1,000", "0.1.2",
]
QUOTES = ["{}", "'{}'", '"{}"']


def _same(ours: object, theirs: object) -> bool:
    if isinstance(theirs, float) and math.isnan(theirs):
        return isinstance(ours, float) and math.isnan(ours)
    if isinstance(theirs, dict):
        return isinstance(ours, dict) and list(ours) == list(theirs) and all(
            _same(ours[k], theirs[k]) for k in theirs
        )
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(map(_same, ours, theirs))
    return type(ours) is type(theirs) and ours == theirs


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(QUOTES), st.booleans()), min_size=1,
                max_size=12))
def test_values_agree_with_pyyaml_safe_loader(entries):
    # The same text appears plain and quoted across documents: the tag cache must tell them apart.
    lines = []
    for i, (token, quote, in_list) in enumerate(entries):
        value = quote.format(token)
        lines.append(f"k{i}: [{value}, x]" if in_list else f"k{i}: {value}")
    text = "\n".join(lines) + "\n"
    assert _same(read_yaml(text), yaml.load(text, Loader=_Reference)), text


def test_plain_and_quoted_twins_keep_their_types():
    data = read_yaml('a: 123\nb: "123"\nc: 123\nd: yes\ne: "yes"\nf: 2025-02-30\n')
    assert data == {"a": 123, "b": "123", "c": 123, "d": True, "e": "yes", "f": "2025-02-30"}


def test_lines_of_keys_and_items():
    data = read_yaml("top:\n  a: 1\n  list:\n    - x\n    -\n      y: 2\n")
    assert isinstance(data, LinedDict) and data.key_lines == {"top": 1}
    top = data["top"]
    assert top.line == 2 and top.key_lines == {"a": 2, "list": 3}
    assert isinstance(top["list"], LinedList) and top["list"].item_lines == [4, 6]
    assert top["list"][1].line == 6 and top["list"][1].key_lines == {"y": 6}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("a: !!python/object:os.system x\n", 1, "could not determine a constructor"),
        ("? [a, b]\n: 1\n", 1, "mapping key must be plain text"),
        ("a: !!int zero\n", 1, "cannot read value"),
    ],
)
def test_refusals_name_the_line(text, line, words):
    with pytest.raises(InputError) as err:
        read_yaml(text, "doc.yaml")
    assert words in str(err.value)
    if line is not None:
        assert err.value.line == line and str(err.value).startswith(f"doc.yaml:{line}:")


def test_depth_is_bounded_for_scalars_too():
    # MAX_DEPTH nested lists hold a scalar one level deeper than allowed.
    deep = "[" * (MAX_DEPTH + 1) + "x" + "]" * (MAX_DEPTH + 1)
    with pytest.raises(InputError, match="nested too deeply"):
        read_yaml("a: " + deep)
    ok = "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1)
    assert read_yaml("a: " + ok)["a"] is not None


def test_alias_expansion_is_bounded():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, 8):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]\n"
    with pytest.raises(InputError, match="alias/anchor bomb"):
        read_yaml(bomb)


def test_explicit_safe_tags_still_construct():
    data = read_yaml("a: !!str 12\nb: !!float 1\nc: !!binary aGk=\nd: !!timestamp 2025-04-19\n")
    assert data["a"] == "12" and data["b"] == 1.0 and data["c"] == b"hi"
    assert str(data["d"]) == "2025-04-19"  # asked for explicitly: PyYAML's date, as before
