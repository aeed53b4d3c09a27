"""Which script widget (Disqus, Facebook, Viafoura, OpenWeb, ...) loads a page's comments,
from its container's id or class, its script's address, inline configuration or custom
element."""

from __future__ import annotations

import re

from ..pageindex import PageIndex

# ``comments_source`` of a page whose empty comment container a script of the page fills
# (no widget we know by name): see find.scripted_thread.
SCRIPTED = "script"


def _widget_signature(ix: PageIndex) -> list[str]:
    """What widget patterns are matched against: the page's ids and classes, script and
    iframe addresses, and custom element names (``//@id | //@class | //script/@src |
    //iframe/@src`` and ``//*[contains(name(), '-') or contains(name(), ':')]``). Each
    pattern matches within one line, so distinct values in any order do."""
    parts: list[str] = [*ix.values("id"), *ix.values("class")]
    parts.extend(
        src
        for src, els in ix.values("src").items()
        if any(el.tag in ("script", "iframe") for el in els)
    )
    parts.extend(tag for tag in ix.tags() if "-" in tag or ":" in tag)
    return parts


# widget name and what its hint element's signature (tag, id, class, src, data, inline
# script) contains; the first listed wins
_WIDGETS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.I | re.M))
    for name, pattern in [
        ("disqus", r"^disqus_thread$|disqus\.com|^disqus$"),
        (
            "facebook",
            r"(?<![\w-])fb-comments(?![\w-])|^fb:comments$|facebook\.com/plugins/comments",
        ),
        ("viafoura", r"viafoura|^vf-"),
        ("openweb", r"spot\.im|spot-im|spotim|(?<![\w])openweb"),
        ("livefyre", r"livefyre"),
        ("coral", r"coral_thread|coral(?:project)?\.[a-z]+/|/coral\.js|embed\.js.*coral"),
        ("vuukle", r"vuukle"),
        ("hyvor", r"hyvor-talk"),
        ("commento", r"^commento$|commento\.io"),
        ("utterances", r"utteranc"),
        ("giscus", r"giscus"),
        ("insticator", r"insticator"),
        ("gigya", r"gigya.*comment|comment.*gigya"),
        ("intensedebate", r"intensedebate"),
        ("cackle", r"^mc-container$|cackle\.me"),
        ("hypercomments", r"hypercomments"),
        ("remark42", r"^remark42$|remark42"),
        # read through their APIs: scraper/extract/widgets/
        ("isso", r"^isso-thread$"),
        ("waline", r"^waline$|@waline/"),
    ]
]
# a literal every match of the widget's pattern contains (lower case)
_WIDGET_HINTS: dict[str, tuple[str, ...]] = {
    "disqus": ("disqus",),
    "facebook": ("fb-comments", "fb:comments", "facebook.com/plugins/comments"),
    "viafoura": ("viafoura", "vf-"),
    "openweb": ("spot.im", "spot-im", "spotim", "openweb"),
    "livefyre": ("livefyre",),
    "coral": ("coral",),
    "vuukle": ("vuukle",),
    "hyvor": ("hyvor-talk",),
    "commento": ("commento",),
    "utterances": ("utteranc",),
    "giscus": ("giscus",),
    "insticator": ("insticator",),
    "gigya": ("gigya",),
    "intensedebate": ("intensedebate",),
    "cackle": ("mc-container", "cackle.me"),
    "hypercomments": ("hypercomments",),
    "remark42": ("remark42",),
    "isso": ("isso-thread",),
    "waline": ("waline",),
}
# Every name ``comments_source`` gives a page whose thread a script loads.
WIDGET_NAMES: frozenset[str] = frozenset([*(name for name, _ in _WIDGETS), SCRIPTED])


def detect_widget(ix: PageIndex) -> str | None:
    """The script widget that loads this page's comments, from its container's id or
    class, its script's address or inline configuration, or its custom element."""
    parts = _widget_signature(ix)
    parts.extend(
        "disqus" for el in ix.tagged("script") if not el.get("src") and "disqus" in (el.text or "")
    )
    signature = "\n".join(parts)
    lowered = signature.lower()
    for name, pattern in _WIDGETS:
        # a plain substring test first: most pages mention no widget at all
        if any(hint in lowered for hint in _WIDGET_HINTS[name]) and pattern.search(signature):
            return name
    return None
