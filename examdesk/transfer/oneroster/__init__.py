"""OneRoster 1.1 and 1.2 CSV packages: a school information system's roster in, a centre's register out."""
