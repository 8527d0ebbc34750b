"""`Retry-After` as help desks really send it: every HTTP-date form, zones or none, and junk.

RFC 9110 §5.6.7: an HTTP-date is always GMT, and a recipient must accept all three formats,
asctime's (which names no zone) included. A date with `-0000`, or with a zone name nobody
knows, is UTC with no local offset (RFC 5322 §3.3, §4.3). So a date without a usable zone is
read as UTC, never as the station's local time: the tests run in a zone 8 hours east of UTC,
where reading it as local time would put the retry 8 hours early. Junk is no instruction at
all (the backoff applies); a date in the past means "now"; nothing waits more than an hour.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.loopback.helpdesk import HelpDesk
from tests.unit.test_message import sample_message
from wizard.support.outbox import Outbox, State
from wizard.support.send import BACKOFF_CAP_S, deliver, parse_retry_after

NOW = 1_900_000_000.0  # 2030-03-17 17:46:40 UTC, a Sunday
AHEAD = datetime.fromtimestamp(NOW + 60, UTC)  # 2030-03-17 17:47:40 UTC


@pytest.fixture(autouse=True)
def _east_of_utc() -> Iterator[None]:
    """The station's clock is in UTC+8 (POSIX TZ syntax, so no tz database is needed)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "CST-8"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_the_station_really_is_east_of_utc() -> None:
    """Guard for the tests below: a naive date read as local time would be 8 h off."""
    assert datetime(2030, 3, 17, 17, 47, 40).timestamp() == AHEAD.timestamp() - 8 * 3600


@pytest.mark.parametrize(
    "header",
    [
        "Sun, 17 Mar 2030 17:47:40 GMT",  # IMF-fixdate, the preferred form
        "Sun, 17 Mar 2030 17:47:40 UTC",
        "Sun, 17 Mar 2030 17:47:40 +0000",
        "Sunday, 17-Mar-30 17:47:40 GMT",  # RFC 850 (obsolete, still to be accepted)
        "Sun Mar 17 17:47:40 2030",  # asctime: no zone at all, and still GMT
        "Sun, 17 Mar 2030 17:47:40",  # the zone left out
        "Sun, 17 Mar 2030 17:47:40 -0000",  # "UTC, local offset unknown"
        "Sun, 17 Mar 2030 17:47:40 XYZ",  # an unknown zone name counts as -0000
        "Mon, 18 Mar 2030 01:47:40 +0800",  # the same moment, written in Beijing time
    ],
)
def test_every_form_of_the_same_moment_means_one_minute(header: str) -> None:
    assert parse_retry_after(header, NOW) == pytest.approx(60.0)


@pytest.mark.parametrize(
    "header",
    [
        format_datetime(AHEAD - timedelta(minutes=5), usegmt=True),
        "Sun, 17 Mar 2030 17:41:40",  # five minutes ago, zone left out
        "Sun, 17 Mar 2030 17:41:40 -0000",
        "Sun Mar 17 17:41:40 2030",
        "Thu, 01 Jan 1970 00:00:00 GMT",
    ],
)
def test_a_date_in_the_past_means_retry_now(header: str) -> None:
    assert parse_retry_after(header, NOW) == 0.0


@pytest.mark.parametrize(
    "header",
    ["Sun, 17 Mar 2030 19:46:40", "Mon, 17 Mar 2031 17:46:40 -0000", "Fri, 31 Dec 9999 23:59:59"],
)
def test_a_date_far_ahead_waits_one_hour_at_most(header: str) -> None:
    assert parse_retry_after(header, NOW) == BACKOFF_CAP_S


@pytest.mark.parametrize(
    "header",
    [
        "soon",
        "tomorrow 10:00",
        "Sun, 32 Mar 2030 17:47:40 GMT",  # no such day
        "Sun, 17 Mar 2030 25:47:40 GMT",  # no such hour
        "17 Mar",
        "-5",
        "+120",
        "1.5",
        "1e3",
        "٣٠",  # Arabic-Indic digits: delay-seconds is ASCII digits only
        "²",  # a superscript two is a "digit" to str.isdigit(), not to int()
        "\x00\x1b[31m",
    ],
)
def test_junk_is_no_instruction(header: str) -> None:
    assert parse_retry_after(header, NOW) is None


def test_delay_seconds() -> None:
    assert parse_retry_after(" 120 ", NOW) == 120.0
    assert parse_retry_after("0", NOW) == 0.0
    assert parse_retry_after("3601", NOW) == BACKOFF_CAP_S


@pytest.mark.parametrize(
    ("header", "wait"),
    [
        ("Sun, 17 Mar 2030 17:51:40", 300.0),  # a desk that leaves the zone out
        ("Sun Mar 17 17:51:40 2030", 300.0),
        ("Sun, 17 Mar 2030 17:41:40 -0000", 0.0),
        ("²", None),
        ("not a date", None),
    ],
)
async def test_the_desks_date_sets_the_next_attempt(
    tmp_path: Path, header: str, wait: float | None
) -> None:
    """End to end: a real desk answers 429 with the header; the outbox row records when the
    next attempt is due (junk: the ordinary backoff, 4–6 s after a first failure)."""
    with Outbox.open(tmp_path / "outbox.sqlite3") as box, HelpDesk() as desk:
        desk.mode, desk.retry_after = "throttled", header
        entry = box.save(sample_message(), desk.url(), None)
        result = await deliver(entry, box, now=NOW)
        row = box.get(entry.id)
    assert result.state is State.QUEUED and result.http_status == 429
    assert row is not None and row.next_attempt_at == result.retry_at
    assert result.retry_at is not None
    if wait is None:
        assert 4.0 <= result.retry_at - NOW <= 6.0
    else:
        assert result.retry_at - NOW == pytest.approx(wait)
