"""Certificates of the demo service: one trusted CA and the certificates it can present.

Generating them needs `trustme` (and `cryptography`), whose import alone costs more than the
whole demo start-up should, so the PEMs are kept in `<data dir>/demo-tls` (0700, files 0600)
and reused until they near their expiry. No CA private key is ever written: only the CA
certificates and the leaf keys, each valid for loopback names only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import ssl
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from wizard.demo.scenarios import TLS_GOOD, TLS_INTERCEPT, TLS_PORTAL

_FORMAT = 1
_BUNDLE = "bundle.json"
_LIFETIME_S = 397 * 86400
_RENEW_BEFORE_S = 30 * 86400
_KINDS = (TLS_GOOD, TLS_PORTAL, TLS_INTERCEPT)


@dataclass
class DemoTLS:
    """The demo CA file (for `network.ca_bundle`) and server contexts for each certificate."""

    ca_path: Path
    chain_paths: dict[str, Path]
    temp_dir: Path | None = None
    _contexts: dict[str, ssl.SSLContext] = field(default_factory=dict)

    def server_context(self, kind: str) -> ssl.SSLContext:
        """A server-side SSL context presenting the `kind` certificate (cached)."""
        ctx = self._contexts.get(kind)
        if ctx is None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self.chain_paths[kind])
            self._contexts[kind] = ctx
        return ctx

    def cleanup(self) -> None:
        """Remove the files when they were written to a private temporary folder."""
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.temp_dir = None


def load_demo_tls(directory: Path | None) -> DemoTLS:
    """Reuse the cached certificates in `directory`, else generate (and cache) new ones.

    With no usable directory (None, read-only, full disk) they go to a private temporary
    folder that `DemoTLS.cleanup()` removes.
    """
    if directory is not None:
        try:
            return _from_cache(directory)
        except (OSError, ssl.SSLError, ValueError):
            pass
    temp = Path(tempfile.mkdtemp(prefix="wallet-wizard-demo-tls-"))
    tls = _materialize(temp, _generate()[0])
    tls.temp_dir = temp
    _check(tls)
    return tls


def _from_cache(directory: Path) -> DemoTLS:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    directory.chmod(0o700)
    bundle = _read_bundle(directory / _BUNDLE)
    if bundle is not None:
        try:
            tls = _materialize(directory, bundle)
            _check(tls)
            return tls
        except (OSError, ssl.SSLError):
            pass  # a damaged cache is simply replaced
    bundle, expires = _generate()
    record = {"format": _FORMAT, "expires": expires, **bundle}
    _write_private(directory / _BUNDLE, json.dumps(record).encode())
    tls = _materialize(directory, bundle)
    _check(tls)
    return tls


def _read_bundle(path: Path) -> dict[str, str] | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return None
    expires = data.get("expires")
    if not isinstance(expires, int | float) or expires - time.time() < _RENEW_BEFORE_S:
        return None
    pems = {k: data.get(k) for k in ("ca", *_KINDS)}
    if not all(isinstance(v, str) and "BEGIN CERTIFICATE" in v for v in pems.values()):
        return None
    return {k: str(v) for k, v in pems.items()}


def _generate() -> tuple[dict[str, str], int]:
    """New CAs and leaf certificates, and their expiry (imports trustme: slow to import)."""
    import datetime

    import trustme

    expires = time.time() + _LIFETIME_S
    not_after = datetime.datetime.fromtimestamp(expires, datetime.UTC).replace(tzinfo=None)
    wallet_ca = trustme.CA(organization_name="wallet-wizard demo CA")
    api = wallet_ca.issue_cert("127.0.0.1", "localhost", "api.demo.wallet", not_after=not_after)
    # Signed by CAs that appear in no trust store and in no profile: "untrusted" on purpose.
    portal_ca = trustme.CA(organization_name="Hotel Wi-Fi sign-in portal")
    portal = portal_ca.issue_cert("portal.demo.wallet", not_after=not_after)
    proxy_ca = trustme.CA(organization_name="Corporate TLS inspection proxy")
    intercept = proxy_ca.issue_cert("127.0.0.1", "localhost", not_after=not_after)

    def chain(leaf: trustme.LeafCert) -> str:
        return str(leaf.private_key_and_cert_chain_pem.bytes().decode("ascii"))

    pems = {
        "ca": wallet_ca.cert_pem.bytes().decode("ascii"),
        TLS_GOOD: chain(api),
        TLS_PORTAL: chain(portal),
        TLS_INTERCEPT: chain(intercept),
    }
    return pems, int(expires)


def _materialize(directory: Path, bundle: dict[str, str]) -> DemoTLS:
    """Write each PEM under a name derived from its content, so that two processes that
    regenerate at the same moment never point at each other's files."""
    paths = {name: _pem_file(directory, name, bundle[name]) for name in ("ca", *_KINDS)}
    ca = paths.pop("ca")
    return DemoTLS(ca_path=ca, chain_paths=paths)


def _pem_file(directory: Path, name: str, pem: str) -> Path:
    data = pem.encode("ascii")
    path = directory / f"{name}-{hashlib.sha256(data).hexdigest()[:16]}.pem"
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return path
    _write_private(path, data)
    return path


def _write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, readable by the owner alone."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _check(tls: DemoTLS) -> None:
    """Load every certificate once, so a damaged file is found before serving."""
    for kind in _KINDS:
        tls.server_context(kind)
    ssl.create_default_context(cafile=str(tls.ca_path))
