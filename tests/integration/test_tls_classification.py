"""Certificates that cannot be trusted, as real HTTPS servers on 127.0.0.1 present them.

The API check reads OpenSSL's verify code from the `SSLCertVerificationError` behind the
httpx error (CONTRACT §3, DESIGN "Error classification"): 18 (a self-signed leaf), 19 (a
chain that ends in a self-signed root nobody trusts) and 20 (an issuer not found: a foreign
CA, or a server that forgets to send its intermediate) all mean `tls_untrusted`, which tells
the person that something on their network may be intercepting the connection.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.loopback.http import LoopbackHTTPServer, Reply
from wizard.checks import network
from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.checks.runner import run_step
from wizard.profile import profile_from_dict

# A guard against a hang, far above the probe timeout: the check must end on its own.
GUARD_S = 10.0


def self_signed_leaf() -> tuple[bytes, bytes]:
    """A server certificate for 127.0.0.1 signed by its own key (not a CA): PEM cert, key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def server_context(folder: Path, chain: list[bytes], key: bytes) -> ssl.SSLContext:
    """A server context presenting exactly `chain` (leaf first), nothing added."""
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "chain.pem", folder / "key.pem"
    cert_file.write_bytes(b"".join(chain))
    key_file.write_bytes(key)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert_file, key_file)
    return ctx


async def api_check(server: LoopbackHTTPServer, ca_bundle: str = "") -> CheckResult:
    network_keys: dict[str, object] = {"api_url": server.url("/health"), "timeout_s": 2.0}
    if ca_bundle:
        network_keys["ca_bundle"] = ca_bundle
    ctx = CheckContext(profile_from_dict({"network": network_keys}), Inputs())
    try:
        return await asyncio.wait_for(network.check_api(ctx), GUARD_S)
    finally:
        await ctx.aclose()


def assert_untrusted(result: CheckResult, verify_code: int, reason: str) -> None:
    assert (result.id, result.status, result.code) == ("api", Status.FAIL, "tls_untrusted")
    assert result.details["verify_code"] == verify_code
    assert result.details["tls_reason"] == reason
    assert result.details["host"] == "127.0.0.1"


async def test_a_self_signed_leaf_is_untrusted_code_18(tmp_path: Path) -> None:
    cert, key = self_signed_leaf()
    with LoopbackHTTPServer(lambda r: Reply(200, "ok"), server_context(tmp_path, [cert], key)) as s:
        result = await api_check(s)
    assert_untrusted(result, 18, "self-signed certificate")
    assert s.requests == []  # the request never left: the handshake was refused


async def test_a_chain_ending_in_an_untrusted_self_signed_root_is_code_19(tmp_path: Path) -> None:
    """An interception proxy's chain, root included, that this machine does not trust."""
    root = trustme.CA()
    leaf = root.create_child_ca().issue_cert("127.0.0.1")
    chain = [pem.bytes() for pem in leaf.cert_chain_pems] + [root.cert_pem.bytes()]
    ctx = server_context(tmp_path, chain, leaf.private_key_pem.bytes())
    with LoopbackHTTPServer(lambda r: Reply(200, "ok"), ctx) as server:
        result = await api_check(server)
    assert_untrusted(result, 19, "self-signed certificate in certificate chain")


async def test_a_chain_missing_its_intermediate_is_untrusted_code_20(tmp_path: Path) -> None:
    """The root is trusted, but the server sends its leaf alone: no path to the root.

    (OpenSSL reports this as 20, "unable to get local issuer certificate", not 19.)
    """
    root = trustme.CA()
    leaf = root.create_child_ca().issue_cert("127.0.0.1")
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(root.cert_pem.bytes())
    ctx = server_context(
        tmp_path / "srv", [leaf.cert_chain_pems[0].bytes()], leaf.private_key_pem.bytes()
    )
    with LoopbackHTTPServer(lambda r: Reply(200, "ok"), ctx) as server:
        result = await api_check(server, str(bundle))
    assert_untrusted(result, 20, "unable to get local issuer certificate")

    # The same server with its intermediate sent along is trusted: the chain was the problem.
    whole = [pem.bytes() for pem in leaf.cert_chain_pems]
    ctx = server_context(tmp_path / "whole", whole, leaf.private_key_pem.bytes())
    with LoopbackHTTPServer(lambda r: Reply(200, "ok"), ctx) as server:
        fixed = await api_check(server, str(bundle))
    assert (fixed.status, fixed.code) == (Status.PASS, "ok")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_the_network_step_reports_a_self_signed_api_in_words(
    tmp_path: Path, lang: str
) -> None:
    """Through the runner: the result is localized and carries the code for the message."""
    cert, key = self_signed_leaf()
    ctx = server_context(tmp_path, [cert], key)
    with LoopbackHTTPServer(lambda r: Reply(200, "ok"), ctx) as server:
        prof = profile_from_dict({"network": {"api_url": server.url(), "timeout_s": 2.0}})
        step = await asyncio.wait_for(run_step("network", prof, Inputs(), only={"api"}), GUARD_S)
    (api,) = step.explained(lang).checks
    assert (api.status, api.code, api.details["verify_code"]) == (
        Status.FAIL,
        "tls_untrusted",
        18,
    )
    assert api.summary and api.fix
    assert api.side == "user"
