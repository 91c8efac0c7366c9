"""Near-verbatim copies (reprints): which text is another's, printed again. Pure: text in, numbers out.

Two halves. Finding candidates cheaply: MinHash over the text's normalised word 3-grams, LSH
bands and a sketch of the lead (`fingerprint`, `band_keys`, `estimate_many`).
Judging a candidate pair (`judge`): the overlap of the 3-grams, and for a reprint that was reworded
or cut, whether the two texts say the same sentences in the same order over the whole stretch they
share. The README ("One story, one article") gives the measurements the thresholds come from.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SHINGLE_WORDS = 3  # Vietnamese words are syllables: three make a phrase, and a reworded copy keeps many
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS  # 4 rows a band: pairs above Jaccard ~0.5 meet in some band
# Copies are decided in two tiers (the README gives the measurements on real reprints):
# - the same text, maybe trimmed or with a line added: Jaccard >= 0.7 or containment >= 0.8;
# - a reprint with its own lead, a cut ending, a caption in the middle, words changed: containment
#   >= REWRITE_CONTAINMENT *and* its sentences matched in order explain ALIGNED_THRESHOLD of the
#   stretch the two texts share. Different stories that share boilerplate (a delegation list, a
#   ministry's background paragraph, a quoted statement) reach the containment but not the
#   alignment: they have their own sentences before, after or between the shared ones.
JACCARD_THRESHOLD = 0.7
CONTAINMENT_THRESHOLD = 0.8
REWRITE_CONTAINMENT = 0.4
ALIGNED_THRESHOLD = 0.7
SENTENCE_MATCH = 0.5  # share of the shorter sentence's word pairs found in the other
MIN_SHINGLES = 20  # a text this short is a caption or a stub: no copy is claimed
MIN_SENTENCE_WORDS = 3  # shorter lines (a byline, "Ảnh: VGP") say nothing about which text this is
ALIGNED_CANDIDATES = 2  # see `closest`
MIN_MATCHED_SENTENCES = 2  # "the same sentences in the same order" needs an order; one shared sentence is a quote
OWN_LEAD_WORDS = 60  # a reprint's own lead: a sapo of a sentence or two; a longer opening is a story of its own

_WORD = re.compile(r"\w+")
_RNG = np.random.default_rng(20251112)  # fixed: signatures must stay comparable across runs
_A = _RNG.integers(1, 2**63 - 1, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63 - 1, size=NUM_PERM, dtype=np.uint64)


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64)

_MARKS = re.compile("[\u0300-\u036f]")  # combining diacritics, once the text is decomposed (NFD)
# Outlets spell the same text differently: an English wire drops the diacritics of names ("To Lam"),
# writes "Vietnam" where Vietnam News writes "Viet Nam"; Vietnamese outlets write "Mỹ" or "Hoa Kỳ"
# for the United States by house style. Folded and spelled one way, a reprint's words are its
# original's. (Spelling variants of the language, not facts about any negotiation.)
_VARIANTS = {"hoa ky": "my", "viet nam": "vietnam", "u.s.": "us"}
_VARIANT = re.compile(r"\bhoa\s+ky\b|\bviet\s+nam\b|\bu\.s\.")


def _spelled(text: str) -> str:
    """Case-folded, diacritics folded ("Tô Lâm" -> "to lam", "đ" -> "d"), spelling variants unified;
    line breaks kept. (Decomposing and dropping the marks is a few C passes over the text: every
    text is spelled so, in the parsing processes.)"""
    folded = _MARKS.sub("", unicodedata.normalize("NFD", text.casefold())).replace("đ", "d")
    return _VARIANT.sub(lambda m: _VARIANTS[" ".join(m.group().split())], folded)


# After `_spelled` (case-folded): a line break, or a full stop and a space, ends a sentence. An
# abbreviation ("mr.") splits where it should not, alike in both texts of a pair.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _sentence_words(text: str) -> list[list[str]]:
    """The words of each sentence. Sentences end at spaces, so together they are the text's words."""
    return [_WORD.findall(sentence) for line in _spelled(text).split("\n") for sentence in _SENTENCE_END.split(line)]


def words(text: str) -> list[str]:
    """The words copy-finding compares (see `_spelled`)."""
    return _WORD.findall(_spelled(text))


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _hashes(found: list[str]) -> np.ndarray:
    """Each word hashed once, stably across processes (signatures are stored)."""
    return np.fromiter(map(_word_hash, found), dtype=np.uint64, count=len(found))


