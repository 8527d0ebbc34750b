"""The `email` check against a real DNS server on 127.0.0.1 (tests/loopback/dns.py)."""

from __future__ import annotations

import asyncio

import dns.asyncquery
import dns.message
import pytest

from tests.loopback.dns import (
    BLACK_HOLE,
    NULL_MX,
    NXDOMAIN,
    SERVFAIL,
    TLD,
    LoopbackDNSServer,
    Zone,
)
from wizard.checks.contact import check_email
from wizard.checks.context import CheckContext
from wizard.checks.model import CheckResult, Inputs, Status
from wizard.checks.registry import REGISTRY
from wizard.checks.runner import run_step
from wizard.profile import NetworkSection, Profile, WalletSection


def _profile(*servers: LoopbackDNSServer, timeout_s: float = 0.5) -> Profile:
    return Profile(
        wallet=WalletSection(default_region="CN"),
        network=NetworkSection(dns_servers=tuple(s.address for s in servers), timeout_s=timeout_s),
    )


async def _check(
    profile: Profile, email: str | None, waits: list[tuple[str, str]] | None = None
) -> CheckResult:
    def on_waiting(check_id: str, what: str) -> None:
        if waits is not None:
            waits.append((check_id, what))

    ctx = CheckContext(profile, Inputs(email=email), on_waiting=on_waiting)
    try:
        # The outer limit only turns a hang into a failure; the check has its own deadline.
        return await asyncio.wait_for(check_email(ctx), timeout=10)
    finally:
        await ctx.aclose()


async def test_mx_records_pass_and_list_up_to_three_hosts_by_preference() -> None:
    zone = Zone(
        mx=[
            (30, "mx3.mail.example.com"),
            (10, "mx1.mail.example.com"),
            (20, "mx2.mail.example.com"),
            (40, "mx4.mail.example.com"),
        ]
    )
    with LoopbackDNSServer({"mail.example.com": zone}) as server:
        waits: list[tuple[str, str]] = []
        result = await _check(_profile(server), "Someone@Mail.Example.com", waits)
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details["mx"] == [
        "mx1.mail.example.com",
        "mx2.mail.example.com",
        "mx3.mail.example.com",
    ]
    assert result.details["domain"] == "mail.example.com"
    assert waits == [("email", "mail.example.com")]
    assert server.queries == [("mail.example.com", "MX")]


async def test_null_mx_is_undeliverable() -> None:
    with LoopbackDNSServer({"nomail.example.com": NULL_MX}) as server:
        result = await _check(_profile(server), "a@nomail.example.com")
    assert (result.status, result.code) == (Status.FAIL, "email_undeliverable")
    assert result.details["dns"] == "null_mx"


async def test_nxdomain_is_undeliverable_when_the_resolver_knows_the_top_level_zone() -> None:
    with LoopbackDNSServer({"com": TLD}, default=NXDOMAIN) as server:
        result = await _check(_profile(server), "a@nowhere.example.com")
    assert (result.status, result.code) == (Status.FAIL, "email_undeliverable")
    assert result.details["dns"] == "nxdomain"
    assert server.queries == [("nowhere.example.com", "MX"), ("com", "NS")]


async def test_a_resolver_that_says_nxdomain_to_everything_blames_no_address() -> None:
    with LoopbackDNSServer({}, default=NXDOMAIN) as server:
        result = await _check(_profile(server), "me@qq.com")
    assert (result.status, result.code) == (Status.UNKNOWN, "email_unverified")
    assert result.details["dns"] == "nxdomain_unconfirmed"
    assert REGISTRY.stamp(result).side == "unknown"
    assert ("com", "NS") in server.queries


async def test_a_top_level_zone_that_does_not_answer_blames_no_address() -> None:
    with LoopbackDNSServer({"com": SERVFAIL}, default=NXDOMAIN) as server:
        result = await _check(_profile(server), "me@qq.com")
    assert (result.status, result.code) == (Status.UNKNOWN, "email_unverified")


async def test_servfail_is_unverified_not_undeliverable() -> None:
    with LoopbackDNSServer({"broken.example.com": SERVFAIL}) as server:
        result = await _check(_profile(server), "a@broken.example.com")
    assert (result.status, result.code) == (Status.UNKNOWN, "email_unverified")
    assert result.details["dns"] == "servfail"


