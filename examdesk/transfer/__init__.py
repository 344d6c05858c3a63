"""Moving candidates in and out of files: reading spreadsheets and CSV as people make them.

`reading`, `headers` and `dates` are a pure library (no database, no models): they turn the bytes of an
uploaded file into a table of cells, match its headings to fields and read its dates.
"""
