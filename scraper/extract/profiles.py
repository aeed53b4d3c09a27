"""Site profiles: a small TOML file describing where a site keeps each field.

A profile names CSS or XPath selectors for any :class:`~scraper.items.Article` field,
for the comment thread (container, item, id, author, date, text, reply nesting,
pagination) and for the previous/next links, plus the date format and timezone the site
prints. Where a profile finds a field it wins over generic extraction, and the field's
source is ``profile``; see ``docs/profiles.md`` for every key.

This module loads and validates profiles: every selector is compiled (and run once on a
tiny page), every regular expression, date format and timezone checked, so a broken
profile fails at load time with one :class:`ProfileError` naming the file, the line or
key, and the problem. Applying a profile to a page is :mod:`scraper.extract.profile_apply`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from .dates import parse_date
from .hints import HINT_KEYS, NO_HINTS, Hints

__all__ = [
    "ARTICLE_RULES",
    "COMMENT_RULES",
    "CommentRules",
    "Profile",
    "ProfileError",
    "Rule",
    "Selector",
    "builtin_profiles_dir",
    "load_profile",
    "load_profiles",
    "parse_profile",
    "pick_profile",
]

# What each Article field a profile may name holds, which decides how its matches are read.
ARTICLE_RULES: dict[str, str] = {
    "headline": "text",
    "description": "text",
    "section": "text",
    "language": "text",
    "authors": "list",
    "categories": "list",
    "tags": "list",
    "published_at": "date",
    "modified_at": "date",
    "canonical_url": "url",
    "body_text": "body",
    "images": "images",
    "prev_url": "url",
    "prev_title": "text",
    "next_url": "url",
    "next_title": "text",
    "comment_count": "count",
}
# Keys of ``[comments]``: the selectors are relative to the page (container), to the
# container (item, pages, count) or to one comment item (the rest).
COMMENT_RULES: dict[str, str] = {
    "container": "element",
    "item": "element",
    "id": "text",
    "parent": "text",
    "author": "text",
    "author_url": "url",
    "date": "date",
    "text": "body",
    "pages": "urls",
    "count": "count",
}
TOP_KEYS = frozenset(
    {
        "name", "description", "domains", "detect", "timezone", "date_format", "fields",
        "comments", "generic",
    }
)  # fmt: skip
RULE_KEYS = frozenset(
    {"css", "xpath", "attr", "regex", "split", "exclude", "date_format", "timezone"}
)
PARENT_STRATEGIES = ("nested", "none")
# Comment keys that may read the item element itself (no selector: ``{ attr = "id" }``).
_SELF_OK = frozenset({"comments.id", "comments.parent", "comments.author", "comments.date"})

_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
# XPath 1.0's functions and node tests: a call to anything else fails only when a page
# makes it run, so a name outside this list is refused at load time.
_XPATH_FUNCTIONS = frozenset(
    [
        "last",
        "position",
        "count",
        "id",
        "local-name",
        "namespace-uri",
        "name",
        "string",
        "concat",
        "starts-with",
        "contains",
        "substring-before",
        "substring-after",
        "substring",
        "string-length",
        "normalize-space",
        "translate",
        "boolean",
        "not",
        "true",
        "false",
        "lang",
        "number",
        "sum",
        "floor",
        "ceiling",
        "round",
        "node",
        "text",
        "comment",
        "processing-instruction",
    ]
)
_XPATH_CALL = re.compile(r"(?<![\w$@:.-])([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*\(")
_XPATH_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")
_SAMPLE = lxml.html.fromstring("<html><body><p id='x' class='y'>z</p></body></html>")


class ProfileError(ValueError):
    """A profile that cannot be used: the message names the file, the line or key, and
    the problem, on one line."""


@dataclass(frozen=True)
class Selector:
    """A compiled CSS or XPath selector (``xpath:`` prefix or an ``xpath`` key)."""

    expr: str
    kind: Literal["css", "xpath"]
    xpath: etree.XPath = field(compare=False, repr=False)

    def select(self, el: HtmlElement) -> list[Any]:
        """Matching elements (or strings, for an XPath ending in ``@attr`` or
        ``text()``), in document order; never raises."""
        try:
            found = self.xpath(el)
        except etree.XPathError:
            return []
        if isinstance(found, list):
            return found
        if isinstance(found, str) and found:
            return [found]
        return []


@dataclass(frozen=True)
class Rule:
    """Where one value lives: a selector (none: the element itself), then optionally an
    attribute to read, a regex to cut the value, a split for lists, elements to leave out
    of a body, and a date format and timezone for dates."""

    key: str  # "fields.headline", "comments.date", … for messages
    kind: str
    selector: Selector | None = None
    attr: str | None = None
    regex: re.Pattern[str] | None = None
    split: re.Pattern[str] | None = None
    exclude: tuple[Selector, ...] = ()
    date_format: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class CommentRules:
    item: Rule
    container: Rule | None = None
    id: Rule | None = None
    parent: Rule | str = "nested"  # "nested", "none", or a rule reading the parent's id
    author: Rule | None = None
    author_url: Rule | None = None
    date: Rule | None = None
    text: Rule | None = None
    pages: Rule | None = None
    count: Rule | None = None


@dataclass(frozen=True)
class Profile:
    path: str
    name: str
    domains: tuple[str, ...] = ()
    timezone: str | None = None
    date_format: str | None = None
    fields: dict[str, Rule] = field(default_factory=dict)
    comments: CommentRules | None = None
    # a theme profile: the page's markup it recognises, and what it adds to generic
    # extraction on such a page (see :mod:`scraper.extract.hints`)
    detect: Selector | None = None
    generic: Hints = NO_HINTS

    def detects(self, tree: HtmlElement) -> bool:
        """True when this is a theme profile and its ``detect`` selector matches."""
        return self.detect is not None and bool(self.detect.select(tree.getroottree().getroot()))

    def matches(self, url: str) -> bool:
        """True when the URL's host is one of ``domains`` or a subdomain of one."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


# ---------------------------------------------------------------------------- loading


def load_profile(path: str | Path) -> Profile:
    """Read and validate one profile file; :class:`ProfileError` if it cannot be used."""
    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except FileNotFoundError:
        raise ProfileError(f"{p}: profile file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{p}: cannot read profile: {exc}") from None
    return parse_profile(text, str(p))


def load_profiles(folder: str | Path) -> list[Profile]:
    """Every ``*.toml`` profile of a folder, by file name; the first broken one raises."""
    d = Path(folder)
    if not d.is_dir():
        raise ProfileError(f"{d}: ARCHIVE_PROFILES is not a folder")
    return [load_profile(p) for p in sorted(d.glob("*.toml"))]


def pick_profile(profiles: list[Profile], url: str) -> Profile | None:
    """The first profile whose ``domains`` hold the URL's host, else ``None``."""
    return next((p for p in profiles if p.matches(url)), None)


@lru_cache(maxsize=1)
def builtin_themes() -> tuple[Profile, ...]:
    """The built-in profiles with a ``detect`` selector (theme profiles), by file name."""
    # read as package resources, not as a folder: a deployed egg (Scrapyd) is a zip file
    shipped = resources.files("scraper.profiles")
    found = sorted(
        (entry for entry in shipped.iterdir() if entry.name.endswith(".toml")),
        key=lambda entry: entry.name,
    )
    themes = (parse_profile(e.read_text("utf-8"), f"scraper/profiles/{e.name}") for e in found)
    return tuple(p for p in themes if p.detect is not None)


def page_hints(tree: HtmlElement, themes: Iterable[Profile]) -> Hints:
    """What the theme profiles whose ``detect`` matches the page add to generic extraction."""
    hints = NO_HINTS
    for theme in themes:
        if theme.detects(tree):
            hints = hints | theme.generic
    return hints


def builtin_profiles_dir() -> Path:
    """The folder of the example profiles shipped with newsarchive."""
    return Path(__file__).resolve().parent.parent / "profiles"


