"""The composition root: the one app that may import every other app (home page, admin site, demo data)."""
