"""The stylesheets are found from the checkout and from an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from wizard.ui.paths import STYLESHEETS, styles_dir, stylesheets
from wizard.vocabulary import WALLETS

ROOT = Path(__file__).resolve().parents[2]


def test_every_stylesheet_exists_in_the_checkout() -> None:
    assert styles_dir() == ROOT / "styles"
    assert all(path.is_file() for path in stylesheets())


@pytest.mark.slow
def test_the_wheel_carries_the_stylesheets_and_finds_them(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, f"cannot build the wheel: {built.stderr.strip()[-500:]}"
    wheel = next((tmp_path / "dist").glob("wallet_wizard-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert {f"wizard/styles/{name}" for name in STYLESHEETS} <= names
        # The wallet catalog is data in the package too (`--wallet ID`).
        assert {f"wizard/catalog/{wallet_id}.toml" for wallet_id in WALLETS} <= names
        archive.extractall(site)
    # Run from the unpacked wheel alone (not the checkout): the resolver must find
    # wizard/styles inside the package.
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from wizard.ui.paths import stylesheets; "
            "print('\\n'.join(str(p) for p in stylesheets() if p.is_file()))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    ).stdout.split()
    assert len(found) == len(STYLESHEETS)
    assert all(Path(p).is_relative_to(site / "wizard" / "styles") for p in found)
