"""The one glossary of point and currency states (customers.pages.glossary)."""

import pytest

from customers.pages import glossary


def test_each_state_has_one_distinct_label_a_meaning_and_its_capillary_fields():
    """No two states share a label; each says what it means and which field it is read from."""
    labels = [term.label for term in glossary.TERMS.values()]

    assert len(set(map(str.casefold, labels))) == len(labels)
    for term in glossary.TERMS.values():
        assert term.meaning.endswith(".")
        assert term.fields, term.key
        assert set(term.fields) <= {
            glossary.POINTS,
            glossary.CURRENCY,
            glossary.GROUP,
            glossary.MEMBER,
        }


def test_the_reference_definitions_of_alternate_currencies():
    """earned is available to redeem, delayedEarned pending, totalAvailable the two together."""
    assert glossary.term("available").field(glossary.CURRENCY) == "earned"
    assert glossary.term("pending").field(glossary.CURRENCY) == "delayedEarned"
    assert glossary.term("available_and_pending").field(glossary.CURRENCY) == "totalAvailable"
    assert glossary.term("pending").field(glossary.GROUP) == "promisedPoints"


def test_hints_name_the_field_of_one_block_or_of_all():
    """For those who know the API: one block's field, or every block's."""
    available = glossary.term("available")

    assert available.hint(glossary.POINTS) == "Capillary field: loyaltyPoints"
    assert available.hint() == (
        "Capillary fields: loyaltyPoints (points), earned (alternate currencies), "
        "loyaltyPoints (group programs)"
    )
    assert glossary.term("adjusted").hint(glossary.CURRENCY) == ""


def test_sentences_use_the_label_in_lower_case_and_unknown_states_are_refused():
    """ "available to redeem" inside a sentence; a word outside the glossary is an error."""
    assert glossary.word("available") == "available to redeem"
    with pytest.raises(KeyError):
        glossary.term("spendable")
