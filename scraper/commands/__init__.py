"""The project's Scrapy commands (``COMMANDS_MODULE``): ``crawl`` with the archive's exit
statuses."""
