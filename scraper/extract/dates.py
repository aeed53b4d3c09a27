"""Parsing the dates pages print into ISO 8601, keeping the offset the page states.

One entry point, :func:`parse_date`. It never invents: a string it cannot read gives
``None``; a date without an offset stays naive (``2024-01-12T11:09:55``) unless the
caller names a ``default_tz``; a date without a time stays a date (``2024-01-12``).
Relative dates ("2 days ago") need a clock and are not read. Pure: no clock, no I/O.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["date_start", "parse_date"]

_ISO = re.compile(
    r"""^(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})
    (?:[T\s]+(?P<H>\d{1,2}):?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?
    \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$""",
    re.X | re.I,
)

# Month names and abbreviations: English, German, French, Spanish, Portuguese, Italian,
# Dutch and Russian (nominative and genitive).
_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    [
        "january jan januar janv janvier enero ene janeiro gennaio gen januari январь января янв",
        "february feb februar fév fev févr fevr février fevrier febrero fevereiro febbraio"
        " februari февраль февраля фев февр",
        "march mar maret märz maerz mär mars marzo março marco maart март марта",
        "april apr avr avril abril abr aprile апрель апреля",
        "may mai mayo maio maggio mei май мая",
        "june jun juni juin junio junho giugno июнь июня июн",
        "july jul juli juil juillet julio julho luglio июль июля июл",
        "august aug agustus août aout ago agosto augustus авг август августа",
        "september sep sept septembre septiembre setiembre setembro settembre"
        " сентябрь сентября сен сент",
        "october oct oktober okt octobre octubre outubro ottobre ott октябрь октября окт",
        "november nov novembre noviembre novembro ноябрь ноября ноя",
        "december dec dez dezember déc décembre decembre diciembre dic dezembro dicembre"
        " desember december декабрь декабря дек",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _num)

_MONTH_ALT = "|".join(sorted((re.escape(n) for n in _MONTHS), key=len, reverse=True))
_B = r"(?<![^\W\d_])"  # not preceded by a letter
_E = r"(?![^\W\d_])"  # not followed by a letter

_DAY_MONTH_YEAR = re.compile(
    rf"{_B}(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|e|º|\.)?\s*(?:de\s+|of\s+)?"
    rf"(?P<mon>{_MONTH_ALT}){_E}\.?,?\s*(?:de\s+|del\s+)?(?P<y>\d{{4}})(?!\d)",
    re.I,
)
_MONTH_DAY_YEAR = re.compile(
    rf"{_B}(?P<mon>{_MONTH_ALT}){_E}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d),?\s+"
    r"(?P<y>\d{4})(?!\d)",
    re.I,
)
_YMD = re.compile(r"(?<!\d)(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?!\d)")
_DMY_DOTS = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)")
_SLASHES = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?!\d)")
# Korean, Japanese and Chinese: 2024년 1월 12일, 2024年1月12日.
_CJK = re.compile(r"(?P<y>\d{4})\s*[년年]\s*(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日]?")

_TIME = re.compile(
    r"(?<![\d:.])(?P<H>\d{1,2})(?::|h|ч\s*)(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"(?![\d])\s*(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)?(?![^\W\d_])",
    re.I,
)
_TIME_AMPM = re.compile(r"(?<![\d:])(?P<H>\d{1,2})\s*(?P<ampm>a\.?m\.?|p\.?m\.?)(?![^\W\d_])", re.I)
_TIME_KO = re.compile(
    r"(?P<ap>오전|오후)?\s*(?P<H>\d{1,2})\s*(?:시|:)\s*(?P<M>\d{1,2})\s*분?(?:\s*(?P<S>\d{1,2})\s*초)?"
)
_OFFSET = re.compile(
    r"(?:(?<![\w])(?:utc|gmt)\s*(?P<sign1>[+-])(?P<h1>\d{1,2})(?::?(?P<m1>\d{2}))?"
    r"|(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2}))(?!\d)",
    re.I,
)
# Zone names with one meaning only (RFC 822's and a few unambiguous others).
_ZONE_NAMES = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0,
    "est": -5 * 60, "edt": -4 * 60, "cst": -6 * 60, "cdt": -5 * 60,
    "mst": -7 * 60, "mdt": -6 * 60, "pst": -8 * 60, "pdt": -7 * 60,
    "cet": 60, "cest": 120, "eet": 120, "eest": 180, "msk": 180, "kst": 540, "jst": 540,
}  # fmt: skip
_ZONE = re.compile(r"(?<![^\W\d_])(" + "|".join(_ZONE_NAMES) + r")(?![^\W\d_])", re.I)


def parse_date(raw: str | None, *, default_tz: str | None = None) -> str | None:
    """ISO 8601 for a date as a page prints it, or ``None`` when it cannot be read.

    ``default_tz`` (an IANA name like ``"America/New_York"`` or an offset like
    ``"+03:00"``) is applied only when the text states no offset and has a time.
    """
    if not raw:
        return None
    text = " ".join(str(raw).replace("\u2212", "-").split())
    if not text or len(text) > 200:
        return None
    m = _ISO.match(text)
    if m:
        return _build(
            int(m["y"]), int(m["m"]), int(m["d"]),
            m["H"], m["M"], m["S"], m["f"], None, _offset_minutes(m["tz"]), default_tz,
        )  # fmt: skip
    return _parse_human(text, default_tz)


def date_start(text: str) -> int | None:
    """Where the first date :func:`parse_date` would read in ``text`` begins (``None``
    without one): "By Jo Doe, Monday, March 3, 2025" gives the offset of "March"."""
    found = _find_date(text.lower())
    return found[3] if found else None


def _parse_human(text: str, default_tz: str | None) -> str | None:
    low = text.lower()
    found = _find_date(low)
    if found is None:
        return None
    y, mo, d, start, end = found
    rest = low[:start] + " " + low[end:]
    hh = mm = ss = frac = ampm = None
    tm = _TIME.search(rest)
    korean = None if tm else _TIME_KO.search(rest)
    if tm:
        hh, mm, ss, frac, ampm = tm["H"], tm["M"], tm["S"], tm["f"], tm["ampm"]
        before = rest[: tm.start()].rstrip()
        if not ampm and before.endswith(("오전", "오후")):
            ampm = "pm" if before.endswith("오후") else "am"
        after = rest[tm.end() :]
    elif korean and (korean["ap"] or "시" in korean.group(0)):
        hh, mm, ss = korean["H"], korean["M"], korean["S"]
        ampm = {"오전": "am", "오후": "pm"}.get(korean["ap"] or "")
        after = rest[korean.end() :]
    else:
        ta = _TIME_AMPM.search(rest)
        if ta:
            hh, mm, ampm = ta["H"], "00", ta["ampm"]
            after = rest[ta.end() :]
        else:
            after = ""
    offset = _find_offset(after) if hh is not None else None
    return _build(y, mo, d, hh, mm, ss, frac, ampm, offset, default_tz)


def _find_date(low: str) -> tuple[int, int, int, int, int] | None:
    m = _YMD.search(low) or _CJK.search(low)
    if m:
        return int(m["y"]), int(m["m"]), int(m["d"]), m.start(), m.end()
    m = _DAY_MONTH_YEAR.search(low)
    if m:
        return int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]), m.start(), m.end()
    m = _MONTH_DAY_YEAR.search(low)
    if m:
        return int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]), m.start(), m.end()
    m = _DMY_DOTS.search(low)
    if m:
        return int(m["y"]), int(m["m"]), int(m["d"]), m.start(), m.end()
    m = _SLASHES.search(low)
    if m:
        a, b = int(m["a"]), int(m["b"])
        if a > 12 >= b:
            return int(m["y"]), b, a, m.start(), m.end()
        if b > 12 >= a:
            return int(m["y"]), a, b, m.start(), m.end()
        if a == b:
            return int(m["y"]), a, b, m.start(), m.end()
    return None  # 03/04/2024 could be either: never guess


def _find_offset(after: str) -> int | None:
    after = after.strip()[:24]
    m = _OFFSET.match(after)
    if m:
        return _offset_from_match(m)
    z = _ZONE.match(after.lstrip("( "))
    if z:
        return _ZONE_NAMES[z.group(1).lower()]
    return None


def _offset_from_match(m: re.Match[str]) -> int:
    sign, hours, mins = (m["sign"], m["h"], m["m"]) if m["sign"] else (m["sign1"], m["h1"], m["m1"])
    minutes = int(hours) * 60 + int(mins or 0)
    return -minutes if sign == "-" else minutes


def _offset_minutes(tz: str | None) -> int | None:
    if not tz:
        return None
    if tz.upper() in ("Z", "UTC", "GMT"):
        return 0
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return sign * (int(digits[:2]) * 60 + int(digits[2:4] or 0))


def _tz_from_name(name: str) -> tzinfo | None:
    off = _OFFSET.fullmatch(name.strip())
    if off:
        return timezone(timedelta(minutes=_offset_from_match(off)))
    if name.strip().lower() in _ZONE_NAMES:
        return timezone(timedelta(minutes=_ZONE_NAMES[name.strip().lower()]))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _build(
    y: int,
    mo: int,
    d: int,
    hh: str | None,
    mm: str | None,
    ss: str | None,
    frac: str | None,
    ampm: str | None,
    offset: int | None,
    default_tz: str | None,
) -> str | None:
    try:
        if hh is None:
            return date(y, mo, d).isoformat()
        hour = int(hh)
        if ampm:
            if not 1 <= hour <= 12:
                return None
            pm = ampm.lower().startswith("p")
            hour = hour % 12 + (12 if pm else 0)
        micro = int((frac or "0")[:6].ljust(6, "0"))
        if offset is not None:
            if abs(offset) >= 24 * 60:
                return None
            tz: tzinfo | None = timezone(timedelta(minutes=offset))
        else:
            tz = _tz_from_name(default_tz) if default_tz else None
        dt = datetime(y, mo, d, hour, int(mm or 0), int(ss or 0), micro)
        if tz is not None:
            dt = dt.replace(tzinfo=tz)
            # an IANA zone gives the offset valid at that moment
            dt = dt.replace(tzinfo=timezone(dt.utcoffset() or timedelta(0)))
    except ValueError:
        return None
    return dt.isoformat()
