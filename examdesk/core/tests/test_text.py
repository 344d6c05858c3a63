import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from examdesk.core.text import _SPECIAL, fold


def test_fold_ignores_case_accents_and_spacing_but_keeps_scripts():
    assert fold("  Łukasiewicz-ØRSTED ") == "lukasiewicz-orsted"
    assert fold("Zoë  Müller") == "zoe muller"
    assert fold("Straße") == "strasse"
    assert fold("Παπαδόπουλος") == fold("ΠΑΠΑΔΟΠΟΥΛΟΣ") == "παπαδοπουλοσ"
    assert fold("Ковальчук Ёлка") == "ковальчук елка"


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_folds_as_the_full_rule_does(text):
    # The full rule, written out: what fold() does for any text.
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    full = " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
    assert fold(text) == full
