"""Seed derivation: every random stream comes from (task id, seed, purpose).

Python's ``hash`` is salted per process (PYTHONHASHSEED), so seeds are derived
with blake2b over the textual key instead: the same key gives the same stream in
every process, on every machine.
"""

from __future__ import annotations

import hashlib

import numpy as np


def derive_seed(*parts: object) -> int:
    """A 64-bit seed that depends only on the text of ``parts``."""
    key = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")


def derive_rng(*parts: object) -> np.random.Generator:
    """An independent ``numpy`` generator for one purpose of one world."""
    return np.random.Generator(np.random.PCG64(derive_seed(*parts)))


def stable_hash(text: str | bytes, size: int = 16) -> str:
    """Hex digest for content hashes (state, manifests)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=size).hexdigest()
