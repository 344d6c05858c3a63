"""Ready-made vocabularies a board can load: the UK Department for Education's codes."""

from __future__ import annotations

# DfE main ethnicity codes (school census), in the census order.
DFE_ETHNICITY = [
    ("WBRI", "White – British"), ("WIRI", "White – Irish"), ("WIRT", "Traveller of Irish heritage"),
    ("WOTH", "Any other White background"), ("WROM", "Gypsy / Roma"),
    ("MWBC", "White and Black Caribbean"), ("MWBA", "White and Black African"), ("MWAS", "White and Asian"),
    ("MOTH", "Any other mixed background"), ("AIND", "Indian"), ("APKN", "Pakistani"), ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"), ("BCRB", "Black Caribbean"), ("BAFR", "Black – African"),
    ("BOTH", "Any other Black background"), ("CHNE", "Chinese"), ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"), ("NOBT", "Information not yet obtained"),
]  # fmt: skip

# DfE SEN provision codes.
DFE_SEN = [("N", "No special educational need"), ("K", "SEN support"), ("E", "Education, health and care plan")]
