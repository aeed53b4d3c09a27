"""When to look at an archived article again: an age-based revisit policy.

Young articles change most (comments arrive, stories get updated), old ones rarely. The
policy is a list of ``AGE:INTERVAL`` steps, youngest first, e.g. the default
``"1d:0,7d:1d,30d:7d,*:30d"``: an article younger than a day is re-checked on every run,
younger than a week once a day, younger than a month once a week, older once every 30 days.
Durations: ``s``, ``m``, ``h``, ``d``, ``w``; ``0`` means every run; ``*`` is any age;
``never`` as an interval means never. Setting: ``ARCHIVE_REVISIT``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEFAULT_REVISIT = "1d:0,7d:1d,30d:7d,*:30d"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhdw]?)$")


class ScheduleError(ValueError):
    """An ``ARCHIVE_REVISIT`` policy that cannot be read; ``str()`` says where."""


def parse_duration(text: str) -> timedelta | None:
    """``"7d"`` → 7 days; ``"never"`` → ``None``."""
    text = text.strip().lower()
    if text == "never":
        return None
    m = _DURATION.match(text)
    if not m:
        raise ScheduleError(f"not a duration: {text!r} (use e.g. 0, 90m, 12h, 7d, 2w, never)")
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2) or "s"])


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 instant (a naive one is taken as UTC), or ``None``."""
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RevisitPolicy:
    # (max age, interval): the first step whose max age exceeds the article's age applies;
    # max age None is any age; interval None is never.
    steps: tuple[tuple[timedelta | None, timedelta | None], ...]

    @classmethod
    def parse(cls, text: str = DEFAULT_REVISIT) -> RevisitPolicy:
        steps: list[tuple[timedelta | None, timedelta | None]] = []
        for part in text.split(","):
            if not part.strip():
                continue
            age, sep, interval = part.partition(":")
            if not sep:
                raise ScheduleError(f"revisit step {part.strip()!r} is not AGE:INTERVAL")
            max_age = None if age.strip() == "*" else parse_duration(age)
            if max_age is None and age.strip() != "*":
                raise ScheduleError(f"revisit step {part.strip()!r}: an age cannot be 'never'")
            steps.append((max_age, parse_duration(interval)))
        if not steps:
            raise ScheduleError("an empty revisit policy")
        return cls(tuple(steps))

    def interval(self, age: timedelta) -> timedelta | None:
        """The revisit interval for an article of this age (``None``: never)."""
        for max_age, interval in self.steps:
            if max_age is None or age < max_age:
                return interval
        return None  # older than every step

    def due(self, published: datetime | None, checked: datetime | None, now: datetime) -> bool:
        """Whether an article published at ``published`` and last checked at ``checked``
        should be checked again at ``now``. Unknown dates make it due."""
        if checked is None:
            return True
        age = now - published if published is not None else timedelta(0)
        interval = self.interval(max(age, timedelta(0)))
        if interval is None:
            return False
        # A check "in the future" (a clock set back, ARCHIVE_NOW) counts as just now.
        return max(now - checked, timedelta(0)) >= interval
