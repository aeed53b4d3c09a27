"""``python -m scraper.demosite``: serve the demo news site (see ``server.main``)."""

from scraper.demosite.server import main

main()
