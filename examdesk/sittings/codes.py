"""Access codes: 10 symbols drawn with `secrets` from 24 that are hard to mistake for one another (no 0/O, 1/I/L,
2/Z, 5/S, 8/B, G/6 keeps 6): 24**10 ≈ 2**45.8 codes, shown in groups as KQ7M-X4TR-9P and read back forgiving case,
spaces and dashes."""

from __future__ import annotations

import re
import secrets

ALPHABET = "ACDEFHJKMNPQRTUVWXY34679"
LENGTH = 10
BITS = 45.8  # LENGTH * log2(len(ALPHABET))
_SEPARATORS = re.compile(r"[\s\-–—_.]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def group(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise(typed: str) -> str:
    """What the student typed, forgiving case, spaces and dashes: 'kq7m x4tr-9p' → 'KQ7MX4TR9P'."""
    return _SEPARATORS.sub("", typed or "").upper()[:40]


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(symbol in ALPHABET for symbol in code)
