"""Draw the ontology's classes as a UML-style class diagram in inline SVG: one box per class,
its name, what it specialises, and the properties whose domain it is with their range.

The boxes sit in a grid in the page's order (no edge routing: a box names its superclasses and
each property's range, as pyLODE's and Widoco's class boxes do), each box a link to the class's
section below. Integer coordinates and no randomness: the same ontology gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .escaping import escape

WIDTH = 960
COLUMNS = 3
GAP = 16
HEAD, LINE, PAD = 26, 17, 8  # the name's band, a text line, inner padding
MAX_CHARS = 40  # of a line in a box (its whole text is the box's title)


@dataclass(frozen=True, slots=True)
class Box:
    """A class: its anchor on the page, its name, what it specialises, its properties."""

    anchor: str
    name: str
    supers: tuple[str, ...]
    properties: tuple[tuple[str, str], ...]  # (property, range)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "…"


def class_diagram(boxes: Sequence[Box], *, title: str, specialises: str, ident: str = "cd") -> Markup:
    """Return the SVG of the classes; `title` names it (its text alternative), `specialises`
    is a format string for a box's superclasses ("⊂ {0}")."""
    if not boxes:
        return Markup("")
    width = (WIDTH - (COLUMNS - 1) * GAP) // COLUMNS
    lines = [(len(b.supers) > 0) + len(b.properties) for b in boxes]
    heights = [HEAD + n * LINE + (PAD if n else 0) for n in lines]
    parts = []
    y = 0
    for row in range(0, len(boxes), COLUMNS):
        tallest = max(heights[row : row + COLUMNS])
        for column, box in enumerate(boxes[row : row + COLUMNS]):
            x = column * (width + GAP)
            height = heights[row + column]
            texts = []
            line_y = y + HEAD + LINE - 4
            if box.supers:
                supers = specialises.format(", ".join(box.supers))
                texts.append(
                    f'<text class="s" x="{x + PAD}" y="{line_y}">{escape(_clip(supers))}</text>'
                )
                line_y += LINE
            for prop, range_ in box.properties:
                line = f"{prop} → {range_}" if range_ else prop
                texts.append(f'<text x="{x + PAD}" y="{line_y}">{escape(_clip(line))}</text>')
                line_y += LINE
            parts.append(
                f'<a href="#{escape(box.anchor)}"><title>{escape(box.name)}</title>'
                f'<rect x="{x}" y="{y}" width="{width}" height="{height}" rx="3"/>'
                f'<path d="M{x} {y + HEAD}H{x + width}"/>'
                f'<text class="n" x="{x + PAD}" y="{y + 18}">{escape(_clip(box.name))}</text>'
                f"{''.join(texts)}</a>"
            )
        y += tallest + GAP
    height = y - GAP
    return Markup(
        f'<svg class="classes" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="group" aria-labelledby="{ident}-t"><title id="{ident}-t">{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )
