"""Literals (XSD 1.1 Part 2): lexical forms, datatypes, comparisons and language ranges."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from ..vocab import RDF_LANG_STRING, XSD, Node

_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_DAY = r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
_LEXICAL = {
    "integer": r"[+-]?[0-9]+",
    "decimal": _NUMBER,
    "double": rf"({_NUMBER}([eE][+-]?[0-9]+)?|[+-]?INF|NaN)",
    "boolean": r"true|false|1|0",
    "date": _YEAR + "-" + _DAY + _TZ,
    "dateTime": _YEAR + "-" + _DAY + "T" + _TIME + _TZ,
    "time": _TIME + _TZ,
    "gYear": _YEAR + _TZ,
    "gYearMonth": _YEAR + r"-(0[1-9]|1[0-2])" + _TZ,
    "gMonthDay": "--" + _DAY + _TZ,
    "gMonth": r"--(0[1-9]|1[0-2])" + _TZ,
    "gDay": r"---(0[1-9]|[12][0-9]|3[01])" + _TZ,
}
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_PATTERNS = {XSD + name: re.compile(p) for name, p in _LEXICAL.items()}
_PATTERNS[XSD + "float"] = _PATTERNS[XSD + "double"]
for _name in _INTEGER_RANGES:
    _PATTERNS[XSD + _name] = _PATTERNS[XSD + "integer"]


def datatype(literal: ox.Literal) -> str:
    return RDF_LANG_STRING if literal.language else literal.datatype.value


def well_formed(literal: ox.Literal) -> bool:
    """Is the lexical form in the lexical space of its (XSD) datatype? Unknown datatypes are."""
    kind = datatype(literal)
    pattern = _PATTERNS.get(kind)
    text = literal.value
    if pattern is None or not pattern.fullmatch(text):
        return pattern is None
    local = kind[len(XSD) :]
    if local in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[local]
        return (low is None or int(text) >= low) and (high is None or int(text) <= high)
    if local in ("date", "dateTime"):
        year, month, day = (int(x) for x in re.findall(r"[0-9]+", text.lstrip("-"))[:3])
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return (
            day <= (29 if leap else 28) if month == 2 else day <= (30 if month in (4, 6, 9, 11) else 31)
        )
    return True


_NUMERIC = {XSD + n for n in ("integer", "decimal", "double", "float", *_INTEGER_RANGES)}


def _comparable(node: Node) -> tuple[str, Any] | None:
    """A literal's value with its comparison family, if SPARQL can order it (SPARQL 1.1 §17.3)."""
    if not isinstance(node, ox.Literal) or not well_formed(node):
        return None
    kind, text = datatype(node), node.value
    try:
        if kind in _NUMERIC:
            number = float(text) if kind in (XSD + "double", XSD + "float") else Decimal(text)
            return "number", number
        if kind == XSD + "date" and len(text) == 10:
            return "date", date.fromisoformat(text)
        if (
            kind == XSD + "date"
        ):  # with a timezone: ordered by its first instant (XPath op:date-less-than)
            zone = text[10:].replace("Z", "+00:00")
            return "dateTime", datetime.fromisoformat(text[:10] + "T00:00:00" + zone)
        if kind == XSD + "dateTime":
            moment = datetime.fromisoformat(text)
            return ("dateTime" if moment.tzinfo else "localDateTime"), moment
    except (ValueError, InvalidOperation):
        return None
    if kind in (XSD + "string", XSD + "boolean"):
        return kind, is_true(node) if kind == XSD + "boolean" else text
    return None


def is_true(node: Node) -> bool:
    """An xsd:boolean parameter's value (lexical forms true, false, 1, 0)."""
    return node.value in ("true", "1")


def compare(a: Node, b: Node) -> int | None:
    """-1, 0 or 1 as a is less than, equal to or greater than b; None if incomparable."""
    left, right = _comparable(a), _comparable(b)
    if left is None or right is None or left[0] != right[0]:
        return None
    x, y = left[1], right[1]
    if isinstance(x, float) or isinstance(y, float):
        x, y = float(x), float(y)
        if x != x or y != y:  # NaN is neither less than, equal to nor greater than anything
            return None
    return (x > y) - (x < y)


def lang_matches(tag: str, lang_range: str) -> bool:
    """Basic filtering (RFC 4647 §3.3.1), as SPARQL's langMatches."""
    tag, lang_range = tag.lower(), lang_range.lower()
    return bool(tag) and (lang_range == "*" or tag == lang_range or tag.startswith(lang_range + "-"))
