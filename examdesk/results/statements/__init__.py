"""Statements of results: their data, the stored PDFs, bulk print files, e-mails to candidates, file names."""
