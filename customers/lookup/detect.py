"""One search box: what a pasted or typed text says, as identifiers the lookup can send.

An agent pastes whatever the caller or the ticket gave: `+91 99990 00001`, `Mobile:
919999000001, a@b.c`, a card number, an external id, several of them, often with a name or a
few words around them. `detect(text)` finds each one, says its type and normalises it;
`read(text)` also returns the words it ignored. The rules, in the order they apply:

0. Cleaning (`clean`). Invisible format characters a paste brings along (Unicode category Cf:
   direction marks and isolates, zero-width spaces and joiners, a byte order mark) are dropped;
   digits of any script (full-width, Arabic-Indic) are read as the ASCII digits 0-9 they stand
   for, full-width forms (plus sign, at sign, letters) as ASCII, and other spaces (no-break,
   thin) as ordinary spaces. Only ASCII digits count as digits after that.
1. Separators. Commas, semicolons and new lines always separate items. Spaces separate items
   too, except inside a phone number (`+91 99990 00001` is one mobile).
2. A label wins. `mobile:`, `phone:`, `email:`, `card:`, `card number:`, `external id:`,
   `ext:`, `wechat:` (any case; `:`, `=`, `#`, `.`, a spaced dash or a space after it, and an
   `is` or `was` after that: `mobile is +91 ...`, `Email - a@b.c`) gives its type to the value
   right after it, when that value can be one: a mobile or a card number needs a digit, an email
   an `@` (`mobile: unknown` does not make `unknown` a mobile). This is how an agent corrects a
   guess, by typing or (with JavaScript) from the chip's menu, which writes the label into the
   box.
3. Without a label, in order:
   - a value with an `@` is an email;
   - digits written like a phone number (an optional `+` or `00`, spaces, dashes, dots,
     brackets) with 8 to 15 digits is a mobile (one written without its country code, `0...`,
     is refused with a message saying so, not searched as something else). A numeric
     external id or a numeric card number of that length reads as a mobile too: the mobile
     is what callers give most and the org's primary identifier, so it wins, and the agent
     changes the chip (or types `card:` / `external id:`) when it was not one;
   - digits alone, 16 to 19 of them (a payment-style card), or letters and digits together
     with at least 8 characters and no dash or underscore (`SBXC00010001`) are a card number;
   - anything else (`SBX-0001`, `iyer-household`, a code of fewer than 8 digits) is an
     external id.
3b. The org's numbers. With DEFAULT_COUNTRY_CODE set (91 in the sandbox), a mobile written
   without `+` or `00` as a national number (`99990 00003`, or `099990 00003` with the trunk
   0) is completed with it (`919999000003`) and its chip says so (`+91 99990 00003`). A mobile
   whose national part cannot have the country's length (NATIONAL_DIGITS; `0999 1234` in India)
   is refused with the reason, not searched.
4. Words around the identifiers. When the text holds a mobile, an email or a card number, an
   unlabelled word with no digit and no `@` (a name, `Hi`, `(home)`) and an extension written
   `x12` right after a mobile are ignored rather than read as external ids: the chips show them
   as "Ignored", and the agent who meant one as an external id chooses that type on its chip
   or writes `external id:` before it. Text of words only (`iyer-household`) is still an
   external id. Letters alone (`Aarav Sharma`, `priya`) are a name, which cannot be searched:
   ignored, and the box says to ask for the org's primary identifier.
5. Duplicates. The same type and value twice counts once. Two different values of one type
   cannot go in one lookup (the API takes each type once): `identifier_problems` says so, and
   the agent removes one.

The server decides with these rules whether or not the browser ran JavaScript; the search
page's script (static/customers/lookup.js) follows the same rules only to preview the chips.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.capillary.query import (
    CARD_NUMBER,
    EMAIL,
    EXTERNAL_ID,
    IDENTIFIER_BY_FOLDED,
    IDENTIFIER_NAMES,
    MOBILE,
    WECHAT,
    normalise_identifier,
)
from customers.pages.glossary import identifier_label, identifier_word

# The longest text the box takes (about a ticket's worth of pasted lines).
MAX_TEXT = 2000

# What an agent may write before a value to say its type, folded, without spaces or dashes.
LABELS: dict[str, str] = {
    "mobile": MOBILE,
    "mob": MOBILE,
    "phone": MOBILE,
    "tel": MOBILE,
    "cell": MOBILE,
    "mobileno": MOBILE,
    "mobilenumber": MOBILE,
    "phoneno": MOBILE,
    "phonenumber": MOBILE,
    "email": EMAIL,
    "mail": EMAIL,
    "emailid": EMAIL,
    "emailaddress": EMAIL,
    "card": CARD_NUMBER,
    "cardno": CARD_NUMBER,
    "cardnumber": CARD_NUMBER,
    "externalid": EXTERNAL_ID,
    "extid": EXTERNAL_ID,
    "ext": EXTERNAL_ID,
    "external": EXTERNAL_ID,
    "wechat": WECHAT,
    "wechatid": WECHAT,
}
# The label the box writes for a type an agent chose (lookup.js writes the same).
LABEL_FOR: dict[str, str] = {
    MOBILE: "mobile",
    EMAIL: "email",
    CARD_NUMBER: "card",
    EXTERNAL_ID: "external id",
    WECHAT: "wechat",
}
_LABEL = re.compile(
    r"(?<![\w@.+-])(mobile[ _-]?(?:no|number)?|mob|phone[ _-]?(?:no|number)?|tel|cell"
    r"|e-?mail[ _-]?(?:id|address)?|mail|card[ _-]?(?:no|number)?|external[ _-]?id|ext[ _-]?id"
    r"|ext|external|wechat[ _-]?id|wechat)"
    r"(?:\s*[.:=#]+\s*|\s+[-\u2013\u2014]+\s+|\s+)(?:(?:is|was)\b\s*[.:=#]*\s*)?(?=\S)",
    re.IGNORECASE,
)
# Commas and semicolons as any keyboard types them: Latin, Arabic (U+060C, U+061B), full-width
# and the ideographic comma (Chinese and Japanese input), and new lines (lookup.js splits alike).
_SEPARATOR = re.compile(r"[,;\u060c\u061b\uff0c\uff1b\u3001\n\r]+")
# A phone number as people write it: digits with spaces, dashes, dots or brackets between.
_PHONE = re.compile(r"(?:\+|\b00)?\(?(?:\+|\b00)?[0-9][0-9().\- ]*[0-9]\)?")
_PHONE_ONLY = re.compile(r"\(?\+?[0-9().\- ]+")
_WORD = re.compile(r"\S+")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_DIGIT = re.compile(r"[0-9]")
# An extension written after a phone number (`+91 99990 00001 x12`).
_EXTENSION = re.compile(r"x[0-9]{1,6}", re.IGNORECASE)
# What a word must hold to take a label's type (rule 2).
_FITS: dict[str, re.Pattern[str]] = {MOBILE: _DIGIT, CARD_NUMBER: _DIGIT, EMAIL: re.compile("@")}
# How many digits a mobile has after the country code, for the codes of the orgs most often
# met; a code not listed completes national numbers written with the trunk 0 only.
NATIONAL_DIGITS: dict[str, tuple[int, ...]] = {
    "1": (10,),
    "20": (10,),
    "27": (9,),
    "33": (9,),
    "44": (10,),
    "49": (10, 11),
    "52": (10,),
    "55": (10, 11),
    "60": (9, 10),
    "61": (9,),
    "62": (9, 10, 11, 12),
    "63": (10,),
    "65": (8,),
    "66": (9,),
    "81": (10,),
    "84": (9,),
    "86": (11,),
    "91": (10,),
    "92": (10,),
    "94": (9,),
    "234": (10,),
    "852": (8,),
    "880": (10,),
    "965": (8,),
    "966": (9,),
    "968": (8,),
    "971": (9,),
    "973": (8,),
    "974": (8,),
    "977": (10,),
}
# Punctuation a paste brings around a value: quotes, brackets, a trailing full stop.
_TRIM = "\"'\u201c\u201d\u2018\u2019<>[](){}.:"


@dataclass(frozen=True)
class Item:
    """One identifier found in the text: its type, its value as sent, and where it was."""

    kind: str
    value: str
    raw: str
    start: int
    end: int
    labelled: bool = False
    # A word around the identifiers, not searched (rule 4).
    ignored: bool = False
    # A national mobile completed with the org's country code (rule 3b): the code.
    completed: str = ""
    # Why this value cannot be searched as its type ("" when it can).
    problem: str = ""

    @property
    def type_name(self) -> str:
        return "Ignored" if self.ignored else identifier_label(self.kind)

    @property
    def shown(self) -> str:
        """The value as its chip shows it: a completed mobile as `+91 99990 00003`."""
        if self.completed:
            national = re.sub(r"^[\s(]*0*", "", self.raw).strip()
            return f"+{self.completed} {national}"
        return self.value

    @property
    def name_word(self) -> bool:
        """Letters alone, read as an external id: a name or a word around the identifiers."""
        return not self.labelled and self.kind == EXTERNAL_ID and _letters_only(self.raw)


def _letters_only(text: str) -> bool:
    """Letters (and their combining marks) of any script, nothing else: a name's word."""
    return bool(text) and all(unicodedata.category(char)[0] in "LM" for char in text)


