"""Text normalisation: NFC, whitespace, diacritics folding, paragraphs and sentences."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


_SURROGATE = re.compile("[\ud800-\udfff]")
# A phrase ends here: what follows belongs to another ("tại Hàn Quốc, Chủ tịch nước ...").
PHRASE_BREAK = re.compile(r"[,;:.()]")


def without_surrogates(text: str) -> str:
    """Half characters (lone UTF-16 surrogates, as a JSON "\\ud800" escape makes) as U+FFFD: no
    encoding can write them."""
    return _SURROGATE.sub("\ufffd", text)


def nfc(text: str) -> str:
    """Vietnamese text arrives precomposed, decomposed or mixed; compare only NFC."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, unify spaces (NBSP and friends) and strip each line."""
    text = nfc(without_surrogates(text)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def fold(text: str) -> str:
    """Remove diacritics ("Nguyễn Hồng Diên" -> "Nguyen Hong Dien"), keeping length per character."""
    # Words and names recur by the thousand in a batch of articles; whole texts do not.
    return _fold_short(text) if len(text) <= 64 else _fold(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


_fold_short = lru_cache(maxsize=65536)(_fold)


def has_diacritics(text: str) -> bool:
    return fold(text) != text


# A full stop after these does not end a sentence.
_ABBREVIATIONS = {
    "d.c",
    "u.s",
    "u.k",
    "tp",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "gs",
    "ts",
    "pgs",
    "ths",
    "th.s",
    "h.e",
    "vs",
    "inc",
    "ltd",
    "co",
    "corp",
    "jr",
    "sr",
    "e.g",
    "i.e",
    "etc",
    "p",
    "gov",
    "sen",
    "rep",
    "gen",
    "prof",
}
# A stop, then space and a capital; or a stop glued to the next sentence's capital after a word
# ending in two letters, the last lower-case ("khác nhau.Hiện tại", "sang Mỹ.Sau khi"), which no
# initial is (abbreviations are checked below). The stop is looked for first: most places are not
# after one, and the engine leaves them at once.
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])(?:[\"”’)]*\s+(?=[\"“(\[]?[A-ZÀ-ỸĐ0-9])|(?<=[^\W\d_][a-zà-ỹđ][.!?])(?=[A-ZÀ-ỸĐ][a-zà-ỹđ]))"
)


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split a paragraph into (offset, sentence) pairs; abbreviations such as D.C. do not split."""
    sentences: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].rstrip('"”’)')
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        token = last_word.rstrip(".").lower()
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or re.fullmatch(r"(?:\w\.)+\w", token):
            continue
        sentences.append((start, text[start : match.start()].strip()))
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append((start, tail))
    return [(off, s) for off, s in sentences if s]
