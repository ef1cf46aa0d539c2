"""Safe, bounded YAML reading that remembers where each field was written.

Only a SafeLoader is used (libyaml's when installed), so no tag in a file can build Python
objects or run code. Duplicate keys, which YAML silently resolves to the last one, and
keys that are not plain names (`? [a, b]`) are errors here.

Why the checks come in this order: a file is read only up to the size limit; its text is
then scanned as a stream of events, which needs no recursion, so nesting depth and the
number of values are known before anything recursive (composing the node graph) runs. The
node graph is then measured with aliases counted as expanded, without expanding them, so
a 500-byte alias bomb costs nothing. Only then is it constructed, and the walk for line
numbers visits each node once.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import Any

import yaml

from sim.limits import YAML_DEPTH, YAML_NODES, LimitError, check_file_size, file_bytes

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(ValueError):
    """A file that cannot be read as YAML; ``str()`` is ``FILE[:LINE]: problem``."""


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    pass


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *base`: its keys may be overridden here
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a plain name, not a {kind}", key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)
# Dates stay strings for the schema to parse: YAML's own timestamp parsing raises bare errors.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# Characters YAML 1.1 accepts in a stream (its "printable" set).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def shown(value: object) -> str:
    """A path or name as one printable line: control characters (a newline in a file name) escaped."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))


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
    """Parse one file within the limits; every failure is a one-line YamlError (or LimitError)."""
    path = Path(path)
    text = decode(read_bounded(path), path)
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        raise YamlError(f"{shown(path)}:{_line_at(text, bad.start())}: character U+{ord(bad.group()):04X} "
                        f"is not allowed in YAML{_utf16_hint(bad.group())}")
    try:
        _scan(text, path)
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, LineMap()
            _measure(node, path)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        if "maximum nesting depth" in str(getattr(err, "problem", "")):  # libyaml's own guard, 1000 levels
            mark = getattr(err, "problem_mark", None)
            _over(YAML_DEPTH, 0, path, mark.line + 1 if mark else 1)
        raise YamlError(_yaml_message(err, path)) from None
    return data, LineMap(_walk(node, Path(path)))


def read_bounded(path: Path) -> bytes:
    """The file's bytes, refusing before reading when it is over the size limit."""
    with open(path, "rb") as fh:
        check_file_size(os.fstat(fh.fileno()).st_size, shown(path))
        data = fh.read(file_bytes() + 1)  # a growing file or a device: never read more
    check_file_size(len(data), shown(path))
    return data


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 with or without a byte-order mark, or UTF-16/32 with one; else a one-line error."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            break
    else:
        codec = "utf-8"
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1 if codec == "utf-8" else 1
        raise YamlError(f"{shown(path)}:{line}: not {codec.upper().removesuffix('-SIG')} text "
                        f"(byte 0x{raw[err.start]:02x}); save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


def _utf16_hint(char: str) -> str:
    return "; is the file UTF-16 without a byte-order mark? save it as UTF-8" if char == "\x00" else ""


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _scan(text: str, path: Path) -> None:
    """Depth and size from the event stream: no recursion, stops at the first excess."""
    depth_limit, node_limit = YAML_DEPTH.value, YAML_NODES.value
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > depth_limit:
                _over(YAML_DEPTH, depth, path, event.start_mark.line + 1)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > node_limit:
                _over(YAML_NODES, nodes, path, event.start_mark.line + 1)


def _measure(root: yaml.Node, path: Path) -> None:
    """Size and depth of the node graph as if aliases were expanded, each node visited once.

    Iterative post-order with memoised (size, depth) per node: an alias is an edge to a
    node already measured, so a billion-value bomb is a handful of additions. A node met
    again while still open is a recursive alias (`&a [*a]`), which no scenario can mean.
    """
    done: dict[int, tuple[int, int]] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    size_limit, depth_limit = YAML_NODES.value, YAML_DEPTH.value
    while stack:
        node, children_done = stack.pop()
        if id(node) in done:
            continue
        kids = _children(node)
        if children_done:
            size = 1 + sum(done[id(k)][0] for k in kids)
            depth = 1 + max((done[id(k)][1] for k in kids), default=0)
            done[id(node)] = (size, depth)
            open_.discard(id(node))
            if size > size_limit:
                _over(YAML_NODES, size, path, node.start_mark.line + 1, "expanding aliases gives ")
            if depth > depth_limit + 1:
                _over(YAML_DEPTH, depth - 1, path, node.start_mark.line + 1, "expanding aliases gives ")
            continue
        if id(node) in open_:
            raise YamlError(f"{shown(path)}:{node.start_mark.line + 1}: an alias refers to a value that contains it")
        open_.add(id(node))
        stack.append((node, True))
        for kid in kids:
            if id(kid) in open_:
                raise YamlError(f"{shown(path)}:{kid.start_mark.line + 1}: an alias refers to a value that contains it")
            stack.append((kid, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _over(limit: Any, amount: int, path: Path, line: int, how: str = "") -> None:
    raise LimitError(f"{shown(path)}:{line}: {how}more than {limit.value:,} {limit.unit} ({limit.what}){limit.hint()}")


def _yaml_message(err: yaml.YAMLError, path: Path) -> str:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    where = f":{mark.line + 1}" if mark is not None else ""
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    return f"{shown(path)}{where}: not valid YAML: {shown(problem)}"


def _walk(root: yaml.Node, path: Path) -> dict[tuple, tuple[Path, int]]:
    """Field path -> line, visiting each node once in document order.

    A value reached again through an alias is not walked again: fields below an alias
    report the alias's line, which is where the reader should look.
    """
    out: dict[tuple, tuple[Path, int]] = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        out.setdefault(loc, (path, node.start_mark.line + 1))
        if id(node) in seen:
            continue
        seen.add(id(node))
        kids: list[tuple[yaml.Node, tuple]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = loc + (key_node.value,)
                    out[key] = (path, key_node.start_mark.line + 1)
                    kids.append((value_node, key))
        elif isinstance(node, yaml.SequenceNode):
            kids = [(item, loc + (i,)) for i, item in enumerate(node.value)]
        stack.extend(reversed(kids))  # document order: an anchor's own path claims its node
    return out
