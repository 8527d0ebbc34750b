"""docs/profile.md, written from the profile's own field documentation so it cannot drift.

Every key of every section is a dataclass field in wizard/profile.py with a docstring right
below it; this module reads them (with the defaults and the limits the loader enforces) and
renders the Markdown reference. A test compares it with docs/profile.md; regenerate with
`python -m wizard.profile_reference > docs/profile.md`.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import sys
from dataclasses import MISSING, fields

from wizard import profile as profile_module

HEADER = """# Profile reference

A profile is a TOML file describing one wallet service (CONTRACT §2). Every key is optional;
an unknown key, a wrong type or a bad value is an error that names the file and the key
(exit 2). Relative paths are relative to the profile file.

This page is generated from `wizard/profile.py` (`python -m wizard.profile_reference`):
edit the field's documentation there, not here.
"""


def field_docs(cls: type) -> dict[str, str]:
    """The docstring below each field of a dataclass, read from its source."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = " ".join(after.value.value.split())
    return docs


def _default(value: object) -> str:
    if isinstance(value, tuple):
        return "`[]`" if not value else "`[" + ", ".join(f'"{v}"' for v in value) + "]`"
    if isinstance(value, float):
        return f"`{value:g}`"
    return f'`"{value}"`'


def _type(value: object) -> str:
    if isinstance(value, tuple):
        return "list of strings"
    return "number" if isinstance(value, float) else "string"


def _limits(key: str) -> str:
    bounds = profile_module._BOUNDS.get(key)
    if bounds is not None:
        return f"{bounds[0]:g} to {bounds[1]:g}"
    length = profile_module._MAX_LEN.get(key)
    if length is not None:
        return f"at most {length} characters"
    if key in profile_module._URL_KEYS:
        schemes = " or ".join(f"{s}://" for s in profile_module._URL_KEYS[key])
        return f"an {schemes} URL"
    return ""


def render() -> str:
    """The whole reference, one table a section, in the order of the sections."""
    out = [HEADER]
    for name, cls in profile_module._SECTIONS.items():
        out.append(f"## [{name}]\n")
        intro = (inspect.getdoc(cls) or "").split(":", 1)[-1].strip()
        out.append(f"{intro[:1].upper()}{intro[1:]}\n")
        out.append("| key | type | default | limits | meaning |")
        out.append("| --- | --- | --- | --- | --- |")
        docs = field_docs(cls)
        for f in fields(cls):
            default = f.default if f.default is not MISSING else ""
            key = f"{name}.{f.name}"
            out.append(
                f"| `{f.name}` | {_type(default)} | {_default(default)} | {_limits(key)} "
                f"| {docs.get(f.name, '')} |"
            )
        out.append("")
    return "\n".join(out)


def undocumented() -> list[str]:
    """Profile keys that have no documentation (a test keeps this empty)."""
    missing = []
    for name, cls in profile_module._SECTIONS.items():
        docs = field_docs(cls)
        missing += [f"{name}.{f.name}" for f in fields(cls) if not docs.get(f.name)]
    return missing


if __name__ == "__main__":
    sys.stdout.write(render())
