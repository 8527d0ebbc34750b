"""Hostile profiles (SECURITY.md, "a shared profile file"): one clear line, exit 2, no traceback.

Every case goes through the command a person runs, `wallet-wizard check --profile bad.toml`:
in-process through `main()` for most, and as a real process where the failure used to be a
crash of the interpreter's own machinery (deep nesting, a huge value).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import trustme

from wizard.cli import main
from wizard.profile import load_profile

ROOT = Path(__file__).resolve().parents[2]


def run_check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`wallet-wizard check --profile PATH`, in-process: the exit status and stderr."""
    code = main(["check", "--profile", str(path)])
    captured = capsys.readouterr()
    return code, captured.err


def run_check_process(path: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """`wallet-wizard check --profile PATH` as its own process."""
    return subprocess.run(
        [sys.executable, "-m", "wizard", "check", "--profile", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "WALLET_WIZARD_HOME": str(home)},
    )  # fmt: skip


def assert_one_clear_line(code: int, err: str, *names: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:2000]
    assert len(lines[0]) < 600  # a line a person reads, not the hostile value echoed back
    for name in names:
        assert name in lines[0], lines[0]


def profile(tmp_path: Path, text: str | bytes, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_a_5000_deep_nested_array_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    path = profile(tmp_path, "[wallet]\nname = " + "[" * 5000 + "]" * 5000 + "\n")
    result = run_check_process(path, tmp_path / "home")
    assert_one_clear_line(result.returncode, result.stderr, str(path), "nested too deeply")


def test_a_five_megabyte_name_is_refused_without_echoing_it(tmp_path: Path) -> None:
    path = profile(tmp_path, '[wallet]\nname = "' + "A" * (5 * 1024 * 1024) + '"\n')
    result = run_check_process(path, tmp_path / "home")
    assert_one_clear_line(result.returncode, result.stderr, str(path))
    # Over a megabyte the file itself is refused before it is parsed.
    assert "too large" in result.stderr


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = profile(tmp_path, b'\xef\xbb\xbf[wallet]\nname = "BOM Wallet"\n')
    assert load_profile(path).wallet.name == "BOM Wallet"


BOUNDED = {
    "long-name": ('[wallet]\nname = "' + "N" * 81 + '"\n', "wallet.name", "too long"),
    "long-hours": ('[support]\nhours = "' + "8" * 500 + '"\n', "support.hours", "too long"),
    "long-url": ('[network]\napi_url = "https://x.example/' + "a" * 3000 + '"\n',
                 "network.api_url", "too long"),
    "many-urls": ("[network]\nconnectivity_urls = [" + '"http://x.example/",' * 40 + "]\n",
                  "network.connectivity_urls", "too many"),
    "control-in-name": ('[wallet]\nname = "Wallet\\u001b]52;c;aGk=\\u0007"\n', "wallet.name",
                        "control"),
    "idle-tiny": ("[kiosk]\nidle_s = 0.0001\n", "kiosk.idle_s", "between 10"),
    "idle-5s": ("[kiosk]\nidle_s = 5\nwarn_s = 2\n", "kiosk.idle_s", "between 10"),
    "warn-equals-idle": ("[kiosk]\nidle_s = 30\nwarn_s = 30\n", "kiosk.warn_s",
                         "shorter than kiosk.idle_s"),
    "default-warn-over-idle": ("[kiosk]\nidle_s = 15\n", "kiosk.warn_s",
                               "shorter than kiosk.idle_s"),  # warn_s is 20 by default
    "warn-tiny": ("[kiosk]\nwarn_s = 0.01\n", "kiosk.warn_s", "between 1"),
    "timeout-huge": ("[network]\ntimeout_s = 100000\n", "network.timeout_s", "between"),
    "timeout-tiny": ("[network]\ntimeout_s = 0.000001\n", "network.timeout_s", "between"),
    "keep-zero": ("[support]\nkeep_days = 0\n", "support.keep_days", "positive"),
    "keep-huge": ("[support]\nkeep_days = 5000\n", "support.keep_days",
                  "between 1 and 365 days"),
}  # fmt: skip


@pytest.mark.parametrize(("text", "key", "why"), list(BOUNDED.values()), ids=list(BOUNDED))
def test_lengths_and_times_are_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str, why: str
) -> None:
    code, err = run_check(profile(tmp_path, text), capsys)
    assert_one_clear_line(code, err, key, why)


def test_kiosk_times_within_bounds_load(tmp_path: Path) -> None:
    loaded = load_profile(profile(tmp_path, "[kiosk]\nidle_s = 10\nwarn_s = 5\n"))
    assert (loaded.kiosk.idle_s, loaded.kiosk.warn_s) == (10.0, 5.0)
    assert load_profile(profile(tmp_path, "[support]\nkeep_days = 3\n")).support.keep_days == 3
    assert load_profile(profile(tmp_path, "")).support.keep_days == 7  # CONTRACT §2 default


@pytest.mark.parametrize("target", ["/etc/shadow", "/proc/self/environ", "/etc/passwd"])
def test_ca_bundle_must_hold_a_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    if not Path(target).exists():
        pytest.fail(f"{target} is expected on a Debian test machine")
    code, err = run_check(profile(tmp_path, f'[network]\nca_bundle = "{target}"\n'), capsys)
    assert_one_clear_line(code, err, "network.ca_bundle")
    assert "no PEM certificate" in err or "cannot be read" in err
    assert "root:" not in err  # nothing of the file's content is echoed


def test_ca_bundle_that_is_a_directory_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "certs").mkdir()
    code, err = run_check(profile(tmp_path, '[network]\nca_bundle = "certs"\n'), capsys)
    assert_one_clear_line(code, err, "network.ca_bundle", "is a directory")
    assert "does not exist" not in err


