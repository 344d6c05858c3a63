"""The board's products (online assessments) at /catalogue/products/: the assessment file format (assessments),
reads (selectors), writes (services), and the pages (views, forms, urls). Qualifications and series are the rest of
the catalogue, one level up."""
