"""A centre's audit-log pages and their CSV export job.

The audit app below records events and knows nothing of centres; reading a centre's part of the log needs
the centre's capabilities and staff, so the pages live here, above both.
"""
