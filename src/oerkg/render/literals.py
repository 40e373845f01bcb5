"""Write typed literals as people read them in the page's language: dates, numbers, booleans.

The formats come from the Unicode CLDR through Babel, so every language the site has gets its
own month names and digit grouping without a hand-written table. A value that is not in its
datatype's lexical space (XML Schema 1.1 Part 2, section 3) is shown as it is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation, localcontext

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal

from ..vocab import XSD, XSD_BOOLEAN

DATE_TYPES = frozenset(f"{XSD}{n}" for n in ("date", "dateTime", "gYear", "gYearMonth", "time"))
# XML Schema 1.1 Part 2, 3.4.13-3.4.23: the numeric types and those derived from them.
NUMBER_TYPES = frozenset(
    f"{XSD}{n}"
    for n in (
        "decimal",
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "double",
        "float",
    )
)
# Lexical forms (XML Schema 1.1 Part 2, 3.3.9, 3.3.8, 3.3.14, 3.3.15, 3.3.12); years of four
# digits only, as Python dates have no year 0 or years past 9999. A time zone is dropped.
_ZONE = r"(?:Z|[+-]\d{2}:\d{2})?"
_DATE = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}}){_ZONE}")
_YEAR_MONTH = re.compile(rf"(\d{{4}})-(\d{{2}}){_ZONE}")
_YEAR = re.compile(rf"(\d{{4}}){_ZONE}")
_DATE_TIME = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}})T(\d{{2}}):(\d{{2}}):(\d{{2}})(?:\.\d+)?{_ZONE}")
_TIME = re.compile(rf"(\d{{2}}):(\d{{2}}):(\d{{2}})(?:\.\d+)?{_ZONE}")


def locale_of(tag: str) -> Locale:
    """Return the CLDR locale of a language tag such as `en_GB` or `fr`; English if unknown."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


class LiteralFormats:
    """Format literals for one site: a CLDR locale and the words for true and false per language."""

    def __init__(self, strings: Mapping[str, Mapping[str, str]]) -> None:
        self.locales = {lang: locale_of(s.get("locale", lang)) for lang, s in strings.items()}
        self.booleans = {
            lang: {"true": s.get("true", "true"), "false": s.get("false", "false")}
            for lang, s in strings.items()
        }

    def text(self, value: str, datatype: str, lang: str) -> str:
        """Return `value` (of `datatype`) as a reader of `lang` writes it, or as it is."""
        locale = self.locales.get(lang) or locale_of(lang)
        try:
            if datatype in DATE_TYPES:
                return _date(value, datatype, locale) or value
            if datatype in NUMBER_TYPES:
                return _number(value, locale) or value
        except ValueError:  # a month 13 or a day 32: not a date, shown as written
            return value
        if datatype == XSD_BOOLEAN and value in ("true", "false", "1", "0"):
            word = "true" if value in ("true", "1") else "false"
            return self.booleans.get(lang, {}).get(word, word)
        return value


def _date(value: str, datatype: str, locale: Locale) -> str:
    name = datatype[len(XSD) :]
    if name == "date" and (m := _DATE.fullmatch(value)):
        return format_date(dt.date(*map(int, m.groups())), "long", locale=locale)
    if name == "gYearMonth" and (m := _YEAR_MONTH.fullmatch(value)):
        year, month = map(int, m.groups())
        return format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale)
    if name == "gYear" and (m := _YEAR.fullmatch(value)):
        return format_skeleton("y", dt.date(int(m.group(1)), 1, 1), locale=locale)
    if name == "dateTime" and (m := _DATE_TIME.fullmatch(value)):
        y, mo, d, h, mi, sec = (int(g) for g in m.groups())
        when = dt.datetime(y, mo, d, h, mi, sec)
        day = format_date(when.date(), "long", locale=locale)
        return f"{day}, {format_time(when.time(), 'short', locale=locale)}"
    if name == "time" and (m := _TIME.fullmatch(value)):
        h, mi, sec = (int(g) for g in m.groups())
        return format_time(dt.time(h, mi, sec), "short", locale=locale)
    return ""


def _number(value: str, locale: Locale) -> str:
    if value in ("INF", "-INF", "NaN") or "e" in value.lower():
        return ""  # infinities and scientific notation are shown as written
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return ""
    # Keep every digit written: CLDR's pattern would round to three decimals.
    exponent = number.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    pattern = f"#,##0.{'0' * decimals}" if decimals else "#,##0"
    # Babel rounds in the current decimal context, whose 28 digits an xsd:integer may exceed.
    with localcontext() as context:
        context.prec = max(28, len(number.as_tuple().digits) + decimals + 2)
        return format_decimal(number, format=pattern, locale=locale)
