"""Text observations as a fixed float vector, for RL libraries that cannot read Text spaces.

Each text field is turned into ``dim`` hashed n-gram features (word unigrams and bigrams,
signed hashing, log-scaled counts, L2-normalised per field), then the fields are
concatenated in sorted key order. The hash is crc32 of the n-gram's UTF-8 bytes, so the
vector is the same in every process and on every machine (Python's ``hash`` is salted).
An image under the ``screen`` key (if the env has a phone) is appended as a downsampled
grayscale picture in [0, 1]. No model, no download, a few hundred microseconds a field.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

_TOKEN = re.compile(r"[a-z0-9]+(?:[@.:_-][a-z0-9]+)*")


def tokens(text: str) -> list[str]:
    """Lower-cased words; ids, times and addresses stay whole (``cal0003``, ``09:30``, ``a@b.c``)."""
    return _TOKEN.findall(text.lower())


def hash_features(text: str, dim: int, ngrams: int = 2) -> np.ndarray:
    """Signed hashed counts of word n-grams (1..ngrams), log-scaled and L2-normalised."""
    words = tokens(text)
    grams = list(words)
    for n in range(2, ngrams + 1):  # the n-grams, joined by spaces (zip: no Python loop per gram)
        grams += map(" ".join, zip(*(words[k:] for k in range(n))))
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, grams)), dtype=np.uint32, count=len(grams))
    # signed counts, summed exactly (integers) and then cast: the same floats as adding +-1.0 one by one
    signs = np.where(hashes >> 31, 1.0, -1.0)
    vec = np.bincount(hashes % dim, weights=signs, minlength=dim).astype(np.float32)
    np.copysign(np.log1p(np.abs(vec)), vec, out=vec)
    norm = float(np.linalg.norm(vec))
    if norm > 0:
        vec /= norm
    return vec


def grayscale(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Mean of channels, block-averaged down to ``shape`` (crop to a multiple), in [0, 1].

    Sums whole rows of each block band first (contiguous, integer) and only then the small
    (h, w, block) rest: a float mean over the 3-wide channel axis of a full frame costs ~15x more.
    """
    img = np.asarray(image)
    if img.ndim == 2:
        img = img[..., None]
    h, w = shape
    if img.shape[0] < h or img.shape[1] < w:  # smaller than the target: pad with black
        img = np.pad(img, ((0, max(0, h - img.shape[0])), (0, max(0, w - img.shape[1])), (0, 0)))
    bh, bw, c = img.shape[0] // h, img.shape[1] // w, img.shape[2]
    img = img[: bh * h, : bw * w]
    bands = np.add.reduce(img.reshape(h, bh, -1), axis=1, dtype=np.float64 if img.dtype.kind == "f" else np.uint64)
    blocks = bands.reshape(h, w, bw * c).sum(axis=2)
    return (blocks / (255.0 * bh * bw * c)).astype(np.float32).ravel()


def same_pixels(a: np.ndarray, b: np.ndarray) -> bool:
    """``np.array_equal`` for frames, compared 8 bytes at a time (a frame is ~0.5 MB, seen every step)."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind not in "iub" or a.nbytes % 8 or not (a.flags.c_contiguous and b.flags.c_contiguous):
        return bool(np.array_equal(a, b))
    return bool(np.array_equal(a.reshape(-1).view(np.uint64), b.reshape(-1).view(np.uint64)))


class HashedTextObservation(gym.ObservationWrapper):
    """Dict of Text (+ optional ``screen`` image) -> ``Box(float32)`` of fixed size.

    Args:
        dim: features per text field (same for every field).
        fields: which text keys to encode (default: every Text key of the space).
        ngrams: longest word n-gram hashed.
        screen_shape: (h, w) of the grayscale screen, or None to drop the screen.
    """

    def __init__(
        self,
        env: gym.Env,
        dim: int = 256,
        fields: list[str] | None = None,
        ngrams: int = 2,
        screen_shape: tuple[int, int] | None = (24, 12),
    ) -> None:
        super().__init__(env)
        space = env.observation_space
        if not isinstance(space, spaces.Dict):
            raise TypeError("HashedTextObservation expects a Dict observation space")
        text_keys = sorted(k for k, s in space.spaces.items() if isinstance(s, spaces.Text))
        self.fields = sorted(fields) if fields is not None else text_keys
        unknown = set(self.fields) - set(text_keys)
        if unknown:
            raise ValueError(f"not text fields of this env: {sorted(unknown)}")
        self.dim, self.ngrams = dim, ngrams
        screen = space.spaces.get("screen")
        self.screen_shape = screen_shape if isinstance(screen, spaces.Box) and screen_shape else None
        n_screen = self.screen_shape[0] * self.screen_shape[1] if self.screen_shape else 0
        size = dim * len(self.fields) + n_screen
        self.observation_space = spaces.Box(-1.0, 1.0, shape=(size,), dtype=np.float32)
        self._cache: dict[str, tuple[Any, np.ndarray]] = {}  # field -> (last text or screen, its features)

    def _field(self, key: str, text: str) -> np.ndarray:
        hit = self._cache.get(key)
        if hit is not None and hit[0] == text:  # instruction and services rarely change
            return hit[1]
        vec = hash_features(text, self.dim, self.ngrams)
        self._cache[key] = (text, vec)
        return vec

    def observation(self, observation: dict[str, Any]) -> np.ndarray:
        parts = [self._field(k, observation.get(k, "")) for k in self.fields]
        if self.screen_shape is not None:
            parts.append(self._screen(observation["screen"]))
        return np.concatenate(parts).astype(np.float32, copy=False)

    def _screen(self, screen: np.ndarray) -> np.ndarray:
        assert self.screen_shape is not None  # only called when the screen is kept
        last = self._cache.get("screen")
        if last is not None and same_pixels(last[0], screen):  # most steps leave the phone as it was
            return last[1]
        small = grayscale(screen, self.screen_shape)
        self._cache["screen"] = (np.array(screen), small)  # our own copy: the user may change theirs
        return small

    def layout(self) -> dict[str, slice]:
        """Where each field lives in the vector (for probing what the policy looks at)."""
        out = {k: slice(i * self.dim, (i + 1) * self.dim) for i, k in enumerate(self.fields)}
        if self.screen_shape is not None:
            start = self.dim * len(self.fields)
            out["screen"] = slice(start, start + self.screen_shape[0] * self.screen_shape[1])
        return out