def country_code() -> str:
    """The org's default country code (DEFAULT_COUNTRY_CODE), digits only; "" for none."""
    return re.sub(r"\D", "", str(getattr(settings, "DEFAULT_COUNTRY_CODE", "") or ""))


def numbering() -> dict[str, object]:
    """What the search page's script needs to complete national numbers as the server does."""
    code = country_code()
    return {"countryCode": code, "nationalDigits": list(NATIONAL_DIGITS.get(code, ()))}


def completed_mobile(item: Item) -> Item:
    """`item`, a mobile, completed with the org's country code when written as a national
    number, or with the reason it cannot be a mobile there (rule 3b)."""
    code = country_code()
    if item.kind != MOBILE or not code or not item.value.isdigit():
        return item
    international = re.match(r"^[\s(]*(\+|00)", item.raw) is not None
    lengths = NATIONAL_DIGITS.get(code, ())
    digits = item.value
    if international:
        national = digits[len(code) :] if digits.startswith(code) else ""
        if national and lengths and len(national) not in lengths:
            return replace(item, problem=_wrong_length(code, lengths, len(national)))
        return item
    if digits.startswith("0"):
        national = digits.lstrip("0")
    elif len(digits) in lengths and not (
        digits.startswith(code) and len(digits) - len(code) in lengths
    ):
        national = digits
    else:
        return item
    if lengths and len(national) not in lengths:
        return replace(item, problem=_wrong_length(code, lengths, len(national)))
    return replace(item, value=code + national, completed=code)


