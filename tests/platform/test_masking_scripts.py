"""Masks in every script: a mask keeps or stars whole characters as a reader sees them
(grapheme clusters), never part of one. Cut inside a cluster, a Devanagari name left a vowel
sign or a virama stranded on a dotted circle (रवि masked as `रव*` + `ि`)."""

import unicodedata

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from customers.masking import mask_email, mask_identifier, mask_name

# A mark (vowel sign, virama, accent) or a joiner must follow the letter it belongs to.
JOINING = {"Mn", "Mc", "Me"}


def stranded(masked: str) -> bool:
    """A combining mark or joiner with no letter of its own before it (after a star, a space,
    or at the start)."""
    for before, char in zip(" " + masked, masked, strict=False):
        attached = unicodedata.category(char) in JOINING or char in "\u200c\u200d"
        if attached and (before in "* " or before.isspace()):
            return True
    return False


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        # Devanagari: वि, र्मा and the conjunct क्ष are one character each to a reader.
        ("रवि शर्मा", "र* श*"),
        ("क्षत्रिय", "क्ष**"),
        ("प्रिया", "प्रि*"),
        # Arabic: letters, and letters with a harakat (a combining mark) on them.
        ("فاطمة السيد", "ف**** ا****"),  # noqa: RUF001 (Arabic alef, not a Latin l)
        ("مُحَمَّد", "مُ***"),
        # Combining accents, decomposed (NFD) or not: the accent stays on its letter.
        ("Zoe\u0308 Ibáñez", "Z** I*****"),
        ("E\u0301lodie", "É*****"),
        # An emoji family (ZWJ sequence) and a flag are one character each.
        ("Ana 👨\u200d👩\u200d👧\u200d👦", "A** *"),
        ("👩🏽\u200d💻 Dev", "* D**"),
        # CJK: one character is a syllable or a whole family name, so a CJK word is all stars
        # (a name written without a space is one word).
        ("李 伟", "* *"),
        ("李伟", "**"),
        ("欧阳小明", "****"),
        ("山田太郎", "****"),
        ("김민준", "***"),
        # Hyphens and apostrophes are kept between masked words.
        ("Mary-Jane O'Neil", "M***-J*** *'N***"),
    ],
)
def test_a_name_is_masked_by_whole_characters(name, masked):
    assert mask_name(name) == masked
    assert not stranded(mask_name(name))


def test_a_masked_hindi_name_has_no_stranded_vowel_sign_or_virama():
    """The issue's case: every kept character of a masked Hindi name is a whole cluster."""
    for name in ("रवि शर्मा", "क्षत्रिय", "श्री", "विक्रम सिंह", "ज्ञानेश्वरी"):
        masked = mask_name(name)
        assert not stranded(masked), masked
        for kept in regex.findall(r"[^*\s]+", masked):
            assert regex.fullmatch(r"\X", kept), (name, masked)


def test_other_masks_keep_whole_characters_too():
    """An email's first characters and an identifier's last four are whole clusters."""
    assert mask_email("प्रिया@उदाहरण.भारत") == "प्रि***@उ***.भारत"
    # Six clusters (a, b, -, क्ष, त्रि, य): the last three are kept, never half of one.
    assert mask_identifier("wechat", "ab-क्षत्रिय") == "***क्षत्रिय"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_no_mask_of_any_name_strands_a_mark(name):
    """Whatever the name, what the mask keeps are whole clusters and stars."""
    masked = mask_name(name)
    for kept in regex.findall(r"[^*\s\p{P}]+", masked):
        assert regex.fullmatch(r"\X", kept) or not kept.strip(), (name, masked)
