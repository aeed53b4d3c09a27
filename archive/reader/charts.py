"""Charts of the archive drawn as SVG: articles and comments per day, articles per
section, and crawl runs over time. Each chart is a list of (label, value) bars and an
SVG drawing of them; the drawing carries each bar's label and value in a ``<title>`` so
the figures can be read (and tested) from the page."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

WIDTH, HEIGHT, MARGIN = 900, 220, 36
MAX_BARS = 120  # the most recent days (or the largest sections) drawn


@dataclass
class Chart:
    key: str
    title: str
    bars: list[tuple[str, int]]
    horizontal: bool = False

    @property
    def total(self) -> int:
        return sum(v for _, v in self.bars)

    def svg(self) -> Markup:
        return horizontal_bars(self) if self.horizontal else vertical_bars(self)


def vertical_bars(chart: Chart) -> Markup:
    bars = chart.bars
    if not bars:
        return Markup("")
    top = max(v for _, v in bars) or 1
    step = (WIDTH - 2 * MARGIN) / len(bars)
    plot = HEIGHT - 2 * MARGIN
    parts = [
        f'<svg class="newsarchive-chart" data-chart="{chart.key}" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{html.escape(chart.title)}</title>",
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" stroke="#888"/>',
        f'<text x="{MARGIN - 4}" y="{MARGIN + 4}" text-anchor="end" font-size="11">{top}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        h = plot * value / top
        x = MARGIN + i * step
        parts.append(
            f'<rect class="bar" x="{x + step * 0.1:.1f}" y="{HEIGHT - MARGIN - h:.1f}" '
            f'width="{max(step * 0.8, 1):.1f}" height="{h:.1f}" fill="#3973ac">'
            f"<title>{html.escape(label)}: {value}</title></rect>"
        )
    for i in sorted({0, len(bars) // 2, len(bars) - 1}):
        x = MARGIN + (i + 0.5) * step
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - MARGIN + 16}" text-anchor="middle" '
            f'font-size="11">{html.escape(bars[i][0])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # every text is escaped


def horizontal_bars(chart: Chart) -> Markup:
    bars = chart.bars
    if not bars:
        return Markup("")
    top = max(v for _, v in bars) or 1
    row, label_width = 20, 180
    height = row * len(bars) + 10
    span = WIDTH - label_width - 60
    parts = [
        f'<svg class="newsarchive-chart" data-chart="{chart.key}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{html.escape(chart.title)}</title>",
    ]
    for i, (label, value) in enumerate(bars):
        y = 5 + i * row
        w = span * value / top
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{html.escape(label[:28])}</text>"
            f'<rect class="bar" x="{label_width}" y="{y + 2}" width="{max(w, 1):.1f}" '
            f'height="{row - 5}" fill="#3973ac"><title>{html.escape(label)}: {value}</title></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + 14}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # every text is escaped


def every_day(bars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Per-day bars with the days between them that have none drawn as 0 (the last
    :data:`MAX_BARS` days); labels that are not dates are left as they are."""
    try:
        days = [date.fromisoformat(label) for label, _ in bars]
    except ValueError:
        return bars
    if not days:
        return bars
    counts = dict(zip(days, (v for _, v in bars), strict=True))
    first = max(days[0], days[-1] - timedelta(days=MAX_BARS - 1))
    span = (days[-1] - first).days + 1
    return [
        ((first + timedelta(n)).isoformat(), counts.get(first + timedelta(n), 0))
        for n in range(span)
    ]


async def archive_charts(db: Any) -> list[Chart]:
    """The charts for one archive (a Datasette ``Database``)."""

    async def bars(sql: str) -> list[tuple[str, int]]:
        return [(str(r[0]), int(r[1])) for r in (await db.execute(sql)).rows]

    per_day = (
        "select day, n from (select substr({col}, 1, 10) as day, count(*) as n from {table} "
        "where {col} is not null and {col} != '' group by day order by day desc limit "
        f"{MAX_BARS}) order by day"
    )
    return [
        Chart(
            "articles-per-day",
            "Articles per day (published)",
            every_day(await bars(per_day.format(col="published_at", table="articles"))),
        ),
        Chart(
            "comments-per-day",
            "Comments per day (posted)",
            every_day(await bars(per_day.format(col="published_at", table="comments"))),
        ),
        Chart(
            "articles-per-section",
            "Articles per section",
            await bars(
                "select coalesce(nullif(section, ''), '(none)') as s, count(*) as n "
                "from articles group by s order by n desc, s limit 25"
            ),
            horizontal=True,
        ),
        Chart(
            "crawl-runs",
            "Crawl runs: articles new or updated per run",
            await bars(
                "select started_at, n from (select id, started_at, "
                "articles_new + articles_updated as n from crawls "
                f"order by id desc limit {MAX_BARS}) order by id"
            ),
        ),
    ]
