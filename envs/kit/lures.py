"""Plausible traps: addresses one letter off the real ones, not domains that shout "verify".

A phishing mail that comes from `secure-login-verify.example` tells itself apart; one from
`nortwhind.io` inside a thread that reads like the real IT desk does not. `lookalike` makes
that one-letter slip (two letters swapped, one dropped or doubled, `m` written `rn`) from the
seeded rng, always different from the original.
"""

from __future__ import annotations

import numpy as np


def _edits(name: str) -> list[str]:
    out = []
    for i in range(1, len(name) - 1):
        a, b = name[i], name[i + 1]
        if a != b and a.isalpha() and b.isalpha():
            out.append(name[:i] + b + a + name[i + 2 :])  # swapped
        if name[i].isalpha():
            out.append(name[:i] + name[i + 1 :])  # dropped
            out.append(name[:i] + name[i] + name[i:])  # doubled
    out += [name.replace("m", "rn", 1)] if "m" in name else []
    out += [name.replace("w", "vv", 1)] if "w" in name else []
    return sorted({e for e in out if e != name and len(e) > 2})


def lookalike(domain: str, rng: np.random.Generator) -> str:
    """`domain` with its first label one letter off: 'northwind.io' -> e.g. 'nortwhind.io'."""
    name, _, rest = domain.partition(".")
    edits = _edits(name)
    return f"{edits[int(rng.integers(len(edits)))]}.{rest}" if rest else edits[int(rng.integers(len(edits)))]
