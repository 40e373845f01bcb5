"""Draw the timeline's events on a time axis as inline SVG: one dot per event at its start
date, stacked where events fall close together, each dot a link to the event's page.

The page lists the same events below (the accessible form of the picture). Drawn at build
time with integer coordinates and no randomness, so the same events give the same bytes;
colours come from the stylesheet (class `axis`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .escaping import escape

WIDTH = 960
PAD = 24  # left and right of the axis, so the first and last year labels fit
R = 5  # a dot's radius
ROW = 12  # between stacked dots
_DATE = re.compile(r"(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?")


@dataclass(frozen=True, slots=True)
class Event:
    """An event as a dot: its label, its page, its start (ISO 8601, a year or a month will
    do) and that date as the page writes it."""

    label: str
    href: str
    start: str
    shown: str
    lang: str = ""  # the label's language, when it is not the page's


def when(start: str) -> float | None:
    """Return a date as a fractional year (2020-07-01 is about 2020.5), or None if unreadable."""
    found = _DATE.match(start)
    if not found:
        return None
    year, month, day = int(found[1]), int(found[2] or 1), int(found[3] or 1)
    return year + (month - 1) / 12 + (day - 1) / 365


def time_axis(events: Sequence[Event], *, title: str, ident: str = "tl") -> Markup:
    """Return the SVG of the events on a time axis from the first year to the year after the
    last; `title` names it (its text alternative)."""
    placed = [(t, e) for e in events if (t := when(e.start)) is not None]
    if not placed:
        return Markup("")
    first = math.floor(min(t for t, _ in placed))
    last = math.floor(max(t for t, _ in placed)) + 1
    span = last - first
    step = 1 if span <= 15 else 5 if span <= 75 else 10 if span <= 150 else 50
    scale = (WIDTH - 2 * PAD) / span
    ends: list[int] = []  # the right end of the last dot on each level, from the axis up
    dots = []
    for t, e in sorted(placed, key=lambda te: te[0]):
        x = PAD + round((t - first) * scale)
        # The lowest level where the dot does not touch the one before it.
        level = next((n for n, end in enumerate(ends) if end < x - R), len(ends))
        if level == len(ends):
            ends.append(0)
        ends[level] = x + R + 1
        dots.append((x, level, e))
    axis = 8 + len(ends) * ROW + R
    height = axis + 28
    parts = [
        f'<svg class="axis" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="group" aria-labelledby="{ident}-t"><title id="{ident}-t">{escape(title)}</title>',
        f'<path d="M{PAD} {axis}H{WIDTH - PAD}"/>',
    ]
    for year in range(first - first % step + (step if first % step else 0), last + 1, step):
        x = PAD + round((year - first) * scale)
        parts.append(
            f'<path d="M{x} {axis - 4}V{axis + 4}"/><text x="{x}" y="{axis + 20}">{year}</text>'
        )
    for x, level, e in dots:
        lang = f' lang="{e.lang}"' if e.lang else ""
        parts.append(
            f'<a href="{escape(e.href)}"><title{lang}>{escape(e.label)} ({escape(e.shown)})</title>'
            f'<circle cx="{x}" cy="{axis - R - 3 - level * ROW}" r="{R}"/></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
