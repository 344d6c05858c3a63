from examdesk.core.text import fold


def test_fold_ignores_case_accents_and_spacing_but_keeps_scripts():
    assert fold("  Łukasiewicz-ØRSTED ") == "lukasiewicz-orsted"
    assert fold("Zoë  Müller") == "zoe muller"
    assert fold("Straße") == "strasse"
    assert fold("Παπαδόπουλος") == fold("ΠΑΠΑΔΟΠΟΥΛΟΣ") == "παπαδοπουλοσ"
    assert fold("Ковальчук Ёлка") == "ковальчук елка"