def shingles(text: str) -> np.ndarray:
    """The 64-bit hashes of the text's word 3-grams (see `words`), unique and sorted."""
    return _grams(_hashes(words(text)))


def _grams(hashed: np.ndarray) -> np.ndarray:
    """A 3-gram's hash mixes its words' hashes with odd constants, for all 3-grams at once."""
    if not hashed.size:
        return np.array([], dtype=np.uint64)
    if hashed.size < SHINGLE_WORDS:
        hashed = np.concatenate([hashed, np.zeros(SHINGLE_WORDS - hashed.size, dtype=np.uint64)])
    n = len(hashed) - SHINGLE_WORDS + 1
    with np.errstate(over="ignore"):
        grams = hashed[:n] * _MIX[0]
        for offset in range(1, SHINGLE_WORDS):
            grams = (grams ^ (grams >> np.uint64(29))) + hashed[offset : offset + n] * _MIX[offset]
    return np.unique(grams)


# A reprint begins where its original begins, after at most a lead of its own (OWN_LEAD_WORDS):
# the first LEAD_WORDS words of the two overlap, however it was trimmed, cut or reworded after.
LEAD_WORDS = 80
LEAD_KEYS = 16
LEAD_BAND = 100


def band_keys(sig: np.ndarray, lead: np.ndarray | None = None) -> list[tuple[int, int]]:
    """(band, bucket) pairs: two texts that share a bucket in any band are candidates.

    The MinHash bands find texts of high Jaccard similarity. A trimmed copy inside a longer
    article has high containment but low Jaccard, and a reworded reprint under a lead of its own
    has both low: they would slip through the bands. The bottom-k hashes of the lead's shingles
    (`lead`, from `lead_shingles`) catch them, in band LEAD_BAND."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append((band, int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little") >> 1))
    if lead is not None:
        keys.extend((LEAD_BAND, int(h) >> 1) for h in np.sort(lead)[:LEAD_KEYS])
    return keys


def lead_shingles(text: str) -> np.ndarray:
    return _grams(_hashes(words(text)[:LEAD_WORDS]))


@dataclass(frozen=True)
class Sentences:
    """A text's sentences, for the alignment: per sentence its words, its distinct word pairs
    (bigrams) and its numbers. Sentences too short to tell (a byline, "Ảnh: VGP") are left out.
    Flat arrays (a few kilobytes a text): the warehouse keeps thousands of them in its cache."""

    words: np.ndarray  # per sentence: its words
    sizes: np.ndarray  # per sentence: its distinct bigrams
    pairs: np.ndarray  # the bigram hashes of every sentence, distinct within each
    owner: np.ndarray  # the sentence of each entry of `pairs`
    numbers: np.ndarray  # the numbers of every sentence ("19/05" and "19/5" agree) ...
    starts: np.ndarray  # ... those of sentence k being numbers[starts[k] : starts[k + 1]]
    masks: np.ndarray  # per sentence, its numbers as bits (mod 64): a set's bits are within a superset's

    def numbers_of(self, k: int) -> set[int]:
        return set(self.numbers[self.starts[k] : self.starts[k + 1]].tolist())

    @property
    def order(self) -> tuple[int, bytes, bytes]:
        """A total order on texts, so that a pair is aligned the same way round whichever came first."""
        return int(self.words.sum()), self.words.tobytes(), self.pairs.tobytes()


@dataclass(frozen=True)
class Text:
    """What judging a pair needs of each text."""

    shingles: np.ndarray
    sentences: Sentences


@dataclass(frozen=True)
class Fingerprint(Text):
    """What copy-finding needs of a text, computed once (by whichever process parsed it)."""

    signature: np.ndarray
    keys: tuple[tuple[int, int], ...]


def _sentences(per: list[list[str]], hashed: np.ndarray) -> Sentences:
    """From the words of each sentence and the hashes of all the words, in order."""
    kept = [k for k, found in enumerate(per) if len(found) >= MIN_SENTENCE_WORDS]
    number = np.full(len(per), -1, dtype=np.int32)
    number[kept] = np.arange(len(kept), dtype=np.int32)
    owner = np.repeat(number, [len(found) for found in per])  # each word's sentence, -1 if left out
    within = (owner[:-1] == owner[1:]) & (owner[:-1] >= 0)  # bigrams do not cross sentences
    with np.errstate(over="ignore"):
        pairs = (hashed[:-1] * _MIX[0] ^ hashed[1:])[within]
        of = owner[:-1][within]
        # each sentence's distinct pairs: one sort of the pairs tagged with their sentence
        _, first = np.unique(pairs ^ (of.astype(np.uint64) * _MIX[1]), return_index=True)
    pairs, of = pairs[first], of[first]
    numbers = [sorted({int(w) % 2**63 for w in per[k] if w.isdecimal()}) for k in kept]
    return Sentences(
        words=np.array([len(per[k]) for k in kept], dtype=np.int64),
        sizes=np.bincount(of, minlength=len(kept)),
        pairs=pairs,
        owner=of,
        numbers=np.array([x for found in numbers for x in found], dtype=np.int64),
        starts=np.cumsum([0] + [len(found) for found in numbers], dtype=np.int64),
        masks=np.array([sum(1 << b for b in {x % 64 for x in found}) for found in numbers], dtype=np.uint64),
    )


def _words(text: str) -> tuple[list[list[str]], np.ndarray]:
    """The words of each sentence, and the hashes of all of them in order: one pass over the text."""
    per = _sentence_words(text)
    return per, _hashes([w for found in per for w in found])


def sentences(text: str) -> Sentences:
    """The text's sentences (see `Sentences`)."""
    return _sentences(*_words(text))