def _wrong_length(code: str, lengths: tuple[int, ...], found: int) -> str:
    wanted = str(lengths[0])
    for length in lengths[1:]:
        # Translators: one more allowed number of digits in a list of them: "9 or 10".
        wanted = _("%(some)s or %(another)s") % {"some": wanted, "another": length}
    # Translators: %(code)s is a country calling code (91); %(wanted)s the numbers of digits a
    # mobile of that country has ("10", or "10 or 11"); %(found)s the digits this one has.
    return ngettext(
        "A number read as a mobile cannot be one here: a +%(code)s mobile has %(wanted)s digit "
        "after the country code, and this one has %(found)s. Check the number with the caller.",
        "A number read as a mobile cannot be one here: a +%(code)s mobile has %(wanted)s digits "
        "after the country code, and this one has %(found)s. Check the number with the caller.",
        lengths[-1],
    ) % {"code": code, "wanted": wanted, "found": found}


def detect(text: str) -> list[Item]:
    """Every identifier in `text`, in the order written, duplicates once (see module doc)."""
    return [item for item in read(text) if not item.ignored]


def read(text: str) -> list[Item]:
    """Every value in `text` as the chips show it: the identifiers and the ignored words.
    Positions are in `clean(text)`."""
    text = clean(capped(text or ""))
    items: list[Item] = []
    for start, end in _chunks(text):
        items.extend(_chunk_items(text, start, end))
    unique: list[Item] = []
    seen: set[tuple[str, str]] = set()
    for item in map(completed_mobile, items):
        key = (item.kind, item.value.casefold())
        if key not in seen:
            seen.add(key)
            unique.append(item)
    if not any(item.kind in (MOBILE, EMAIL, CARD_NUMBER) for item in unique):
        # Letters alone are a name, which cannot be searched (rule 3).
        return [replace(item, ignored=True) if item.name_word else item for item in unique]
    return [
        replace(item, ignored=True)
        if _ignored(item, unique[index - 1] if index else None)
        else item
        for index, item in enumerate(unique)
    ]


