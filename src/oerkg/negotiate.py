"""Content negotiation: pick a media type by `Accept` and a language by `Accept-Language`.

The rules are RFC 9110 §12.5.1 (the most specific media range that matches gives a type its
quality; q=0 means "not acceptable") and §12.5.4 with RFC 4647's matching of language ranges.
"""

from __future__ import annotations

HTML = "text/html"


def best_media(accept: str, offered: list[str]) -> str | None:
    """Choose the offered media type with the highest quality (ties: the server's order)."""
    ranges = _weighted(accept)
    best, best_q = None, 0.0
    for media in offered:
        specificity = {media: 3, f"{media.split('/')[0]}/*": 2, "*/*": 1}
        matches = [
            (specificity[name], q)
            for value, q in ranges
            if (name := HTML if value == "application/xhtml+xml" else value) in specificity
        ]
        q = max(matches)[1] if matches else 0.0
        if q > best_q:
            best, best_q = media, q
    return best


def best_language(header: str, languages: tuple[str, ...]) -> str:
    """Choose the language with the highest quality (ties: the client's order), else the first."""
    ranked = [
        (-q, index, tag)
        for index, (wanted, q) in enumerate(_weighted(header))
        if q > 0 and (tag := _language(wanted, languages))
    ]
    return min(ranked)[2] if ranked else languages[0]


def _language(wanted: str, languages: tuple[str, ...]) -> str | None:
    """The language a range asks for: the same tag, else one it is a prefix of (`pt` gives
    `pt-BR`, RFC 4647 §3.3.1), else the same for the range shortened subtag by subtag
    (`sv-SE` gives `sv`, §3.4)."""
    while wanted and wanted != "*":
        for tag in languages:
            if tag.lower() == wanted or tag.lower().startswith(f"{wanted}-"):
                return tag
        wanted = wanted.rpartition("-")[0]
    return None


def _weighted(header: str) -> list[tuple[str, float]]:
    """Split an Accept-style header into (lower-cased value, q); a malformed q counts as 0."""
    items = []
    for item in header.split(","):
        value, *params = (p.strip() for p in item.split(";"))
        q = 1.0
        for param in params:
            key, _, number = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(number)
                except ValueError:
                    q = 0.0
        if value:
            items.append((value.lower(), q))
    return items
