"""Printed dates in Dutch, English and German (and Russian): recognised, checked, normalised to ISO 8601.

Shared by citation parsing (dates in footnotes) and the document's own metadata (the
publication date on the cover or in the running header). A date is only ever taken
when it is a real calendar date: "31 februari 2024" is no date.
"""

from __future__ import annotations

import calendar
import re

from toolkit.text import MONTHS

__all__ = ["match_date", "normalise_date", "find_dates", "month_number", "DAY_MONTH"]


# Full names for tolerating one typo ("novemer"); abbreviations must match exactly.
_FULL_MONTHS = [(name, n) for name, n in MONTHS.items() if len(name) >= 6]

_MON = r"(?P<m>[^\W\d_]{3,10})\.?"
_YEAR_END = r"(?!\d|[.,]\d)"
# (pattern, month is a name); dates that start with a digit, then those that start with a month.
_DIGIT_DATES: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"), False),
    (re.compile(r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})(?!\d)"), False),
    # A two-digit year ("3 februari 24"), but not the day of a date that goes on ("21 Aug 05, 2020").
    (re.compile(r"(?P<d>\d{1,2})\.?\s+" + _MON + r",?\s+(?P<y>\d{4}|\d{2}(?![,\s]*\d))" + _YEAR_END), True),
)
_MONTH_DATES: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(_MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _YEAR_END), True),
    (re.compile(_MON + r",?\s+(?P<y>\d{4})" + _YEAR_END), True),
)
_YEAR_ONLY = re.compile(r"(?P<y>(?:1[89]|20)\d{2})(?!\d|[.,]\d|-\d)")
# Day and month without a year ("bijgewerkt tot 23 mei"): text, never a date span.
DAY_MONTH = re.compile(r"\d{1,2}\.?\s+" + _MON)


def _one_typo(a: str, b: str) -> bool:
    """One letter dropped, added, changed or two swapped ("novemer", "spetember")."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if a[i + 1 :] == b[i + 1 :] or a[i + 1 :] == b[i:] or a[i:] == b[i + 1 :]:
        return True
    return len(a) == len(b) and a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]


def month_number(word: str) -> int | None:
    """The month a Dutch, English, German (or Russian) month name stands for, or None."""
    w = word.lower().rstrip(".")
    if w in MONTHS:
        return MONTHS[w]
    if len(w) >= 6:
        for name, n in _FULL_MONTHS:
            if name[:1] == w[:1] and _one_typo(w, name):
                return n
    return None


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1800 <= year <= 2099:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def match_date(text: str, pos: int, end: int, allow_year: bool = False) -> tuple[int, str] | None:
    """A calendar date starting exactly at ``pos``: (end offset, ISO value)."""
    if pos >= end:
        return None
    first = text[pos]
    if first.isdigit():
        forms = _DIGIT_DATES
    elif first.isalpha():
        forms = _MONTH_DATES
    else:
        return None
    for pattern, named in forms:
        m = pattern.match(text, pos, end)
        if not m:
            continue
        month = month_number(m["m"]) if named else int(m["m"])
        if month is None:
            continue
        year = int(m["y"])
        if year < 100:
            year += 2000
        day = int(m["d"]) if "d" in pattern.groupindex else None
        when = _iso(year, month, day)
        if when:
            return m.end(), when
    if allow_year:
        m = _YEAR_ONLY.match(text, pos, end)
        if m:
            return m.end(), m["y"]
    return None


def normalise_date(printed: str) -> str | None:
    """ISO 8601 value of a printed date ("5 okt. 2023" -> "2023-10-05"), or None."""
    s = printed.strip()
    found = match_date(s, 0, len(s), allow_year=True)
    if found and found[0] == len(s):
        return found[1]
    return None


_WORD_START = re.compile(r"(?<![\w.])(?=\w)")


def find_dates(text: str, allow_year: bool = False) -> list[tuple[int, int, str]]:
    """Every date printed in ``text`` as (start, end, ISO value), left to right, not overlapping."""
    found: list[tuple[int, int, str]] = []
    pos = 0
    for m in _WORD_START.finditer(text):
        start = m.start()
        if start < pos:
            continue
        hit = match_date(text, start, len(text), allow_year=allow_year)
        if hit:
            found.append((start, hit[0], hit[1]))
            pos = hit[0]
    return found
