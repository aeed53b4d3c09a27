"""A run's options, from the spider's ``-a discover``, ``incremental``, ``full`` and
``stop_after_known`` arguments (see :mod:`scraper.crawlplan`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .decisions import SOURCES

DEFAULT_STOP_AFTER_KNOWN = 10


class PlanArgumentError(ValueError):
    """A ``-a`` argument of the plan (discover, incremental, full, stop_after_known)."""


def _flag(name: str, value: object) -> bool:
    text = str(value).strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise PlanArgumentError(f"{name} must be 0 or 1, got {value!r}")


@dataclass(frozen=True)
class PlanOptions:
    discover: frozenset[str] | None  # None: auto
    incremental: bool = False
    full: bool = False
    stop_after_known: int | None = None

    @classmethod
    def from_args(
        cls,
        discover: str | None = None,
        incremental: object = None,
        full: object = None,
        stop_after_known: object = None,
    ) -> PlanOptions:
        sources: frozenset[str] | None = None
        if discover not in (None, "", "auto"):
            parts = {p.strip() for p in str(discover).split(",") if p.strip()}
            unknown = parts - set(SOURCES)
            if unknown or not parts:
                raise PlanArgumentError(
                    f"discover must be 'auto' or a comma-separated subset of "
                    f"{','.join(SOURCES)}, got {discover!r}"
                )
            sources = frozenset(parts)
        k: int | None = None
        if stop_after_known not in (None, ""):
            try:
                k = int(str(stop_after_known))
            except ValueError:
                k = 0
            if k < 1:
                raise PlanArgumentError(
                    f"stop_after_known must be a positive integer, got {stop_after_known!r}"
                )
        # Incremental is the default: on an empty archive it fetches everything anyway, and
        # on an archive that holds the site it fetches what is new or due (full=1: all).
        inc = _flag("incremental", incremental) if incremental is not None else True
        is_full = _flag("full", full) if full is not None else False
        if is_full and k is not None:
            raise PlanArgumentError("full=1 re-visits everything: drop stop_after_known")
        if inc and k is None:
            k = DEFAULT_STOP_AFTER_KNOWN
        return cls(sources, inc or is_full, is_full, k)

    def arguments(self) -> dict[str, Any]:
        """For the crawl's ``args`` column: only what differs from the defaults."""
        out: dict[str, Any] = {}
        if self.discover is not None:
            out["discover"] = ",".join(s for s in SOURCES if s in self.discover)
        if self.incremental and not self.full:
            out["incremental"] = 1
            out["stop_after_known"] = self.stop_after_known
        if self.full:
            out["full"] = 1
        return out
