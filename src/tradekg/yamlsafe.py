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

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
#: Plain scalars resolved so far (value -> tag): ids, keys and enumerations recur in every document.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_LIMIT = 50_000


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without the timestamp resolver: dates stay text until the RDF layer types them."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # libyaml calls this for every node; PyYAML's resolver tries its regular expressions each time.
        # A plain scalar's tag depends on its text alone (there are no path resolvers), so it is cached.
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR  # quoted, or a block scalar: text
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 64:
                    if len(_PLAIN_TAGS) >= _PLAIN_TAGS_LIMIT:
                        _PLAIN_TAGS.clear()
                    _PLAIN_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

    # libyaml also calls these two for every node; they only serve path resolvers, which SafeLoader has
    # none of (checked below). Builtins that accept the same arguments and do nothing cost a C call
    # instead of a Python one: `{}.get(node, index)` and `tuple()`.
    descend_resolver: Any = {}.get
    ascend_resolver = tuple


if _Loader.yaml_path_resolvers:  # pragma: no cover - a PyYAML that ships path resolvers
    raise RuntimeError("tradekg's YAML loader assumes SafeLoader has no path resolvers")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# The constructors of the common scalar tags, called directly (construct_object's bookkeeping is for
# recursive structures, which _Converter builds itself). Other tags go through construct_object.
_SCALARS = {
    _INT: yaml.SafeLoader.construct_yaml_int,
    _FLOAT: yaml.SafeLoader.construct_yaml_float,
    _BOOL: yaml.SafeLoader.construct_yaml_bool,
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
    return _Converter(loader, path).convert(node, 0)


def _is_tab_at(text: str, mark: yaml.Mark | None) -> bool:
    if mark is None:
        return False
    lines = text.splitlines()
    return mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t"


class _Converter:
    """Composed nodes to plain values, keeping lines, refusing duplicate keys, bounding size and depth."""

    def __init__(self, loader: _Loader, path: Any) -> None:
        self.loader, self.path = loader, path
        self.budget = MAX_NODES

    def convert(self, node: yaml.Node, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise InputError(
                f"YAML expands to more than {MAX_NODES} nodes (an alias/anchor bomb?); refused", self.path
            )
        if depth > MAX_DEPTH:
            raise InputError(
                f"YAML nested too deeply (more than {MAX_DEPTH} levels)", self.path, node.start_mark.line + 1
            )
        cls = node.__class__
        if cls is yaml.ScalarNode:
            tag = node.tag
            if tag == _STR:
                return node.value
            if tag == _NULL:
                return None
            try:
                construct = _SCALARS.get(tag)
                if construct is not None:
                    return construct(self.loader, node)  # type: ignore[arg-type]  # a ScalarNode (checked above)
                return self.loader.construct_object(node, deep=False)
            except (yaml.YAMLError, ValueError) as exc:
                raise InputError(
                    f"cannot read value {node.value!r}: {exc}", self.path, node.start_mark.line + 1
                ) from None
        if cls is yaml.MappingNode:
            out = LinedDict()
            out.line, out.key_lines = node.start_mark.line + 1, {}
            key_lines = out.key_lines
            for key_node, value_node in node.value:
                if key_node.__class__ is not yaml.ScalarNode:
                    raise InputError("a mapping key must be plain text", self.path, key_node.start_mark.line + 1)
                key = key_node.value
                if key in out:
                    raise InputError(f"duplicate key '{key}'", self.path, key_node.start_mark.line + 1)
                out[key] = self.convert(value_node, depth + 1)
                key_lines[key] = key_node.start_mark.line + 1
            return out
        if cls is yaml.SequenceNode:
            seq = LinedList()
            seq.line, seq.item_lines = node.start_mark.line + 1, []
            item_lines = seq.item_lines
            for item in node.value:
                seq.append(self.convert(item, depth + 1))
                item_lines.append(item.start_mark.line + 1)
            return seq
        try:  # a node class of a custom tag; SafeLoader refuses what it does not know
            return self.loader.construct_object(node, deep=False)
        except (yaml.YAMLError, ValueError) as exc:
            raise InputError(f"cannot read value: {exc}", self.path, node.start_mark.line + 1) from None
