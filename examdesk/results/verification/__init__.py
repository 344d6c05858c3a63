"""The public verification page (/verify/): what a university or employer reads off a statement."""
