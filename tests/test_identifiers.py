"""ORCID iDs (ISO/IEC 7064 MOD 11-2 check character) and ROR ids."""

import pytest

from kyoten.identifiers import normalise_orcid, orcid_check_character, orcid_problem, ror_problem


@pytest.mark.parametrize(
    "orcid",
    # ORCID's own examples: Josiah Carberry, and iDs ending in each kind of check character
    ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"],
)
def test_valid_orcids(orcid):
    assert orcid_problem(orcid) is None
    assert orcid_check_character(orcid.replace("-", "")[:15]) == orcid[-1]


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("orcid.org/0000-0002-1694-233x", "0000-0002-1694-233X"),
        (" 0000000218250097 ", "0000-0002-1825-0097"),
    ],
)
def test_an_orcid_is_read_in_the_forms_people_paste(value, normal):
    assert normalise_orcid(value) == normal
    assert orcid_problem(value) is None


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("0000-0002-1825-0098", "check digit is wrong"),
        ("0000-0002-1825-009", "has the form 0000-0002-1825-0097"),
        ("0000-0002-1825-00971", "has the form 0000-0002-1825-0097"),
        ("orcid 12345", "has the form 0000-0002-1825-0097"),
        ("", "has the form 0000-0002-1825-0097"),
    ],
)
def test_a_wrong_orcid_says_what_is_wrong_in_both_languages(value, says):
    problem = orcid_problem(value)
    assert says in problem.en
    assert "ORCID iD" in problem.ja


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("057zh3y96", True),
        ("https://ror.org/057zh3y96", True),
        ("057ZH3Y96", True),
        ("157zh3y96", False),  # a ROR id starts with 0
        ("057zh3yu6", False),  # u is no Crockford base-32 letter
        ("057zh3y9", False),
    ],
)
def test_ror_ids(value, valid):
    assert (ror_problem(value) is None) is valid
