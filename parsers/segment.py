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


def split_paragraphs(article: Article) -> list[Paragraph]:
    """Headline first, then one paragraph per line of the body; captions are marked."""
    paragraphs: list[Paragraph] = []
    offset = 0
    if article.title:
        paragraphs.append(Paragraph(article.title, 0, is_headline=True))
        offset = len(article.title) + 1
    for line in article.body.split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(line, offset, is_caption=bool(_CAPTION.search(line.strip()))))
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
