"""Near-duplicate detection for reprints: MinHash over word shingles, LSH bands to find
candidates, and an exact check of the candidates (Jaccard, and containment for a short copy
inside a longer article). Pure: text in, numbers out."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from parsers.fingerprint import normalised_text

SHINGLE_WORDS = 4  # Vietnamese words are syllables: four make a phrase
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS  # 4 rows a band: pairs above Jaccard ~0.5 meet in some band
# Calibrated on the labelled pairs in tests/test_neardup.py (see the README): copies, trimmed
# copies and copies under another headline score >= 0.8 on one of the two; different stories
# that share a long list of ministries score below 0.35.
JACCARD_THRESHOLD = 0.7
CONTAINMENT_THRESHOLD = 0.8
MIN_SHINGLES = 20  # a text this short is a caption or a stub: no copy is claimed

_WORD = re.compile(r"\w+")
_RNG = np.random.default_rng(20251112)  # fixed: signatures must stay comparable across runs
_A = _RNG.integers(1, 2**63 - 1, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63 - 1, size=NUM_PERM, dtype=np.uint64)


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64)


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def shingles(text: str) -> np.ndarray:
    """The 64-bit hashes of the text's word 4-grams (NFC, case-folded), unique and sorted.

    Each word is hashed once (stable across processes: signatures are stored); a 4-gram's hash
    mixes its words' hashes with odd constants, for all 4-grams at once."""
    words = _WORD.findall(normalised_text(text))
    if not words:
        return np.array([], dtype=np.uint64)
    hashed = np.fromiter((_word_hash(w) for w in words), dtype=np.uint64, count=len(words))
    if len(words) < SHINGLE_WORDS:
        hashed = np.concatenate([hashed, np.zeros(SHINGLE_WORDS - len(words), dtype=np.uint64)])
    n = len(hashed) - SHINGLE_WORDS + 1
    with np.errstate(over="ignore"):
        grams = hashed[:n] * _MIX[0]
        for offset in range(1, SHINGLE_WORDS):
            grams = (grams ^ (grams >> np.uint64(29))) + hashed[offset : offset + n] * _MIX[offset]
    return np.unique(grams)


LEAD_WORDS = 40  # reprints keep the lead: a trimmed copy shares its opening with the original
LEAD_KEYS = 8
LEAD_BAND = 100


def band_keys(sig: np.ndarray, lead: np.ndarray | None = None) -> list[tuple[int, int]]:
    """(band, bucket) pairs: two texts that share a bucket in any band are candidates.

    The MinHash bands find texts of high Jaccard similarity. A short copy inside a longer article
    has high containment but low Jaccard, and would slip through them; the bottom-k hashes of the
    lead's shingles (`lead`, from `lead_shingles`) catch it, in band LEAD_BAND."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append((band, int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little") >> 1))
    if lead is not None:
        keys.extend((LEAD_BAND, int(h) >> 1) for h in np.sort(lead)[:LEAD_KEYS])
    return keys


def lead_shingles(text: str) -> np.ndarray:
    words = _WORD.findall(normalised_text(text))[:LEAD_WORDS]
    return shingles(" ".join(words))


@dataclass(frozen=True)
class Fingerprint:
    """What copy-finding needs of a text, computed once (by whichever process parsed it)."""

    shingles: np.ndarray
    signature: np.ndarray
    keys: tuple[tuple[int, int], ...]


def fingerprint(text: str) -> Fingerprint:
    mine = shingles(text)
    sig = signature(mine)
    return Fingerprint(mine, sig, tuple(dict.fromkeys(band_keys(sig, lead_shingles(text)))))


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float  # of the shorter text in the longer

    @property
    def is_copy(self) -> bool:
        return self.jaccard >= JACCARD_THRESHOLD or self.containment >= CONTAINMENT_THRESHOLD


def similarity(a: np.ndarray, b: np.ndarray) -> Similarity:
    """Exact Jaccard and containment of two shingle sets."""
    if a.size < MIN_SHINGLES or b.size < MIN_SHINGLES:
        return Similarity(0.0, 0.0)
    shared = np.intersect1d(a, b, assume_unique=True).size
    return Similarity(shared / (a.size + b.size - shared), shared / min(a.size, b.size))


def estimate(sig_a: np.ndarray, sig_b: np.ndarray, size_a: int, size_b: int) -> Similarity:
    """Jaccard and containment estimated from two MinHash signatures and the shingle counts:
    cheap enough to screen many candidates before the exact check of a few."""
    jaccard, containment = estimate_many(sig_a, size_a, sig_b[None, :], np.array([size_b]))
    return Similarity(float(jaccard[0]), float(containment[0]))


def estimate_many(
    mine: np.ndarray, my_size: int, theirs: np.ndarray, their_sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`estimate` of one signature against the rows of `theirs` at once: (Jaccard, containment)
    arrays; both 0 where either text is too short to claim a copy."""
    sizes = their_sizes.astype(np.float64)
    jaccard = (theirs == mine).sum(axis=1) / float(NUM_PERM)
    smaller = np.minimum(sizes, float(my_size))
    with np.errstate(divide="ignore", invalid="ignore"):
        containment = np.minimum(1.0, jaccard * (my_size + sizes) / ((1 + jaccard) * smaller))
    long_enough = smaller >= MIN_SHINGLES
    return np.where(long_enough, jaccard, 0.0), np.where(long_enough, containment, 0.0)


def signature(hashes: np.ndarray) -> np.ndarray:
    """MinHash signature: for each of NUM_PERM hash functions, the least hash of any shingle.
    Computed for all shingles and functions at once (multiply-add with 64-bit wrap-around)."""
    if hashes.size == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = hashes[:, None] * _A[None, :] + _B[None, :]
    return mixed.min(axis=0)