async def test_a_black_hole_times_out_as_unverified() -> None:
    with LoopbackDNSServer({}, default=BLACK_HOLE) as server:
        result = await _check(_profile(server, timeout_s=0.5), "a@silent.example.com")
    assert (result.status, result.code) == (Status.UNKNOWN, "email_unverified")
    assert result.details["dns"] == "timeout"
    assert server.queries and server.queries[0] == ("silent.example.com", "MX")


async def test_no_mx_but_a_public_address_is_deliverable() -> None:
    # 8.8.8.8 is only answer data here: nothing connects to it.
    with LoopbackDNSServer({"direct.example.com": Zone(a=["8.8.8.8"])}) as server:
        result = await _check(_profile(server), "a@direct.example.com")
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details["dns"] == "address_only"
    assert {q[1] for q in server.queries} == {"MX", "A", "AAAA"}


async def test_no_mx_and_only_a_public_ipv6_address_is_deliverable() -> None:
    with LoopbackDNSServer({"six.example.com": Zone(aaaa=["2400:3200::1"])}) as server:
        result = await _check(_profile(server), "a@six.example.com")
    assert (result.status, result.code) == (Status.PASS, "ok")


@pytest.mark.parametrize(
    "zone",
    [
        Zone(a=["10.1.2.3"]),
        Zone(a=["127.0.0.1", "192.168.1.1"], aaaa=["fd00::1"]),
        Zone(aaaa=["::1"]),
        Zone(a=["100.64.0.1"]),
    ],
    ids=["rfc1918", "loopback-and-ula", "ipv6-loopback", "cgnat"],
)
async def test_no_mx_and_only_private_addresses_is_undeliverable(zone: Zone) -> None:
    with LoopbackDNSServer({"inside.example.com": zone}) as server:
        result = await _check(_profile(server), "a@inside.example.com")
    assert (result.status, result.code) == (Status.FAIL, "email_undeliverable")
    assert result.details["dns"] == "private_address"


async def test_no_mx_and_no_address_is_undeliverable() -> None:
    with LoopbackDNSServer({"empty.example.com": Zone()}) as server:
        result = await _check(_profile(server), "a@empty.example.com")
    assert (result.status, result.code) == (Status.FAIL, "email_undeliverable")
    assert result.details["dns"] == "no_mail_host"


async def test_typo_with_mail_servers_stays_a_warning_with_the_suggestion() -> None:
    # Typo domains often do have MX (squatters): the warning must survive a passing lookup.
    with LoopbackDNSServer({"gmial.com": Zone(mx=[(10, "mx.gmial.com")])}) as server:
        result = await _check(_profile(server), "li.wei@gmial.com")
    assert (result.status, result.code) == (Status.WARN, "email_typo")
    assert result.details["suggestion"] == "li.wei@gmail.com"
    assert result.details["mx"] == ["mx.gmial.com"]


async def test_typo_without_mail_servers_fails_and_keeps_the_suggestion() -> None:
    with LoopbackDNSServer({"cm": TLD}, default=NXDOMAIN) as server:
        result = await _check(_profile(server), "li.wei@163.cm")
    assert (result.status, result.code) == (Status.FAIL, "email_undeliverable")
    assert result.details["suggestion"] == "li.wei@163.com"


async def test_typo_with_an_unconfirmed_nxdomain_stays_the_typo_warning() -> None:
    with LoopbackDNSServer({}, default=NXDOMAIN) as server:
        result = await _check(_profile(server), "li.wei@qq.con")
    assert (result.status, result.code) == (Status.WARN, "email_typo")
    assert result.details["suggestion"] == "li.wei@qq.com"


async def test_typo_that_is_not_even_valid_syntax_suggests_without_a_lookup() -> None:
    with LoopbackDNSServer({}, default=NXDOMAIN) as server:
        result = await _check(_profile(server), "li.wei@qqcom")
    assert (result.status, result.code) == (Status.WARN, "email_typo")
    assert result.details["suggestion"] == "li.wei@qq.com"
    assert server.queries == []


