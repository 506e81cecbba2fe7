#!/usr/bin/env python3
"""Fails when the modules of a crate import each other in a cycle.

Usage: scripts/module_cycles.py jwt-runtime/src jwt-macros/src

Two levels are checked: the crate's top-level modules (`crate::config` using
`crate::error` is an edge config -> error), and the sibling modules inside each
directory (`token/decode` using `crate::token::encode` is an edge decode -> encode).
A parent using its own children, and children using what their parent re-exports
from a sibling, are resolved to the sibling that defines the item, through the
parent's `pub use` lines. Test modules (`#[cfg(test)]`) are ignored.
"""

import re
import sys
from pathlib import Path

USE = re.compile(r"\b(?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+")
USE_ITEM = re.compile(r"\buse\s+((?:crate|super|self)::[^;]*);", re.S)


def expand(tree: str) -> list:
    """The paths of a `use` tree: `crate::{a::b, c::{d, e}}` -> crate::a::b, crate::c::d, ..."""
    tree = re.sub(r"\s+", "", tree)
    if "{" not in tree:
        return [tree.split("as")[0] if "::" in tree else tree]
    head, _, rest = tree.partition("{")
    body = rest[: rest.rfind("}")]
    parts, depth, current = [], 0, ""
    for char in body:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "{"
        depth -= char == "}"
        current += char
    parts.append(current)
    return [path for part in parts if part for path in expand(head + part)]
REEXPORT = re.compile(r"^\s*pub(?:\([a-z]+\))?\s+use\s+(?:self::)?([a-z_][a-z0-9_]*)::(.+);", re.M)


def module_path(src: Path, file: Path) -> list:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


def code_of(text: str) -> str:
    """The text without `#[cfg(test)]` modules, comments and string literals."""
    text = re.sub(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{.*", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def main(src_dirs) -> int:
    failed = False
    for src in map(Path, src_dirs):
        found_here = False
        files = {tuple(module_path(src, f)): f for f in src.rglob("*.rs")}
        # Names a parent module re-exports, and the child that defines them.
        reexports = {}
        for path, file in files.items():
            for child, names in REEXPORT.findall(code_of(file.read_text())):
                for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", names.split(" as ")[0]):
                    reexports[path + (name,)] = path + (child,)

        def resolve(path: tuple) -> tuple:
            """The deepest module file that `path` (a module path) lies in."""
            for end in range(len(path), 0, -1):
                prefix = path[:end]
                if prefix in reexports:
                    return resolve(reexports[prefix])
                if prefix in files and end < len(path) and path[:end + 1] not in files:
                    return prefix
                if prefix in files and end == len(path):
                    return prefix
            return ()

        edges = set()
        for path, file in files.items():
            code = code_of(file.read_text())
            uses = [path for tree in USE_ITEM.findall(code) for path in expand(tree)]
            for use in uses + USE.findall(USE_ITEM.sub("", code)):
                use = re.sub(r"::(?:self|\*)$", "", use)
                words = use.split("::")
                base = list(path)
                if words[0] == "crate":
                    target = words[1:]
                else:
                    while words and words[0] in ("super", "self"):
                        if words.pop(0) == "super":
                            base = base[:-1]
                    target = base + words
                target = resolve(tuple(target))
                if target and target != path:
                    edges.add((path, target))

        def cycle(level_edges):
            graph = {}
            for a, b in level_edges:
                graph.setdefault(a, set()).add(b)
            state, stack = {}, []

            def visit(node):
                state[node] = 1
                stack.append(node)
                for nxt in sorted(graph.get(node, ())):
                    if state.get(nxt) == 1:
                        return stack[stack.index(nxt):] + [nxt]
                    if nxt not in state:
                        found = visit(nxt)
                        if found:
                            return found
                stack.pop()
                state[node] = 2
                return None

            for node in sorted(graph):
                if node not in state:
                    found = visit(node)
                    if found:
                        return found
            return None

        levels = {}
        for a, b in edges:
            # Top level: the first component of each side, when they differ.
            if a[:1] != b[:1] and a and b:
                levels.setdefault((), set()).add((a[:1], b[:1]))
            # Siblings: below the longest common parent, when neither contains the other.
            common = 0
            while common < min(len(a), len(b)) and a[common] == b[common]:
                common += 1
            if common < len(a) and common < len(b) and common > 0:
                parent = a[:common]
                levels.setdefault(parent, set()).add((a[: common + 1], b[: common + 1]))
        for parent, level_edges in sorted(levels.items()):
            found = cycle(level_edges)
            if found:
                failed = found_here = True
                names = " -> ".join("::".join(node) for node in found)
                where = "::".join(parent) or "the crate root"
                print(f"{src}: import cycle under {where}: {names}")
        if not found_here:
            print(f"{src}: no import cycle ({len(edges)} edges between {len(files)} files)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["jwt-runtime/src", "jwt-macros/src"]))
