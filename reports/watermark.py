"""The «ПРОЕКТ» watermark of a draft as outlines, not text.

A watermark written as text would be read by search, copy and text extraction in the
middle of the plan's sentences («…подготовки Р учащихся…»). Drawn from the glyph outlines
of the bundled font (fontTools), it is a picture: visible on every page, absent from the
document's text."""

from __future__ import annotations

from functools import lru_cache

from .fetcher import STATIC_ROOT

FONT = STATIC_ROOT / "fonts" / "LiberationSans-Bold.ttf"


@lru_cache(maxsize=8)
def outline_svg(text: str, fill: str = "#e2e2e2", tracking: int = 180) -> str:
    """An inline SVG drawing ``text`` in Liberation Sans Bold (font units, y up)."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    font = TTFont(FONT, lazy=True)
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    ascent = font["hhea"].ascent
    paths, x = [], 0
    for char in text:
        name = cmap.get(ord(char))
        if name is None:
            continue
        glyph = glyphs[name]
        pen = SVGPathPen(glyphs)
        # Flip y (font units grow upwards) and move to the glyph's place.
        glyph.draw(TransformPen(pen, (1, 0, 0, -1, x, ascent)))
        paths.append(pen.getCommands())
        x += glyph.width + tracking
    width = max(x - tracking, 1)
    return (
        f'<svg viewBox="0 0 {width} {ascent}" preserveAspectRatio="xMidYMid meet">'
        f'<path fill="{fill}" d="{" ".join(paths)}"/></svg>'
    )