def test_ca_bundle_that_is_a_fifo_is_refused_without_blocking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "pipe.pem")
    code, err = run_check(profile(tmp_path, '[network]\nca_bundle = "pipe.pem"\n'), capsys)
    assert_one_clear_line(code, err, "network.ca_bundle", "not a regular file")


def test_ca_bundle_with_a_broken_certificate_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "half.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    )
    code, err = run_check(profile(tmp_path, '[network]\nca_bundle = "half.pem"\n'), capsys)
    assert_one_clear_line(code, err, "network.ca_bundle", "no PEM certificate")


def test_a_real_ca_bundle_is_accepted(tmp_path: Path) -> None:
    trustme.CA().cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    loaded = load_profile(profile(tmp_path, '[network]\nca_bundle = "ca.pem"\n'))
    assert loaded.network.ca_bundle == str(tmp_path / "ca.pem")


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://support.example.com/api/tickets",
        "http://10.0.0.8/api/tickets",  # a private address is still someone else's network
        "http://127.0.0.1.example.com/api/tickets",
        "http://[::ffff:8.8.8.8]/api/tickets",
    ],
)
def test_plain_http_endpoint_off_this_machine_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], endpoint: str
) -> None:
    code, err = run_check(profile(tmp_path, f'[support]\nendpoint = "{endpoint}"\n'), capsys)
    assert_one_clear_line(code, err, "support.endpoint", "https://")


def test_credentials_in_the_endpoint_url_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = '[support]\nendpoint = "https://agent:hunter2@desk.example.com/api"\n'
    code, err = run_check(profile(tmp_path, text), capsys)
    assert_one_clear_line(code, err, "support.endpoint", "token_env")
    assert "hunter2" not in err


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:8080/api/tickets",
        "http://127.8.9.10/api/tickets",
        "http://[::1]:8080/api/tickets",
        "http://localhost:8080/api/tickets",
        "https://support.example.com/api/tickets",
    ],
)
def test_https_or_loopback_endpoints_load(tmp_path: Path, endpoint: str) -> None:
    loaded = load_profile(profile(tmp_path, f'[support]\nendpoint = "{endpoint}"\n'))
    assert loaded.support.endpoint == endpoint
