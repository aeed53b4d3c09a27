"""``newsarchive extract``: one page extracted, each field with its source; nothing is
archived."""

from __future__ import annotations

import json

import click

from archive.cli.output import emit_rows, short


@click.command()
@click.argument("page")
@click.option(
    "--url",
    "page_url",
    metavar="URL",
    help="The page's address, for relative links (a file's default: its file:// URL; "
    "a fetched page's: where it was fetched from).",
)
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(dir_okay=False),
    help="A site profile (TOML) to apply; its fields win over generic extraction.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the article and sources as JSON.")
def extract(page: str, page_url: str | None, profile_path: str | None, as_json: bool) -> None:
    """Extract one page (an http(s) URL, fetched, or an HTML file) and print every field
    with the source that filled it: jsonld, microdata, opengraph, meta, cms, heuristic,
    profile. Nothing is archived; use it to check a site and write its profile.

    Example:

    \b
        newsarchive extract https://news.example.org/2024/05/some-article/
        newsarchive extract saved.html --url https://news.example.org/2024/05/a/ \\
            --profile mysite.toml
    """
    from archive import extract_page as xp  # lxml and the extractors load for this command only

    try:
        result = xp.extract_page(page, url=page_url, profile_path=profile_path)
    except xp.PageError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(xp.as_json(result), ensure_ascii=False, indent=2))
        return
    article = result.article
    sources = xp.field_sources(article)
    rows = [(name, source or "", short(getattr(article, name))) for name, source in sources.items()]
    profile = f"{result.profile.name} ({result.profile.path})" if result.profile else "none"
    click.echo(f"URL:     {result.url}\nProfile: {profile}\n")
    emit_rows(["field", "source", "value"], rows, "table")
    if article.comments:
        click.echo(f"\nComments ({len(article.comments)}, source {sources['comments']})")
        for c in article.comments:
            pad = "  " * c.depth
            when = c.published_at or c.published_at_raw or "no date"
            parent = f" ↳{c.parent_id}" if c.parent_id else ""
            click.echo(
                f"{pad}[{c.comment_id}{parent}] {c.author or 'anonymous'} — {when}: "
                f"{short(c.text, 80)}"
            )