async def test_typo_with_dns_silent_is_still_the_typo_warning() -> None:
    with LoopbackDNSServer({}, default=BLACK_HOLE) as server:
        result = await _check(_profile(server, timeout_s=0.5), "li.wei@163.cm")
    assert (result.status, result.code) == (Status.WARN, "email_typo")
    assert result.details["suggestion"] == "li.wei@163.com"
    assert result.details["dns"] == "timeout"


async def test_disposable_domain_with_mail_servers_warns() -> None:
    zone = Zone(mx=[(10, "mail.mailinator.com")])
    with LoopbackDNSServer({"mailinator.com": zone}) as server:
        result = await _check(_profile(server), "x@mailinator.com")
    assert (result.status, result.code) == (Status.WARN, "email_disposable")


async def test_syntax_error_makes_no_query() -> None:
    with LoopbackDNSServer({}, default=NXDOMAIN) as server:
        result = await _check(_profile(server), "not an address")
    assert (result.status, result.code) == (Status.FAIL, "email_syntax")
    assert result.details["reason"]
    assert server.queries == []


@pytest.mark.parametrize("email", [None, "", "   "])
async def test_no_email_given_is_skipped(email: str | None) -> None:
    with LoopbackDNSServer({}) as server:
        result = await _check(_profile(server), email)
    assert (result.status, result.code) == (Status.SKIP, "not_provided")
    assert server.queries == []


async def test_internationalized_domain_is_looked_up_in_its_ascii_form() -> None:
    zone = Zone(mx=[(10, "mx.xn--fsqu00a.xn--4rr70v")])
    with LoopbackDNSServer({"xn--fsqu00a.xn--4rr70v": zone}) as server:
        result = await _check(_profile(server), "li.wei@例子.广告")
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert result.details["domain"] == "例子.广告"
    assert server.queries == [("xn--fsqu00a.xn--4rr70v", "MX")]


async def test_second_server_answers_when_the_first_fails() -> None:
    good = Zone(mx=[(5, "mx.example.org")])
    with (
        LoopbackDNSServer({}, default=SERVFAIL) as bad,
        LoopbackDNSServer({"example.org": good}) as ok,
    ):
        result = await _check(_profile(bad, ok, timeout_s=1.0), "a@example.org")
    assert (result.status, result.code) == (Status.PASS, "ok")
    assert bad.queries and ok.queries


async def test_a_spent_step_deadline_is_unverified_without_a_query() -> None:
    with LoopbackDNSServer({"example.org": Zone(mx=[(5, "mx.example.org")])}) as server:
        ctx = CheckContext(_profile(server), Inputs(email="a@example.org"))
        ctx.deadline = asyncio.get_running_loop().time()  # as if the step had used it all
        result = await check_email(ctx)
        await ctx.aclose()
    assert (result.status, result.code) == (Status.UNKNOWN, "email_unverified")
    assert server.queries == []


async def test_loopback_server_also_answers_over_tcp() -> None:
    with LoopbackDNSServer({"tcp.example.com": Zone(mx=[(1, "mx.tcp.example.com")])}) as server:
        query = dns.message.make_query("tcp.example.com", "MX")
        reply = await dns.asyncquery.tcp(query, "127.0.0.1", port=server.port, timeout=2)
    assert [r.to_text() for r in reply.answer[0]] == ["1 mx.tcp.example.com."]


async def test_contact_step_runs_both_checks_in_order() -> None:
    with LoopbackDNSServer({"qq.com": Zone(mx=[(10, "mx1.qq.com")])}) as server:
        step = await run_step(
            "contact",
            _profile(server),
            Inputs(phone="138 0013 8000", email="li.wei@qq.com"),
        )
    assert [(c.id, c.code) for c in step.checks] == [("phone", "ok"), ("email", "ok")]
    assert step.status is Status.PASS


async def test_a_local_part_in_chinese_characters_warns_after_a_good_lookup() -> None:
    with LoopbackDNSServer({"qq.com": Zone(mx=[(10, "mx3.qq.com")])}) as server:
        result = await _check(_profile(server), "张三@qq.com")
    assert (result.status, result.code) == (Status.WARN, "email_unicode_local")
    assert result.details["local"] == "张三"
    assert result.details["mx"] == ["mx3.qq.com"]
