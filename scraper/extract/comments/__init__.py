"""Threaded comments of one page, the thread's other pages, and merging the pages.

Sources, tried in order: comment records in the HTML (CMS/theme markup such as WordPress
``li#comment-N``, schema.org microdata ``Comment``, and comment-classed items), JSON-LD
``comment`` arrays, then a generic heuristic (items with an id, an author, a time and a
content element). Pages whose comments only a script widget loads (Disqus, Facebook,
Viafoura, OpenWeb, ...) yield no comments and name the widget in ``comments_source``;
an empty comment-marked block that some other script fills is ``"script"`` (``SCRIPTED``).

One walk over each comment item's own elements (nested replies pruned) finds its author,
time and content; everything is pure over one parsed tree.

Modules, by sub-task: ``find`` (where the thread is: comment-marked elements, items, the
section the body leaves out), ``items`` (threaded records: parents, own elements, ids,
``Comment``), ``fields`` (author, date and content of one item), ``text`` (rendering an
element's text), ``jsonld`` (JSON-LD comments), ``count`` (the stated count), ``pages``
(the thread's other pages), ``widget_detection`` (script widgets), ``thread`` (one page's
thread put together, and the pages merged).
"""

from __future__ import annotations

from .find import comment_section_elements
from .thread import CommentThread, comment_elements, extract_comments, merge_comment_pages
from .widget_detection import SCRIPTED, WIDGET_NAMES

__all__ = [
    "SCRIPTED",
    "WIDGET_NAMES",
    "CommentThread",
    "comment_elements",
    "comment_section_elements",
    "extract_comments",
    "merge_comment_pages",
]
