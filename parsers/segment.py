"""An article cut into what the extractor reads: headline, paragraphs (captions marked), sentences,
each with its offset in `Article.full_text`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.models import Article, Paragraph
from parsers.text import split_sentences

# "(Ảnh: VNA)", "Photo: ...", "ẢNH: BỘ CÔNG THƯƠNG", "| ... |": a picture's caption, not the story.
_CAPTION = re.compile(
    r"\((?:Ảnh|Photo|Nguồn ảnh|Ảnh minh họa|Source)\s*:[^)]*\)\s*\|?\s*$|^\|.*\|$|"
    r"(?:^|[.\s])(?:Ảnh|ẢNH|Photo|Photos)\s*:\s*[^.]{0,60}$|\(Photo[^)]*\)\s*$",
)


@dataclass(frozen=True)
class Sentence:
    text: str
    position: int  # offset in the article's full text
    paragraph_index: int
    paragraph: Paragraph


# A photo's credit, at the end of its caption or on the line after it: "(Joe Raedle/Getty Images)",
# "Hau Dinh/AP", "hide caption", "PHOTO: Reuters".
_AGENCIES = r"(?:AP|AFP|Reuters|Getty\s+Images|Bloomberg|EPA(?:-EFE)?|Xinhua|VNA|TTXVN|Shutterstock|NurPhoto|Pool)"
_CREDIT_AT_END = re.compile(rf"\([^()]{{0,60}}/\s*{_AGENCIES}\)\s*$")
_CREDIT_LINE = re.compile(
    rf"^(?:[^.]{{0,60}}/\s*{_AGENCIES}|hide caption|toggle caption|(?:photo|ảnh)\s*:\s*[^.:]{{1,40}})$", re.IGNORECASE
)


def _is_caption(line: str, next_line: str) -> bool:
    if _CAPTION.search(line):
        return True
    # (Most lines hold neither a credit's slash nor "caption": the patterns are not worth trying.)
    if ("/" in line or "caption" in line) and (_CREDIT_AT_END.search(line) or _CREDIT_LINE.match(line)):
        return True
    maybe_credit = "/" in next_line or "caption" in next_line or ":" in next_line
    return maybe_credit and _CREDIT_LINE.match(next_line) is not None


def split_paragraphs(article: Article) -> list[Paragraph]:
    """Headline first, then one paragraph per line of the body; captions are marked."""
    paragraphs: list[Paragraph] = []
    offset = 0
    if article.title:
        paragraphs.append(Paragraph(article.title, 0, is_headline=True))
        offset = len(article.title) + 1
    lines = article.body.split("\n")
    following = [line.strip() for line in lines if line.strip()][1:] + [""]
    index = 0
    for line in lines:
        if line.strip():
            paragraphs.append(Paragraph(line, offset, is_caption=_is_caption(line.strip(), following[index])))
            index += 1
        offset += len(line) + 1
    return paragraphs


def split_article(article: Article) -> tuple[list[Paragraph], list[Sentence]]:
    paragraphs = split_paragraphs(article)
    sentences = [
        Sentence(text, paragraph.offset + offset, index, paragraph)
        for index, paragraph in enumerate(paragraphs)
        for offset, text in split_sentences(paragraph.text)
    ]
    return paragraphs, sentences