def read(text: str) -> Text:
    """The text's shingles and sentences, from one pass over its words."""
    per, hashed = _words(text)
    return Text(_grams(hashed), _sentences(per, hashed))


def fingerprint(text: str) -> Fingerprint:
    """Shingles, sentences, signature and bucket keys, from one pass over the text's words."""
    per, hashed = _words(text)
    mine = _grams(hashed)
    sig = signature(mine)
    keys = tuple(dict.fromkeys(band_keys(sig, _grams(hashed[:LEAD_WORDS]))))
    return Fingerprint(mine, _sentences(per, hashed), sig, keys)


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float  # of the shorter text in the longer
    aligned: float = 0.0  # measured only when the containment alone does not decide (see `judge`)

    @property
    def is_copy(self) -> bool:
        if self.jaccard >= JACCARD_THRESHOLD or self.containment >= CONTAINMENT_THRESHOLD:
            return True
        return self.containment >= REWRITE_CONTAINMENT and self.aligned >= ALIGNED_THRESHOLD

    @property
    def score(self) -> float:
        """What the warehouse records as a copy's similarity to its original."""
        return max(self.jaccard, self.containment)


def overlap(a: np.ndarray, b: np.ndarray) -> Similarity:
    """Exact Jaccard and containment of two shingle sets (0 when either text is too short)."""
    if a.size < MIN_SHINGLES or b.size < MIN_SHINGLES:
        return Similarity(0.0, 0.0)
    shared = np.intersect1d(a, b, assume_unique=True).size
    return Similarity(shared / (a.size + b.size - shared), shared / min(a.size, b.size))


def judge(a: Text, b: Text) -> Similarity:
    """The copy decision for two texts.

    Symmetric: judge(a, b) == judge(b, a), so that which of two texts arrived first does not
    change whether they are copies."""
    found = overlap(a.shingles, b.shingles)
    if found.is_copy or found.containment < REWRITE_CONTAINMENT:
        return found
    return _aligned(found, a.sentences, b.sentences)


def _aligned(found: Similarity, a: Sentences, b: Sentences) -> Similarity:
    if a.order > b.order:  # one way round for the alignment's tie-breaks
        a, b = b, a
    return Similarity(found.jaccard, found.containment, aligned_share(a, b))


def closest(mine: Text, candidates: Sequence[Text]) -> tuple[int, Similarity] | None:
    """Which of the candidates (best ranked first) the text copies most closely: the index of the
    highest-scoring copy (the first of equals), or None. The one rule every path uses (the
    warehouse's batches, the naive comparator).

    Every candidate's shingles are compared; the sentences are aligned only for the
    ALIGNED_CANDIDATES of the rewrite tier that contain the most of the text: in a stream of
    templated news (an agency's formulas, one story per outlet) a newcomer has many candidates
    in that tier, and a reprint's original is among the closest of them."""
    found = [overlap(mine.shingles, theirs.shingles) for theirs in candidates]
    best: tuple[int, Similarity] | None = None
    for k, sim in enumerate(found):
        if sim.is_copy and (best is None or sim.score > best[1].score):
            best = (k, sim)
    rewrites = sorted(
        (k for k, sim in enumerate(found) if not sim.is_copy and sim.containment >= REWRITE_CONTAINMENT),
        key=lambda k: (-found[k].containment, k),
    )
    for k in rewrites[:ALIGNED_CANDIDATES]:
        if best is not None and found[k].score < best[1].score:
            break  # neither this one nor any after it (they contain less of the text) scores higher
        sim = _aligned(found[k], mine.sentences, candidates[k].sentences)
        if sim.is_copy:
            if best is None or sim.score > best[1].score or k < best[0]:
                best = (k, sim)
            break
    return best


