"""Draw an entity's neighbourhood as inline SVG: what links to it on the left, the entity in
the middle, what it links to on the right; each node a labelled link.

Drawn at build time from the page's own links, with integer coordinates and no randomness, so
the same graph gives the same bytes. Colours and fonts come from the site's stylesheet (class
`nb`), which keeps each picture to a few hundred bytes per node.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from .escaping import escape

MAX_SIDE = 8  # neighbours drawn on each side; the caption counts the others
NODE_W, NODE_H, ROW = 210, 24, 30  # a node's box and the distance between rows
GAP = 40  # between a column and the centre
MAX_CHARS = 28  # characters of a label drawn in a node (the whole label is its title)
CENTRE_CHARS = 24  # the entity's own label is drawn in bold


@dataclass(frozen=True, slots=True)
class Node:
    """A neighbour: its label, its page (or external address) and how it is linked."""

    label: str
    href: str
    edge: str  # the property's label, e.g. "founder"
    lang: str = ""  # the label's language, when it is not the page's


def _clip(text: str, size: int = MAX_CHARS) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


@lru_cache(maxsize=1 << 12)  # the neighbours that recur: hubs
def _node(node: Node, arrow: str) -> tuple[str, str]:
    """Mark up a node placed by a `translate(x y)` between the two parts returned: a neighbour
    recurs on many pages (and on each side only one way), so its markup is made once."""
    lang = f' lang="{node.lang}"' if node.lang else ""
    title = f"{node.edge} {arrow} {node.label}" if arrow == "→" else f"{node.label} {arrow} {node.edge}"
    return (
        f'<a href="{escape(node.href)}" transform="translate(',
        f')"><title>{escape(title)}</title><rect width="{NODE_W}" height="{NODE_H}" rx="4"/>'
        f'<text x="8" y="16"{lang}>{escape(_clip(node.label))}</text></a>',
    )


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the parts of a picture go; the same for every picture with as many nodes a side."""

    height: int
    places: tuple[tuple[str, ...], tuple[str, ...]]  # each side's nodes' "x y"
    more: tuple[str, str]  # each side's "x y" of its count of the others, or ""
    edges: str  # one path from every node to the centre
    centre: str  # the centre's box


@lru_cache(maxsize=256)
def _layout(shown_in: int, shown_out: int, more_in: bool, more_out: bool) -> _Layout:
    rows = max(shown_in + more_in, shown_out + more_out, 1)
    height = rows * ROW
    cx, cy = NODE_W + GAP, (height - NODE_H) // 2
    places: list[tuple[str, ...]] = []
    mores: list[str] = []
    edges: list[str] = []
    for column, count, more in ((0, shown_in, more_in), (2, shown_out, more_out)):
        x = column * (NODE_W + GAP)
        # The side's rows (its nodes, then its count of the others) centred on the picture.
        top = (height - (count + more) * ROW) // 2
        ys = [top + i * ROW + (ROW - NODE_H) // 2 for i in range(count)]
        places.append(tuple(f"{x} {y}" for y in ys))
        # From each node's inner side to the centre's facing side.
        x1, x2 = (x + NODE_W, cx) if column == 0 else (x, cx + NODE_W)
        edges.extend(f"M{x1} {y + NODE_H // 2}L{x2} {cy + NODE_H // 2}" for y in ys)
        mores.append(f'x="{x + 8}" y="{top + count * ROW + (ROW - NODE_H) // 2 + 16}"' if more else "")
    centre = f'<rect x="{cx}" y="{cy}" width="{NODE_W}" height="{NODE_H}" rx="4"/><text x="{cx + 8}" y="{cy + 16}">'
    return _Layout(height, (places[0], places[1]), (mores[0], mores[1]), "".join(edges), centre)


def neighbourhood(
    centre: str,
    incoming: list[Node],
    outgoing: list[Node],
    *,
    counts: tuple[int, int],
    title: str,
    more: str,
    ident: str = "nb",
) -> Markup:
    """Return the SVG of an entity (`centre` is its label) and its first neighbours.

    `counts` are how many neighbours link in and out (the nodes given are the first of them);
    `title` names the picture (its text alternative, with the links it draws); `more` is a
    format string for the count of neighbours not drawn ("and {0} more").
    """
    sides = (incoming[:MAX_SIDE], outgoing[:MAX_SIDE])
    extras = (counts[0] - len(sides[0]), counts[1] - len(sides[1]))
    layout = _layout(len(sides[0]), len(sides[1]), extras[0] > 0, extras[1] > 0)
    width = 3 * NODE_W + 2 * GAP
    parts = [
        f'<svg class="nb" viewBox="0 0 {width} {layout.height}" width="{width}" height="{layout.height}" '
        f'role="group" aria-labelledby="{ident}-t"><title id="{ident}-t">{escape(title)}</title>'
    ]
    if layout.edges:
        parts.append(f'<path d="{layout.edges}"/>')
    for nodes, places, arrow in zip(sides, layout.places, ("←", "→"), strict=True):
        for node, place in zip(nodes, places, strict=True):
            head, tail = _node(node, arrow)
            parts += (head, place, tail)
    for extra, place in zip(extras, layout.more, strict=True):
        if place:
            parts.append(f'<text class="more" {place}>{escape(more.format(extra))}</text>')
    parts += ('<g class="c">', layout.centre, escape(_clip(centre, CENTRE_CHARS)), "</text></g></svg>")
    return Markup("".join(parts))
