"""The board's products (online assessments) at /catalogue/products/: views, forms and urls of that sub-domain.
Their reads and writes are in catalogue's selectors and services (`product_*`, `assessment*`), beside the
qualifications'."""
