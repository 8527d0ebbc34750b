"""The one trust rule: built once per bundle and environment, rebuilt when either changes."""

from __future__ import annotations

import os
import ssl
from pathlib import Path

import pytest
import trustme

from wizard.net.trust import trust_context


def _subjects(context: ssl.SSLContext) -> set[str]:
    return {str(cert.get("subject")) for cert in context.get_ca_certs()}


def test_the_same_bundle_gives_the_same_context(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(bundle))
    first = trust_context(str(bundle))
    assert trust_context(str(bundle)) is first
    assert trust_context() is trust_context()
    assert trust_context() is not first


def test_the_bundles_cas_are_trusted_and_a_changed_file_is_read_again(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    first_ca, second_ca = trustme.CA(), trustme.CA()
    first_ca.cert_pem.write_to_path(str(bundle))
    before = trust_context(str(bundle))
    second_ca.cert_pem.write_to_path(str(bundle))
    # A later modification time, as an operator's replaced file has.
    stat = bundle.stat()
    os.utime(bundle, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = trust_context(str(bundle))
    assert after is not before
    assert _subjects(after) - _subjects(trust_context()), "the bundle's CA is not trusted"
    assert _subjects(before) != _subjects(after)


def test_an_unreadable_bundle_raises_every_time(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    for _ in range(2):
        with pytest.raises(OSError):
            trust_context(str(missing))
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("not a certificate\n", "utf-8")
    with pytest.raises(ssl.SSLError):
        trust_context(str(not_pem))


def test_ssl_cert_file_gives_its_own_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    default = trust_context()
    store = tmp_path / "store.pem"
    trustme.CA().cert_pem.write_to_path(str(store))
    monkeypatch.setenv("SSL_CERT_FILE", str(store))
    own = trust_context()
    assert own is not default
    assert len(own.get_ca_certs()) == 1  # only the store SSL_CERT_FILE names, as httpx does
