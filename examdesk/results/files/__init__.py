"""The board's results files: upload, preview (nothing written), commit, and their jobs."""
