"""The student's copy of the article: clean (no highlights), its sentences
numbered, every word a span carrying its character offsets, so a phrase
selected with the mouse, a finger or the keyboard is sent as exact offsets.

Sentence numbers are drawn by CSS from ``data-n`` (not text), so a selection
across two sentences copies only the article's own words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..classroom.grade import KeyPassage
from ..render.html import esc

__all__ = ["student_article_html"]

_WORD = re.compile(r"\S+")


def student_article_html(kp: KeyPassage, passages: Sequence[Sequence[int]]) -> str:
    text = kp.text
    starts = {s: i for i, s in enumerate(kp.sentence_starts, 1)}
    paras = passages or [[0, len(text)]]
    out = []
    for ps, pe in paras:
        parts: list[str] = []
        pos = ps
        for m in _WORD.finditer(text, ps, pe):
            s, e = m.start(), m.end()
            parts.append(esc(text[pos:s]))
            # a sentence may start inside a token ("(Reuters)Officials"): number at the token
            n = next((starts[i] for i in range(s, e) if i in starts), None)
            if n is not None:
                parts.append(f'<span class="sn" data-n="{n}" aria-label="sentence {n}"></span>')
            parts.append(f'<span class="w" data-s="{s}" data-e="{e}">{esc(text[s:e])}</span>')
            pos = e
        parts.append(esc(text[pos:pe]))
        out.append(f'<p class="text">{"".join(parts)}</p>')
    return "".join(out)
