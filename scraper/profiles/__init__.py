"""Example site profiles shipped with newsarchive (TOML; see ``docs/profiles.md``).

``wordpress-classic.toml`` (classic themes such as Twenty Twenty-One),
``wordpress-block.toml`` (block themes such as Twenty Twenty-Two) and
``tagdiv-newspaper.toml`` (tagDiv's Newspaper theme, the markup of the built-in demo site).
Copy one into your ``ARCHIVE_PROFILES`` folder and set its ``domains``.
"""