def _ignored(item: Item, previous: Item | None) -> bool:
    """Whether `item` is a word around the identifiers (rule 4), in a text that holds one."""
    if item.labelled or item.kind != EXTERNAL_ID:
        return False
    if _DIGIT.search(item.raw) is None and "@" not in item.raw:
        return True
    after_mobile = previous is not None and previous.kind == MOBILE
    return after_mobile and _EXTENSION.fullmatch(item.raw) is not None


def clean(text: str) -> str:
    """The text without invisible format characters, digits of any script as ASCII and any
    space as a space (rule 0)."""
    if text.isascii():
        return text
    kept = []
    for char in text:
        if char.isascii():
            kept.append(char)
        elif unicodedata.category(char) == "Cf":
            continue
        elif unicodedata.category(char) == "Zs":
            kept.append(" ")
        elif "\uff01" <= char <= "\uff5e":
            # Full-width forms (plus sign, at sign, letters) as their ASCII characters.
            kept.append(chr(ord(char) - 0xFEE0))
        else:
            digit = unicodedata.decimal(char, None)
            kept.append(char if digit is None else str(digit))
    return "".join(kept)


def capped(text: str) -> str:
    """The text up to MAX_TEXT characters, cut between values rather than inside one."""
    if len(text) <= MAX_TEXT:
        return text
    cut = max(text.rfind(mark, 0, MAX_TEXT + 1) for mark in (" ", "\n", ",", ";"))
    return text[: cut if cut > 0 else MAX_TEXT]


def identifier_problems(items: list[Item], given: Collection[str] = ()) -> list[str]:
    """Why these items cannot go in one lookup ([] when they can). `given`: the identifier
    types the search gives besides the box (the rows under Advanced). The messages leave the
    values out: the chips show them, and the messages are kept in the audit trail."""
    problems = list(dict.fromkeys(item.problem for item in items if item.problem))
    others = {IDENTIFIER_BY_FOLDED.get(name.strip().casefold(), "") for name in given}
    for kind in IDENTIFIER_NAMES:
        count = sum(1 for item in items if item.kind == kind and not item.ignored)
        name = identifier_word(kind)
        if count > 1:
            problems.append(
                # Translators: %(name)s is an identifier type: mobile, email, card number...
                ngettext(
                    "The search box has %(count)s value read as %(name)s: one lookup takes one "
                    "of each type. Remove the others, or write the right type before a value "
                    "(for example “card: ...”).",
                    "The search box has %(count)s values read as %(name)s: one lookup takes one "
                    "of each type. Remove the others, or write the right type before a value "
                    "(for example “card: ...”).",
                    count,
                )
                % {"count": count, "name": name}
            )
        elif count and kind in others:
            problems.append(
                # Translators: %(name)s is an identifier type: mobile, email, card number...
                _(
                    "The search box has a value read as %(name)s, and the identifier rows under "
                    "Advanced give one too: one lookup takes one of each type. Remove one of "
                    "them."
                )
                % {"name": name}
            )
    return problems


def relabel(text: str, item: Item, kind: str) -> str:
    """The text with `item` written as the type `kind` (`card: 919999000001`); `item` comes
    from reading this text."""
    text = clean(capped(text))
    label = LABEL_FOR[kind]
    return f"{text[: item.start]}{label}: {item.raw}{text[item.end :]}"


def _chunks(text: str) -> list[tuple[int, int]]:
    """Spans between separators (commas, semicolons, new lines)."""
    spans = []
    position = 0
    for match in _SEPARATOR.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return [(start, end) for start, end in spans if text[start:end].strip()]