def compare(text_a: str, text_b: str) -> Similarity:
    """`judge` from the texts alone."""
    return judge(read(text_a), read(text_b))


def same_sentences(a: Sentences, b: Sentences) -> np.ndarray:
    """Which sentences of `a` (rows) say the same as which of `b` (columns): most of the shorter's
    word pairs are the other's, and no number differs (a ministry's template for round 5 and for
    round 6 differs only in its numbers)."""
    n, m = a.words.size, b.words.size
    common = np.intersect1d(a.pairs, b.pairs)
    if not common.size:
        return np.zeros((n, m), dtype=bool)
    # the pairs every two sentences share: the product of their incidence on the common pairs
    incidence = []
    for side, rows in ((a, n), (b, m)):
        at = np.searchsorted(common, side.pairs)
        at[at == common.size] = 0
        kept = common[at] == side.pairs
        table = np.zeros((rows, common.size), dtype=np.float32)
        table[side.owner[kept], at[kept]] = 1.0
        incidence.append(table)
    shared = incidence[0] @ incidence[1].T
    close = shared >= SENTENCE_MATCH * np.minimum(a.sizes[:, None], b.sizes[None, :])
    # numbers: the bits rule out most disagreements at once; the sets settle the rest
    mine, theirs = a.masks[:, None], b.masks[None, :]
    close &= ((mine & ~theirs) == 0) | ((theirs & ~mine) == 0)
    for i, j in zip(*np.nonzero(close), strict=True):
        if a.masks[i] or b.masks[j]:
            x, y = a.numbers_of(i), b.numbers_of(j)
            if not (x <= y or y <= x):
                close[i, j] = False
    return close


def aligned_share(a: Sentences, b: Sentences) -> float:
    """How much of what two texts share is the same sentences in the same order.

    Sentences are matched in order (the most words of both texts in matched pairs, by dynamic
    programming), then everything the match leaves out is counted against it, except what a
    reprint is allowed: its own lead (up to OWN_LEAD_WORDS before the first match, in one of the
    two) and a cut ending (text after the last match in one of the two). Counted against:
    unmatched sentences between matched ones (the other story's own paragraphs; a caption
    counts, but it is short), text after the shared stretch in both texts, and — in full — text
    before it in both (each opens with sentences of its own: a passage shared by two stories).
    Excerpts are the beginnings of pages: a reprint begins where its original begins, after at
    most a lead, while either may end anywhere.

    Returns matched words / (matched + counted against); 0 when fewer than MIN_MATCHED_SENTENCES
    match."""
    n, m = a.words.size, b.words.size
    if not n or not m:
        return 0.0
    match = same_sentences(a, b)
    if np.count_nonzero(match) < MIN_MATCHED_SENTENCES:
        return 0.0
    # best[i][j]: the most words matched among the first i sentences of a and j of b (in plain
    # Python: a dozen sentences a side, where numpy's per-call cost would dominate)
    close = match.tolist()
    words_a, words_b = a.words.tolist(), b.words.tolist()
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n):
        above, here, row = best[i], best[i + 1], close[i]
        for j in range(m):
            value = above[j + 1] if above[j + 1] > here[j] else here[j]
            if row[j] and above[j] + words_a[i] + words_b[j] > value:
                value = above[j] + words_a[i] + words_b[j]
            here[j + 1] = value
    pairs = []
    i, j = n, m
    while i and j:
        if close[i - 1][j - 1] and best[i][j] == best[i - 1][j - 1] + words_a[i - 1] + words_b[j - 1]:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    if len(pairs) < MIN_MATCHED_SENTENCES:
        return 0.0
    pairs.reverse()
    (first_a, first_b), (last_a, last_b) = pairs[0], pairs[-1]
    matched = best[n][m]
    gaps = sum(words_a[first_a : last_a + 1]) + sum(words_b[first_b : last_b + 1]) - matched
    heads = sorted((sum(words_a[:first_a]), sum(words_b[:first_b])))
    # One own lead is a reprint's; an opening of its own in each text is two stories.
    before = heads[0] + heads[1] if heads[0] else max(0, heads[1] - OWN_LEAD_WORDS)
    after = min(sum(words_a[last_a + 1 :]), sum(words_b[last_b + 1 :]))
    return matched / (matched + gaps + before + after)


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
