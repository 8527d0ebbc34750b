"""Email domain knowledge: near misses of common providers, and throwaway-mail domains.

Typo suggestions must be fast (they run on every keystroke) and precise (a real provider is
never "corrected" into another). Candidates are found with a symmetric-deletion index, then
confirmed with the Damerau-Levenshtein (optimal string alignment) distance.
"""

from __future__ import annotations

from functools import lru_cache

# The providers people most often mean, most used first: ties go to the earlier one.
COMMON_DOMAINS: tuple[str, ...] = (
    "qq.com",
    "163.com",
    "126.com",
    "gmail.com",
    "foxmail.com",
    "outlook.com",
    "hotmail.com",
    "sina.com",
    "sina.cn",
    "sohu.com",
    "yeah.net",
    "aliyun.com",
    "139.com",
    "icloud.com",
    "yahoo.com",
    "live.com",
    "me.com",
    "protonmail.com",
)


# Real mail domains that sit close to a common one; they are never "corrected".
def _words(block: str) -> frozenset[str]:
    """The whitespace-separated words of a block: lists of domains stay readable."""
    return frozenset(block.split())


_OTHER_REAL_DOMAINS = _words(
    """
    vip.qq.com vip.163.com vip.126.com vip.sina.com sina.com.cn 188.com 189.cn 21cn.com
    tom.com wo.cn 263.net 163.net mail.com ymail.com googlemail.com mac.com live.cn msn.com
    aol.com gmx.com gmx.de gmx.net proton.me pm.me protonmail.ch hotmail.co.uk hotmail.fr
    live.co.uk yahoo.co.jp yahoo.com.hk yahoo.com.tw yahoo.co.uk outlook.jp yandex.ru
    yandex.com mail.ru naver.com daum.net hanmail.net hotmail.de web.de
    """
)
KNOWN_DOMAINS: frozenset[str] = frozenset(COMMON_DOMAINS) | _OTHER_REAL_DOMAINS

# Wrong top-level domains that no edit distance catches safely; each is not a mail domain.
_WRONG_TLD: dict[str, str] = {
    "qq.cn": "qq.com",
    "qq.net": "qq.com",
    "qq.org": "qq.com",
    "gmail.cn": "gmail.com",
    "gmail.net": "gmail.com",
    "gmail.org": "gmail.com",
}

# A short list of well-known throwaway-mail services; a match is only a warning.
DISPOSABLE_DOMAINS = _words(
    """
    mailinator.com 10minutemail.com 10minutemail.net 20minutemail.com guerrillamail.com
    guerrillamail.net guerrillamail.org guerrillamail.de guerrillamail.biz
    guerrillamailblock.com sharklasers.com grr.la pokemail.net spam4.me temp-mail.org
    temp-mail.io tempmailo.com yopmail.com yopmail.fr yopmail.net trashmail.com trashmail.de
    dispostable.com maildrop.cc getnada.com throwawaymail.com mailnesia.com mohmal.com
    emailondeck.com fakeinbox.com tempr.email discard.email mintemail.com mytemp.email
    burnermail.io mailcatch.com spamgourmet.com linshiyouxiang.net chacuo.net moakt.com
    tempail.com
    """
)


def _max_distance(target: str) -> int:
    """Short names tolerate one slip only, or every 6-letter domain would look like qq.com."""
    return 1 if len(target) <= 8 else 2


def _plausible(typed: str, target: str, distance: int) -> bool:
    """Whether a near miss is a likely typo of `target`.

    Two slips only count when the first letter is right: people rarely miss that one, and it
    keeps real names such as yopmail.com from being read as hotmail.com.
    """
    return distance == 1 or (distance == 2 and typed[:1] == target[:1])


def _deletions(word: str, max_deletes: int) -> set[str]:
    """Every string made by deleting up to `max_deletes` characters from `word`."""
    out = {word}
    frontier = {word}
    for _ in range(max_deletes):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _build_index() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, target in enumerate(COMMON_DOMAINS):
        for variant in _deletions(target, _max_distance(target)):
            index.setdefault(variant, []).append(i)
    return {k: tuple(v) for k, v in index.items()}


_INDEX = _build_index()
# Longer names cannot be within two edits of any common domain.
_MAX_DOMAIN_FOR_TYPOS = max(len(d) for d in COMMON_DOMAINS) + 2


def osa_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: adjacent swaps count one)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=2048)
def suggest_domain(domain: str) -> str | None:
    """The common provider `domain` is a near miss of, or None when it looks intended."""
    name = domain.strip().lower()
    if not name or len(name) > _MAX_DOMAIN_FOR_TYPOS:
        return None
    stripped = name.rstrip(".")
    if stripped in KNOWN_DOMAINS or stripped in DISPOSABLE_DOMAINS:
        # "qq.com." only differs by a trailing dot, which mail refuses.
        return stripped if stripped != name else None
    if stripped in _WRONG_TLD:
        return _WRONG_TLD[stripped]
    candidates: set[int] = set()
    for variant in _deletions(stripped, 2):
        candidates.update(_INDEX.get(variant, ()))
    best: tuple[int, int] | None = None
    for i in sorted(candidates):
        target = COMMON_DOMAINS[i]
        dist = osa_distance(stripped, target)
        if dist > _max_distance(target) or not _plausible(stripped, target, dist):
            continue
        if best is None or dist < best[0]:
            best = (dist, i)
    return COMMON_DOMAINS[best[1]] if best is not None else None


def is_disposable(domain: str) -> bool:
    """Whether `domain` (or a parent of it) is a known throwaway-mail service."""
    labels = domain.strip().lower().rstrip(".").split(".")
    return any(".".join(labels[i:]) in DISPOSABLE_DOMAINS for i in range(len(labels) - 1))
