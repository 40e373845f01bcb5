"""Draw an entity's neighbourhood as inline SVG: what links to it on the left, the entity in
the middle, what it links to on the right; each node a labelled link.

Drawn at build time from the page's own links, with integer coordinates and no randomness, so
the same graph gives the same bytes. Colours and fonts come from the site's stylesheet (class
`nb`), which keeps each picture to a few hundred bytes per node.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _node(node: Node, x: int, y: int, arrow: str) -> str:
    lang = f' lang="{node.lang}"' if node.lang else ""
    title = escape(
        f"{node.edge} {arrow} {node.label}" if arrow == "→" else f"{node.label} {arrow} {node.edge}"
    )
    return (
        f'<a href="{escape(node.href)}"><title>{title}</title>'
        f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="4"/>'
        f'<text x="{x + 8}" y="{y + 16}"{lang}>{escape(_clip(node.label))}</text></a>'
    )


def neighbourhood(
    centre: str,
    incoming: list[Node],
    outgoing: list[Node],
    *,
    title: str,
    more: str,
    ident: str = "nb",
) -> Markup:
    """Return the SVG of an entity (`centre` is its label) and its first neighbours.

    `title` names the picture (its text alternative, with the links it draws); `more` is a
    format string for the count of neighbours not drawn ("{0} more").
    """
    shown_in, shown_out = incoming[:MAX_SIDE], outgoing[:MAX_SIDE]
    extra_in, extra_out = len(incoming) - len(shown_in), len(outgoing) - len(shown_out)
    rows = max(len(shown_in) + (extra_in > 0), len(shown_out) + (extra_out > 0), 1)
    height = rows * ROW
    width = 3 * NODE_W + 2 * GAP
    cx, cy = NODE_W + GAP, (height - NODE_H) // 2
    parts = [
        f'<svg class="nb" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="group" aria-labelledby="{ident}-t"><title id="{ident}-t">{escape(title)}</title>'
    ]
    edges = []
    for column, nodes, extra, arrow in ((0, shown_in, extra_in, "←"), (2, shown_out, extra_out, "→")):
        x = column * (NODE_W + GAP)
        # The side's rows (its nodes, then its count of the others) centred on the picture.
        top = (height - (len(nodes) + (extra > 0)) * ROW) // 2
        for i, node in enumerate(nodes):
            y = top + i * ROW + (ROW - NODE_H) // 2
            parts.append(_node(node, x, y, arrow))
            # From the node's inner side to the centre's facing side.
            x1 = x + NODE_W if column == 0 else x
            x2 = cx if column == 0 else cx + NODE_W
            edges.append(f"M{x1} {y + NODE_H // 2}L{x2} {cy + NODE_H // 2}")
        if extra > 0:
            y = top + len(nodes) * ROW + (ROW - NODE_H) // 2 + 16
            parts.append(f'<text class="more" x="{x + 8}" y="{y}">{escape(more.format(extra))}</text>')
    if edges:
        parts.insert(1, f'<path d="{"".join(edges)}"/>')
    parts.append(
        f'<g class="c"><rect x="{cx}" y="{cy}" width="{NODE_W}" height="{NODE_H}" rx="4"/>'
        f'<text x="{cx + 8}" y="{cy + 16}">{escape(_clip(centre, CENTRE_CHARS))}</text></g></svg>'
    )
    return Markup("".join(parts))
