"""Safe, line-aware YAML reading for annotation files.

PyYAML's ``safe_load`` loses line numbers, turns ``2025-02-30`` into a crash instead of a finding, accepts
duplicate keys silently and expands alias bombs. This reader keeps every mapping's key lines, leaves
dates as strings (the RDF layer types them, and SHACL judges them), refuses duplicate keys, and bounds
depth and expanded size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

#: Expanded nodes one document may hold; a few thousand are normal, an alias bomb has billions.
MAX_NODES = 200_000
#: Nesting depth; annotations are four or five levels deep.
MAX_DEPTH = 64


class LinedDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LinedList(list):
    """A sequence that remembers its own line and each item's line (1-based)."""

    line: int = 0
    item_lines: list[int]


# libyaml's parser is about 20 times faster than PyYAML's pure-Python one, which dominated bulk ingest.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without the timestamp resolver: dates stay text until the RDF layer types them."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(text: str, path: str | Path | None = None) -> Any:
    """Parse one YAML document into plain values, with :class:`LinedDict`/:class:`LinedList` containers.

    >>> data = read_yaml("a: 1\\nb: [x, y]\\n")
    >>> data["b"], data.key_lines["b"]
    (['x', 'y'], 2)
    >>> read_yaml("published: 2025-02-30")["published"]
    '2025-02-30'
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if _is_tab_at(text, mark) or "'\\t'" in problem:
            problem += " (a tab: YAML does not allow tabs for indentation; use spaces)"
        if "nesting depth" in problem:
            problem = f"nested too deeply (more than {MAX_DEPTH} levels)"
        raise InputError(
            f"not valid YAML: {problem}",
            path,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", path) from None
    except RecursionError:
        raise InputError(f"YAML nested too deeply (more than {MAX_DEPTH} levels)", path) from None
    finally:
        loader.dispose()
    if node is None:
        return None
    budget = [MAX_NODES]
    return _convert(node, loader, path, budget, 0)


def _is_tab_at(text: str, mark: yaml.Mark | None) -> bool:
    if mark is None:
        return False
    lines = text.splitlines()
    return mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t"


def _convert(node: yaml.Node, loader: _Loader, path: Any, budget: list[int], depth: int) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(
            f"YAML expands to more than {MAX_NODES} nodes (an alias/anchor bomb?); refused", path
        )
    if depth > MAX_DEPTH:
        raise InputError(f"YAML nested too deeply (more than {MAX_DEPTH} levels)", path, node.start_mark.line + 1)
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = LinedDict()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError("a mapping key must be plain text", path, key_node.start_mark.line + 1)
            key = key_node.value
            if key in out:
                raise InputError(f"duplicate key '{key}'", path, key_node.start_mark.line + 1)
            out[key] = _convert(value_node, loader, path, budget, depth + 1)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LinedList()
        seq.line, seq.item_lines = line, []
        for item in node.value:
            seq.append(_convert(item, loader, path, budget, depth + 1))
            seq.item_lines.append(item.start_mark.line + 1)
        return seq
    try:
        return loader.construct_object(node, deep=False)
    except (yaml.YAMLError, ValueError) as exc:
        raise InputError(f"cannot read value {node.value!r}: {exc}", path, line) from None
