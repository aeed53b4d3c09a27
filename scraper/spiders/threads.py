"""An article waiting for the other pages of its comment thread, and running a route's
output without a reactor (offline re-extraction, routing tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..extract import CommentThread
from ..extract.urls import canonicalize_url, host_of
from ..extract.widgets import WidgetRef
from ..items import Article


@dataclass
class ThreadState:
    """An article waiting for the other pages of its comment thread: the threads read so
    far, the pages still to read, the pages seen, the crawl plan's request state, and
    the page's comment widget."""

    article: Article
    threads: list[CommentThread]
    queue: list[str] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    origin: dict[str, Any] = field(default_factory=dict)
    widget: WidgetRef | None = None  # the page's comment widget, read after its HTML thread

    def enqueue(self, thread: CommentThread, hosts: set[str]) -> None:
        """The thread's other pages (on the crawl's ``hosts``) not seen yet."""
        for url in thread.page_urls:
            key = canonicalize_url(url)
            if key not in self.visited and host_of(url) in hosts:
                self.visited.add(key)
                self.queue.append(url)


def outputs(route: Iterable[Any] | AsyncIterator[Any] | None) -> Iterator[Any]:
    """What a callback yields, in order, whether it is a generator or an async generator
    that never waits (a spider outside a crawl has no departures to wait on); raises
    ``RuntimeError`` if it does wait."""
    if route is None:
        return
    if not hasattr(route, "__anext__"):
        yield from route  # type: ignore[misc]
        return
    while True:
        step = route.__anext__()
        try:
            step.send(None)
        except StopIteration as done:
            yield done.value
        except StopAsyncIteration:
            return
        else:
            step.close()
            raise RuntimeError("the route waited on the event loop outside a crawl")