def parse_profile(text: str, path: str = "<profile>") -> Profile:
    """A profile from TOML text; ``path`` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        where = f"{path}:{m.group(1)}" if m else path
        raise ProfileError(f"{where}: invalid TOML: {exc}") from None
    return _Builder(text, path).profile(data)


class _Builder:
    """Validates the parsed TOML, naming the line of each problem."""

    def __init__(self, text: str, path: str) -> None:
        self.lines = text.splitlines()
        self.path = path

    # -- errors -----------------------------------------------------------------------

    def fail(self, key: str, problem: str) -> ProfileError:
        line = self.line_of(key)
        where = f"{self.path}:{line}" if line else self.path
        return ProfileError(f"{where}: {key}: {problem}")

    def line_of(self, key: str) -> int | None:
        """The line that sets ``key`` ("fields.headline"): under its ``[table]`` header,
        as a dotted key, or (for keys inside inline tables) the first line naming it."""
        parts = key.split(".")
        table, last = ".".join(parts[:-1]), parts[-1]
        name = rf"""(?:{re.escape(last)}|"{re.escape(last)}"|'{re.escape(last)}')"""
        assign = re.compile(rf"^\s*{name}\s*=")
        dotted = re.compile(rf"^\s*{re.escape(key)}\s*=") if table else None
        header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
        current = ""
        for number, line in enumerate(self.lines, start=1):
            m = header.match(line)
            if m:
                current = m.group(1).strip().strip("\"'")
                if not table and current == last:
                    return number
                continue
            if current == table and assign.match(line):
                return number
            if dotted is not None and current == "" and dotted.match(line):
                return number
        inline = re.compile(rf"(?:^|[{{,\s]){name}\s*=")
        for number, line in enumerate(self.lines, start=1):
            if inline.search(line.split("#", 1)[0]):
                return number
        if table:
            return self.line_of(table)
        return None

    # -- the profile ------------------------------------------------------------------

    def profile(self, data: dict[str, Any]) -> Profile:
        for key in data:
            if key not in TOP_KEYS:
                raise self.fail(key, f"unknown key (known: {', '.join(sorted(TOP_KEYS))})")
        name = data.get("name", Path(self.path).stem)
        if not isinstance(name, str):
            raise self.fail("name", "must be a string")
        domains = data.get("domains", [])
        if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
            raise self.fail("domains", 'must be a list of host names, e.g. ["example.org"]')
        timezone = self.timezone("timezone", data.get("timezone"))
        date_format = self.date_format("date_format", data.get("date_format"))
        fields_data = data.get("fields", {})
        if not isinstance(fields_data, dict):
            raise self.fail("fields", "must be a table of field = selector")
        rules: dict[str, Rule] = {}
        for fname, spec in fields_data.items():
            if fname not in ARTICLE_RULES:
                hint = " (comments go in [comments])" if fname.startswith("comment") else ""
                raise self.fail(
                    f"fields.{fname}",
                    f"unknown field{hint}; profile fields: {', '.join(ARTICLE_RULES)}",
                )
            rules[fname] = self.rule(f"fields.{fname}", ARTICLE_RULES[fname], spec)
        comments = None
        if "comments" in data:
            comments = self.comments(data["comments"])
        detect = None
        if "detect" in data:
            detect = self.selector("detect", data["detect"])
        return Profile(
            path=self.path,
            name=name,
            domains=tuple(d.strip().lower().rstrip(".") for d in domains if d.strip()),
            timezone=timezone,
            date_format=date_format,
            fields=rules,
            comments=comments,
            detect=detect,
            generic=self.generic(data.get("generic", {})),
        )

    def generic(self, data: Any) -> Hints:
        if not isinstance(data, dict):
            raise self.fail("generic", "must be a table of key = [selectors]")
        found: dict[str, tuple[Selector, ...]] = {}
        for key, value in data.items():
            if key not in HINT_KEYS:
                raise self.fail(f"generic.{key}", f"unknown key (known: {', '.join(HINT_KEYS)})")
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                raise self.fail(f"generic.{key}", "must be a list of selectors")
            found[key] = tuple(self.selector(f"generic.{key}", v) for v in value)
        return Hints(**found)

    def comments(self, data: Any) -> CommentRules:
        if not isinstance(data, dict):
            raise self.fail("comments", "must be a table ([comments])")
        for key in data:
            if key not in COMMENT_RULES:
                raise self.fail(
                    f"comments.{key}", f"unknown key; comment keys: {', '.join(COMMENT_RULES)}"
                )
        if "item" not in data:
            raise self.fail("comments", "needs item = SELECTOR (one comment of the thread)")
        rules = {
            key: self.rule(f"comments.{key}", kind, data[key])
            for key, kind in COMMENT_RULES.items()
            if key in data and key != "parent"
        }
        for key in ("item", "container"):
            rule = rules.get(key)
            if rule is not None and rule.selector is None:
                raise self.fail(f"comments.{key}", "needs a css or xpath selector")
        parent: Rule | str = "nested"
        if "parent" in data:
            spec = data["parent"]
            if isinstance(spec, str) and spec in PARENT_STRATEGIES:
                parent = spec
            elif isinstance(spec, dict):
                parent = self.rule("comments.parent", "text", spec)
            else:
                raise self.fail(
                    "comments.parent",
                    'must be "nested" (replies inside their parent item), "none", or a table'
                    ' reading the parent id, e.g. { attr = "data-parent" }',
                )
        return CommentRules(parent=parent, **rules)  # type: ignore[arg-type]

    def rule(self, key: str, kind: str, spec: Any) -> Rule:
        if isinstance(spec, str):
            return Rule(key=key, kind=kind, selector=self.selector(key, spec))
        if not isinstance(spec, dict):
            raise self.fail(key, "must be a selector string or a table { css = …, attr = … }")
        for sub in spec:
            if sub not in RULE_KEYS:
                raise self.fail(
                    f"{key}.{sub}", f"unknown key; known: {', '.join(sorted(RULE_KEYS))}"
                )
        if "css" in spec and "xpath" in spec:
            raise self.fail(key, "give css or xpath, not both")
        selector = None
        if "css" in spec:
            selector = self.selector(key, self.string(f"{key}.css", spec["css"]), "css")
        elif "xpath" in spec:
            selector = self.selector(key, self.string(f"{key}.xpath", spec["xpath"]), "xpath")
        elif key not in _SELF_OK:
            raise self.fail(key, "needs css = SELECTOR or xpath = EXPRESSION")
        attr = spec.get("attr")
        if attr is not None:
            attr = self.string(f"{key}.attr", attr)
        regex = self.regex(f"{key}.regex", spec.get("regex"))
        split = self.regex(f"{key}.split", spec.get("split"))
        if split is not None and kind not in ("list", "urls"):
            raise self.fail(f"{key}.split", "only list fields (authors, categories, tags) split")
        exclude_spec = spec.get("exclude", [])
        if isinstance(exclude_spec, str):
            exclude_spec = [exclude_spec]
        if not isinstance(exclude_spec, list):
            raise self.fail(f"{key}.exclude", "must be a selector or a list of selectors")
        if exclude_spec and kind != "body":
            raise self.fail(f"{key}.exclude", "only body_text and comments.text take exclude")
        exclude = tuple(
            self.selector(f"{key}.exclude", self.string(f"{key}.exclude", s)) for s in exclude_spec
        )
        date_format = self.date_format(f"{key}.date_format", spec.get("date_format"))
        timezone = self.timezone(f"{key}.timezone", spec.get("timezone"))
        if (date_format or timezone) and kind != "date":
            sub = "date_format" if date_format else "timezone"
            raise self.fail(f"{key}.{sub}", "only date fields take a date format or timezone")
        return Rule(
            key=key,
            kind=kind,
            selector=selector,
            attr=attr,
            regex=regex,
            split=split,
            exclude=exclude,
            date_format=date_format,
            timezone=timezone,
        )

    # -- values -----------------------------------------------------------------------

    def string(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value.strip()

    def selector(
        self, key: str, expr: str, kind: Literal["css", "xpath"] | None = None
    ) -> Selector:
        if not isinstance(expr, str) or not expr.strip():
            raise self.fail(key, "selector must be a non-empty string")
        expr = expr.strip()
        if kind is None:
            if expr.startswith("xpath:"):
                kind, expr = "xpath", expr[6:].strip()
            elif expr.startswith("css:"):
                kind, expr = "css", expr[4:].strip()
            else:
                kind = "css"
        if kind == "css":
            try:
                compiled = etree.XPath(CSSSelector(expr).path)
            except SelectorError as exc:
                raise self.fail(key, f"bad CSS selector {expr!r}: {exc}") from None
        else:
            try:
                compiled = etree.XPath(expr)
            except etree.XPathSyntaxError as exc:
                raise self.fail(key, f"bad XPath {expr!r}: {exc}") from None
        if kind == "xpath":
            calls = _XPATH_CALL.findall(_XPATH_STRING.sub("''", expr))
            unknown = [c for c in calls if c not in _XPATH_FUNCTIONS and not c.endswith("::")]
            if unknown:
                raise self.fail(key, f"bad XPath {expr!r}: unknown function {unknown[0]}()")
        try:
            compiled(_SAMPLE)  # unknown namespace prefixes only show when run
        except etree.XPathError as exc:
            what = "XPath" if kind == "xpath" else "CSS selector"
            raise self.fail(key, f"bad {what} {expr!r}: {exc}") from None
        return Selector(expr=expr, kind=kind, xpath=compiled)

    def regex(self, key: str, pattern: Any) -> re.Pattern[str] | None:
        if pattern is None:
            return None
        if not isinstance(pattern, str):
            raise self.fail(key, "must be a regular expression string")
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise self.fail(key, f"bad regular expression {pattern!r}: {exc}") from None

    def date_format(self, key: str, fmt: Any) -> str | None:
        if fmt is None:
            return None
        if not isinstance(fmt, str) or "%" not in fmt:
            raise self.fail(key, f"date format {fmt!r} needs strptime codes such as %Y-%m-%d")
        sample = datetime(2024, 11, 23, 14, 5, 9)
        try:
            datetime.strptime(sample.strftime(fmt), fmt)
        except ValueError as exc:
            raise self.fail(key, f"bad date format {fmt!r}: {exc}") from None
        return fmt

    def timezone(self, key: str, tz: Any) -> str | None:
        if tz is None:
            return None
        if not isinstance(tz, str) or not tz.strip():
            raise self.fail(key, "must be a timezone name such as Europe/Berlin or +02:00")
        probe = parse_date("2024-01-02T03:04:05", default_tz=tz.strip())
        if probe is None or probe == "2024-01-02T03:04:05":
            raise self.fail(key, f"unknown timezone {tz!r} (use an IANA name or an offset)")
        return tz.strip()
