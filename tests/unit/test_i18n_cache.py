"""The catalogs' cache (wizard.i18n.read_catalog_file): used while the TOML file is the same,
never trusted when it is stale, damaged or of the wrong shape, and never in the way."""

from __future__ import annotations

import marshal
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from wizard.i18n import CATALOG_CACHE_FORMAT, CATALOGS, compile_catalogs, read_catalog_file


@pytest.fixture
def toml(tmp_path: Path) -> Path:
    folder = tmp_path / "en"
    folder.mkdir()
    path = folder / "ui.toml"
    path.write_text('[welcome]\ntitle = "Hello"\n', encoding="utf-8")
    return path


def test_the_cache_is_read_while_the_file_keeps_its_size_and_time(
    toml: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert read_catalog_file(toml, cache, write_cache=True) == {"ui.welcome.title": "Hello"}
    assert (cache / "en.ui.catalog").is_file()
    # Same size, same modification time: the cache answers (the file is not read again).
    before = toml.stat()
    toml.write_text('[welcome]\ntitle = "Howdy"\n', encoding="utf-8")
    os.utime(toml, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert read_catalog_file(toml, cache, write_cache=True) == {"ui.welcome.title": "Hello"}
    # A new modification time: parsed again, and the cache follows.
    os.utime(toml, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert read_catalog_file(toml, cache, write_cache=True) == {"ui.welcome.title": "Howdy"}
    assert read_catalog_file(toml, cache, write_cache=False) == {"ui.welcome.title": "Howdy"}


@pytest.mark.parametrize(
    "damage",
    [
        lambda stamp: b"\x00garbage",
        lambda stamp: b"",
        lambda stamp: marshal.dumps("not a tuple"),
        # The right stamp, but a value that is not text.
        lambda stamp: marshal.dumps((stamp, {"ui.welcome.title": 7})),
        lambda stamp: marshal.dumps((stamp, ["ui.welcome.title"])),
    ],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(
    toml: Path, tmp_path: Path, damage: Callable[[tuple[int, int, int]], bytes]
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    status = toml.stat()
    (cache / "en.ui.catalog").write_bytes(
        damage((CATALOG_CACHE_FORMAT, status.st_mtime_ns, status.st_size))
    )
    assert read_catalog_file(toml, cache, write_cache=True) == {"ui.welcome.title": "Hello"}
    stamp, flat = marshal.loads((cache / "en.ui.catalog").read_bytes())
    assert flat == {"ui.welcome.title": "Hello"} and stamp[2] == status.st_size


def test_without_writing_or_a_writable_place_the_file_is_simply_parsed(
    toml: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert read_catalog_file(toml, cache, write_cache=False) == {"ui.welcome.title": "Hello"}
    assert not cache.exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert read_catalog_file(toml, blocked, write_cache=True) == {"ui.welcome.title": "Hello"}
    assert list(tmp_path.glob("**/*.tmp")) == []


def test_compile_catalogs_caches_every_file_of_both_languages(tmp_path: Path) -> None:
    written = compile_catalogs()
    tomls = sorted(CATALOGS.glob("*/*.toml"))
    assert len(written) == len(tomls) and all(path.is_file() for path in written)
    # What the cache holds is what the TOML says.
    for path in tomls:
        copy = tmp_path / path.parent.name / path.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copy2(path, copy)
        parsed = read_catalog_file(copy, tmp_path / "none", write_cache=False)
        assert read_catalog_file(path, CATALOGS / "__pycache__", write_cache=False) == parsed
