"""Message catalogs for zh-CN and en, kept as TOML so translators edit text, not code.

Each language is a folder (`en/`, `zh-CN/`) of TOML files; a file's stem is the first part of
its keys, so `en/ui.toml`'s `[welcome] title` is the key `ui.welcome.title`.

`t(lang, key, **params)` looks up a dotted key ("ui.next", "codes.tls_expired.fix"); params
fill `{name}` placeholders and are sanitized first. A key missing in one language falls back
to English, and a test fails when any key is missing in either language.

Plurals: when `count` is 1 and the language has a `<key>_one` entry, that entry is used
("1 try left" beside "{count} tries left"). Chinese has no plural forms, so zh-CN simply
has no `_one` entries.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

from wizard.text import one_line
from wizard.vocabulary import LANGUAGES

FALLBACK = "en"
# The catalogs' folder. The package is a folder on disk; importlib.resources would give the
# same files and cost the start-up its imports (zipfile, tempfile, …).
CATALOGS = Path(__file__).resolve().parent
# The longest a placeholder's value may be. A fix or a summary is itself a catalog text (the
# longest over 200 characters) and must arrive whole: a screen reader reads this line and
# nothing else. Foreign text inside it is sanitized and capped where it comes in.
PARAM_MAX_LEN = 1000


def normalize_lang(lang: str | None) -> str:
    """Map what people type ("zh", "zh_CN", "EN") onto a supported language."""
    if not lang:
        return FALLBACK
    low = lang.strip().lower().replace("_", "-")
    if low.startswith("zh"):
        return "zh-CN"
    return "en" if low.startswith("en") else ""


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every string of one language, flattened to dotted keys (every file read)."""
    flat: dict[str, str] = {}
    for entry in sorted((CATALOGS / lang).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            flat.update(_file(lang, entry.name.removesuffix(".toml")))
    return flat


@cache
def _file(lang: str, stem: str) -> dict[str, str]:
    """The strings of one catalog file (`ui`, `codes`, …), read the first time one is asked.

    The wizard's first screen needs `ui` and `checks` only: the rest waits until a step,
    the message or the CLI report asks (start-up time, issue 10).
    """
    path = CATALOGS / lang / f"{stem}.toml"
    write = not sys.dont_write_bytecode
    try:
        return read_catalog_file(path, CATALOGS / "__pycache__", write_cache=write)
    except (FileNotFoundError, NotADirectoryError):
        return {}


# The cache's own format: a change to what is stored makes every old cache file stale.
CATALOG_CACHE_FORMAT = 1


def read_catalog_file(path: Path, cache_dir: Path, *, write_cache: bool) -> dict[str, str]:
    """The strings of one TOML catalog file, flattened to dotted keys.

    Parsing TOML (and importing the parser) cost the wizard's first paint about 10 ms, so the
    result is kept beside the package's byte-code (`__pycache__`, written when byte-code is
    written, and with the same trust): a marshal file stamped with the TOML file's size and
    modification time, read again only while both are the same. A missing, stale, damaged
    or unwritable cache only means the TOML is parsed.
    """
    status = path.stat()
    stamp = (CATALOG_CACHE_FORMAT, status.st_mtime_ns, status.st_size)
    cached = cache_dir / f"{path.parent.name}.{path.stem}.catalog"
    try:
        kept = marshal.loads(cached.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        kept = None
    if (
        isinstance(kept, tuple)
        and len(kept) == 2
        and kept[0] == stamp
        and isinstance(kept[1], dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in kept[1].items())
    ):
        return kept[1]
    import tomllib  # only when there is no usable cache

    flat: dict[str, str] = {}
    _flatten(tomllib.loads(path.read_text("utf-8")), f"{path.stem}.", flat)
    if write_cache:
        _write_cache(cached, marshal.dumps((stamp, flat)))
    return flat


def _write_cache(path: Path, data: bytes) -> None:
    # Whole or not at all (two wizards starting together, a full disk): a temporary file
    # renamed into place.
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()


def compile_catalogs() -> list[Path]:
    """Write the cache of every catalog file now (as `compileall` writes byte-code), even
    where byte-code is not written on its own; the cache files written."""
    written = []
    for lang in LANGUAGES:
        for path in sorted((CATALOGS / lang).glob("*.toml")):
            read_catalog_file(path, CATALOGS / "__pycache__", write_cache=True)
            written.append(CATALOGS / "__pycache__" / f"{lang}.{path.stem}.catalog")
    return written


def _lookup(lang: str, key: str) -> str | None:
    stem, dot, _rest = key.partition(".")
    return _file(lang, stem).get(key) if dot and stem.isidentifier() else None


def _flatten(node: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in node.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, f"{full}.", out)
        else:
            out[full] = str(value)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def has(lang: str, key: str) -> bool:
    """Whether `key` exists in `lang` (no fallback)."""
    return _lookup(lang, key) is not None


def t(lang: str, key: str, **params: object) -> str:
    """The text for `key` in `lang`, placeholders filled with sanitized values.

    `count=1` picks the singular `<key>_one` where the language has one.
    """
    lang = lang if lang in LANGUAGES else FALLBACK
    if params.get("count") == 1 and has(lang, f"{key}_one"):
        key = f"{key}_one"
    template = _lookup(lang, key)
    if template is None:
        template = _lookup(FALLBACK, key)
    if template is None:
        template = key
    if not params:
        return template
    safe = _Blank({k: one_line(v, max_len=PARAM_MAX_LEN) for k, v in params.items()})
    return template.format_map(safe)