def _chunk_items(text: str, start: int, end: int) -> list[Item]:
    """The items of one chunk: each label gives its type to the first value after it."""
    items: list[Item] = []
    position = start
    label_kind = ""
    label_start = start
    for match in _LABEL.finditer(text, start, end):
        if match.start() > position:
            items.extend(_values(text, position, match.start(), label_kind, label_start))
        label_kind = LABELS[re.sub(r"[\s_-]", "", match[1]).lower()]
        label_start = match.start()
        position = match.end()
    items.extend(_values(text, position, end, label_kind, label_start))
    return items


def _values(text: str, start: int, end: int, label_kind: str, label_start: int) -> list[Item]:
    """The values between `start` and `end`; the first takes `label_kind` when there is one."""
    items: list[Item] = []
    position = start
    while position < end:
        word = _WORD.search(text, position, end)
        if word is None:
            break
        span = _phone_span(text, word.start(), end) or (word.start(), word.end())
        raw_start, raw_end = _trimmed(text, *span)
        position = span[1]
        if raw_start >= raw_end:
            continue
        raw = text[raw_start:raw_end]
        if _label_word(raw) and text[span[0] : span[1]].rstrip().endswith((":", "=")):
            # A label with nothing after it (`mobile:` at the end): no value.
            continue
        fits = _FITS.get(label_kind)
        labelled = bool(label_kind) and not items and (fits is None or bool(fits.search(raw)))
        kind = label_kind if labelled else guess(raw)
        item_start = label_start if labelled else raw_start
        items.append(Item(kind, _normalised(kind, raw), raw, item_start, raw_end, labelled))
    return items


def _phone_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The digits from `start` written like one phone or card number, spaces and all: the
    whole run when it has 16 to 19 digits (a card written in groups), else its longest start
    with 8 to 15 digits. None when there is no such run or it runs into letters."""
    run = _PHONE.match(text, start, end)
    if run is None:
        return None
    groups = list(_DIGITS.finditer(text, run.start(), run.end()))
    total = sum(len(group[0]) for group in groups)
    run_end = run.end()
    if run_end < end and not text[run_end].isspace() and text[run_end] not in ")":
        return None
    if 16 <= total <= 19:
        return run.start(), run_end
    count = 0
    best = None
    for group in groups:
        count += len(group[0])
        if count > 15:
            break
        if count >= 8:
            best = group.end()
    if best is None:
        return None
    if best < run_end and text[best] == ")":
        best += 1
    return run.start(), best


def _label_word(raw: str) -> bool:
    return re.sub(r"[\s_-]", "", raw).lower() in LABELS


def _normalised(kind: str, raw: str) -> str:
    if kind == CARD_NUMBER:
        digits = re.sub(r"[\s-]", "", raw)
        if _DIGITS.fullmatch(digits):
            return digits
    return normalise_identifier(kind, raw)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in _TRIM or text[start].isspace()):
        # An opening bracket belongs to a phone number like (91) 99990-00001.
        if text[start] == "(" and ")" in text[start:end] and _DIGIT.search(text, start, end):
            break
        start += 1
    while end > start and (text[end - 1] in _TRIM or text[end - 1].isspace()):
        # A closing bracket belongs to a phone number like (91) 99990-00001 only at its start.
        if text[end - 1] == ")" and "(" in text[start:end] and _DIGIT.search(text, start, end):
            break
        end -= 1
    return start, end


def guess(raw: str) -> str:
    """The type of one unlabelled value (rule 3 of the module doc)."""
    value = raw.strip()
    if "@" in value:
        return EMAIL
    if _PHONE_ONLY.fullmatch(value):
        mobile = normalise_identifier(MOBILE, value)
        digits = _DIGITS.fullmatch(mobile) is not None
        if digits and 8 <= len(mobile) <= 15:
            return MOBILE
        if digits and 16 <= len(mobile) <= 19 and "+" not in value:
            return CARD_NUMBER
        return EXTERNAL_ID
    if (
        _ALNUM.fullmatch(value)
        and len(value) >= 8
        and _DIGIT.search(value) is not None
        and any(ch.isalpha() for ch in value)
    ):
        return CARD_NUMBER
    return EXTERNAL_ID
