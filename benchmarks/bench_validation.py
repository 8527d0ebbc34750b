"""Budget (DESIGN.md): phone + email syntax validation per keystroke ≤ 1 ms p99.

Replays typing, one character at a time, of typical phone numbers (with the live preview the
wizard draws) and email addresses (typos included), and times what one keystroke costs:
`validate_phone` + `phone_preview` + `validate_email_syntax`. Caches are cleared before every
pass, so each prefix is as new as it is to a person typing. The p99 reported is that of the
median of several rounds, so a moment of CPU stolen by another process does not decide it.

Run: `.venv/bin/python benchmarks/bench_validation.py` (exit 1 when over budget).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wizard.checks.contact import (  # noqa: E402
    phone_preview,
    validate_email_syntax,
    validate_phone,
)
from wizard.checks.email_domains import suggest_domain  # noqa: E402

BUDGET_P99_MS = 1.0
ROUNDS = 5
PASSES = 6

PHONES: list[tuple[str, str]] = [
    ("138 0013 8000", "CN"),
    ("+86 139-1234-5678", "CN"),
    ("１３８００１３８０００", "CN"),
    ("010 1234 5678", "CN"),
    ("(650) 253-0000", "US"),
    ("+1 415 555 2671", "US"),
    ("+44 7911 123456", "GB"),
    ("0912 345 678", "TW"),
    ("+852 9123 4567", "HK"),
    ("186 0000 00000", "CN"),
]
EMAILS = [
    "li.wei@qq.com",
    "zhang.san1988@163.com",
    "wang_fang@gmial.com",
    "chen.jing@hotmial.com",
    "someone@outlook.com",
    "user.name+tag@foxmail.com",
    "用户@例子.广告",
    "xiao.ming@qq.con",
    "a.very.long.address.for.testing@company-mail.example.com",
    "throwaway@mailinator.com",
]


def _prefixes(text: str) -> list[str]:
    return [text[:i] for i in range(1, len(text) + 1)]


def keystrokes() -> list[tuple[str, str, str]]:
    """(phone so far, region, email so far) for every keystroke of the sample typing."""
    phones = [(p, r) for full, r in PHONES for p in _prefixes(full)]
    emails = [e for full in EMAILS for e in _prefixes(full)]
    n = max(len(phones), len(emails))
    return [(*phones[i % len(phones)], emails[i % len(emails)]) for i in range(n)]


def _percentile(sorted_ms: list[float], q: float) -> float:
    index = min(len(sorted_ms) - 1, round(q * (len(sorted_ms) - 1)))
    return sorted_ms[index]


def measure(passes: int = PASSES) -> tuple[list[float], list[float], list[float]]:
    """Per-keystroke times in ms, sorted: whole keystroke, phone part, email part."""
    inputs = keystrokes()
    for phone, region, email in inputs:  # warm: region metadata loads on first use
        validate_phone(phone, region)
        phone_preview(phone, region)
        validate_email_syntax(email)
    total: list[float] = []
    phone_ms: list[float] = []
    email_ms: list[float] = []
    clock = time.perf_counter
    gc.collect()
    for _ in range(passes):
        suggest_domain.cache_clear()
        for phone, region, email in inputs:
            t0 = clock()
            validate_phone(phone, region)
            phone_preview(phone, region)
            t1 = clock()
            validate_email_syntax(email)
            t2 = clock()
            phone_ms.append((t1 - t0) * 1000)
            email_ms.append((t2 - t1) * 1000)
            total.append((t2 - t0) * 1000)
    return sorted(total), sorted(phone_ms), sorted(email_ms)


def bench_validation() -> bool:
    """Print the figures; True when the median round's p99 is within budget."""
    rounds = [measure() for _ in range(ROUNDS)]
    # Another process stealing the CPU for a moment inflates one round, not all of them.
    p99s = [_percentile(r[0], 0.99) for r in rounds]
    total, phone, email = rounds[sorted(range(ROUNDS), key=lambda i: p99s[i])[ROUNDS // 2]]
    p50, p99 = _percentile(total, 0.50), _percentile(total, 0.99)
    ok = p99 <= BUDGET_P99_MS
    print(
        f"keystroke validation (phone + preview + email syntax), median of {ROUNDS} rounds "
        f"of {len(total)} keystrokes: p50 {p50:.3f} ms, p99 {p99:.3f} ms, "
        f"max {total[-1]:.3f} ms, mean {statistics.fmean(total):.3f} ms"
    )
    print(
        f"  phone p50 {_percentile(phone, 0.5):.3f} / p99 {_percentile(phone, 0.99):.3f} ms; "
        f"email p50 {_percentile(email, 0.5):.3f} / p99 {_percentile(email, 0.99):.3f} ms; "
        f"p99 of each round: {', '.join(f'{x:.3f}' for x in p99s)} ms"
    )
    print(
        f"  budget p99 ≤ {BUDGET_P99_MS:.1f} ms; p99 is {p99 / BUDGET_P99_MS:.2f}× the budget "
        f"→ {'OK' if ok else 'OVER BUDGET'}"
    )
    return ok


def main() -> int:
    """Run the benchmark; exit status 1 when over budget."""
    return 0 if bench_validation() else 1


if __name__ == "__main__":
    raise SystemExit(main())
