"""Safe YAML reading that remembers where each field was written.

Only PyYAML's SafeLoader is used, so no tag in a scenario can build Python objects or run
code. Duplicate keys, which YAML silently resolves to the last one, are an error here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class _StrictLoader(yaml.SafeLoader):
    pass


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)
# Dates stay strings for the schema to parse: YAML's own timestamp parsing raises bare errors.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class LineMap:
    """Field path -> (file, line) for the places a scenario's fields were written."""

    def __init__(self, entries: dict[tuple, tuple[Path, int]] | None = None) -> None:
        self.entries = entries or {}

    def find(self, loc: tuple) -> tuple[Path, int] | None:
        for k in range(len(loc), 0, -1):
            hit = self.entries.get(tuple(loc[:k]))
            if hit:
                return hit
        return None

    def line(self, loc: tuple) -> int | str:
        hit = self.find(loc)
        return hit[1] if hit else 1

    def overlaid(self, top: "LineMap") -> "LineMap":
        return LineMap({**self.entries, **top.entries})


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    text = Path(path).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    entries: dict[tuple, tuple[Path, int]] = {}
    if node is not None:
        _walk(node, (), Path(path), entries)
    return data, LineMap(entries)


def _walk(node: yaml.Node, loc: tuple, path: Path, out: dict) -> None:
    out.setdefault(loc, (path, node.start_mark.line + 1))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = loc + (key_node.value,)
            out[key] = (path, key_node.start_mark.line + 1)
            _walk(value_node, key, path, out)
            out[key] = (path, key_node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, loc + (i,), path, out)
