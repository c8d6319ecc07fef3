"""Every masking rule of the app, in one place.

Pages, the copy-summary text, the logs and the audit trail all mask through these functions, so
a rule changes here and nowhere else. Every function takes whatever the backend sent (a string,
a number, None), never raises, and returns a string. A value Capillary already masked (`*****`,
when the org has PII masking on) comes back unchanged: it is not data, and showing it as
Capillary sent it keeps "masked by Capillary" distinct from "masked by us".
"""

import hashlib
import hmac
import logging
import re
import unicodedata
from urllib.parse import unquote

import regex
from django.conf import settings

from customers.capillary.records import is_masked as is_masked_by_capillary
from customers.capillary.records.profile import CJK_LETTER

STAR = "*"
# A long value must not become a long mask: the length of the stars is capped so a mask never
# grows with its input (and tells little about the length of the original).
MAX_STARS = 12
# Characters people type inside phone numbers that carry no information.
PHONE_PUNCTUATION = re.compile(r"[\s+\-().]")
# What a reader sees as one character: a grapheme cluster (`\X`: a letter with its vowel signs,
# virama and the consonant it joins, accents, an emoji with its ZWJ sequence and modifiers). A
# mask keeps or stars whole clusters; cut inside one, a Devanagari name would leave a vowel sign
# stranded on a dotted circle (रवि as र + ि). Python's re has no \X: the regex package does.
GRAPHEME = regex.compile(r"\X")
# A word of a name: a run of clusters that are neither spaces nor punctuation (hyphens and
# apostrophes stay as they are, between masked words: Mary-Jane O'Neil, M***-J*** *'N***).
WORD = regex.compile(r"(?:(?![\s\p{P}])\X)+")


def graphemes(text: str) -> list[str]:
    """`text` as the characters a reader sees (grapheme clusters)."""
    return GRAPHEME.findall(text)


def plain_text(value: object) -> str:
    """The value as NFC text without control characters (NUL, newlines...); None is empty."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():
        # No control or format character (category C) in it: the usual case, without a
        # per-character pass (every log line and audit field goes through here).
        return text
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


# JSON's escapes of characters outside ASCII (json.dumps writes U+2011 as `\u2011`).
JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def readable(value: object) -> str:
    """The value as a person reads it: JSON's \\u escapes decoded, then Unicode's compatibility
    normalisation (NFKC: full-width at signs and digits, superscripts become the plain
    characters they look like), without control or format characters. What every rule that
    looks for an identifier in text reads, so no other form of a digit or an `@` slips past."""
    text = plain_text(value)
    if "\\u" in text:
        text = JSON_ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)
    return plain_text(unicodedata.normalize("NFKC", text))


def _stars(count: int) -> str:
    return STAR * max(1, min(count, MAX_STARS))


def _keep_last(text: str, keep: int) -> str:
    """Stars, then the last `keep` characters (grapheme clusters), but never more than half of
    the value."""
    clusters = graphemes(text)
    kept = min(keep, len(clusters) // 2)
    return _stars(len(clusters) - kept) + ("".join(clusters[-kept:]) if kept else "")


def _first(text: str) -> str:
    """The first character a reader sees: a whole grapheme cluster ("" for "")."""
    match = GRAPHEME.match(text)
    return match[0] if match else ""


def _keep_first(text: str) -> str:
    return _first(text) + "***"


def mask_email(value: object) -> str:
    """`john@example.com` -> `j***@e***.com`: first letters and the top-level domain."""
    if is_masked_by_capillary(value):
        return str(value)
    text = plain_text(value).strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at or not local:
        return _keep_first(text)
    host, dot, tld = domain.rpartition(".")
    if not dot or not host:
        return f"{_first(local)}***@{_first(domain)}***"
    return f"{_first(local)}***@{_first(host)}***.{tld}"


def mask_mobile(value: object) -> str:
    """`919999000001` -> `91******0001`: the country code (two digits) and the last four."""
    if is_masked_by_capillary(value):
        return str(value)
    text = plain_text(value).strip()
    digits = PHONE_PUNCTUATION.sub("", text)
    if not digits:
        return ""
    if not digits.isdigit():
        return _keep_last(text, 4)
    if len(digits) < 10:
        return _keep_last(digits, 4)
    return digits[:2] + _stars(len(digits) - 6) + digits[-4:]


def mask_name(value: object) -> str:
    """`John Smith` -> `J*** S****`: initials kept, every other character a star.

    Characters are grapheme clusters, never cut: `रवि शर्मा` -> `र* श*` (वि and र्मा are one
    character each to a reader), `Zoë` -> `Z**`, an emoji family (ZWJ sequence) is one star.
    A one-character word is all star: in `李 伟` the initial is the whole name. A CJK name
    written without a space is one word: `李伟` -> `李*`.
    """
    if is_masked_by_capillary(value):
        return str(value)
    return WORD.sub(_mask_word, _name_text(value).strip())


# The joiners a name's script needs (an emoji family, a Devanagari half form, Persian's ZWNJ):
# kept inside the clusters the mask keeps or counts, unlike other format characters.
JOINERS = frozenset("\u200c\u200d")


def _name_text(value: object) -> str:
    """plain_text(value), its zero-width joiner and non-joiner kept."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", value if isinstance(value, str) else str(value))
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch in JOINERS or unicodedata.category(ch)[0] != "C")


def _mask_word(word: regex.Match[str]) -> str:
    """A word of a name: its first character, then stars; all stars when that one character
    would tell too much (a word of one, or a CJK word, whose first character is a whole
    family name: 李伟 and 欧阳小明 are all stars, as an initial tells a fraction of a Latin
    name)."""
    clusters = graphemes(word[0])
    if len(clusters) == 1 or CJK_LETTER.match(clusters[0]):
        return STAR * min(len(clusters), MAX_STARS)
    return clusters[0] + STAR * min(len(clusters) - 1, MAX_STARS)


def mask_identifier(name: object, value: object) -> str:
    """Masks a lookup identifier by its type (`mobile`, `email`, `externalId`, ...).

    Identifiers that are not contact details (external ids, card numbers, WeChat ids) keep their
    last four characters, which is what staff read back to a member to confirm a card.
    """
    kind = plain_text(name).strip().lower()
    if kind == "mobile":
        return mask_mobile(value)
    if kind == "email":
        return mask_email(value)
    if is_masked_by_capillary(value):
        return str(value)
    return _keep_last(plain_text(value).strip(), 4)


# Identifier and channel types pages show in full: not ways to reach the member. Staff read them
# back to confirm a card, and Capillary never masks them. Every other identifier or channel type
# (mobile, email, WeChat, LINE, WhatsApp, push tokens, types Capillary adds later) is masked.
OPEN_KINDS = frozenset({"externalid", "cardnumber", "cardexternalid"})


def mask_for_page(kind: object, value: object, *, identifier: bool = False) -> str:
    """How a page shows a value of `kind` ("name", an identifier or channel type, or a
    custom/extended field's name) to someone who does not see it unmasked. `identifier` says
    `kind` is an identifier's or a channel's type, whatever its name, not a field's name."""
    key = plain_text(kind).strip().lower()
    if key == "name":
        return mask_name(value)
    if key in OPEN_KINDS:
        return "" if value is None else str(value)
    if identifier:
        return mask_identifier(key, value)
    return mask_value(kind, value)


IDENTIFIER_NAMES = frozenset(
    {"mobile", "email", "externalid", "cardnumber", "cardexternalid", "wechat"}
)


def mask_value(field_name: object, value: object) -> str:
    """Masks a custom or extended field: fully if settings.SENSITIVE_FIELDS names it.

    A field named like an identifier (`mobile`, `email`, ...) is masked by that identifier's
    rule; any other field is shown as it is.
    """
    name = plain_text(field_name).strip().lower()
    if name in IDENTIFIER_NAMES:
        return mask_identifier(name, value)
    sensitive = {str(field).strip().lower() for field in settings.SENSITIVE_FIELDS}
    if name in sensitive:
        if is_masked_by_capillary(value):
            return str(value)
        return STAR * 8 if plain_text(value).strip() else ""
    return plain_text(value) if value is not None else ""


def normalise_identifier(value: object) -> str:
    """The form of an identifier that is hashed: the same mobile or email typed differently
    (spaces, `+`, capitals) gives the same hash."""
    text = unicodedata.normalize("NFKC", plain_text(value)).strip()
    digits = PHONE_PUNCTUATION.sub("", text)
    if digits.isdigit():
        return digits
    return text.casefold()


def identifier_hash(value: object) -> str:
    """HMAC-SHA256 of the normalised identifier, keyed with settings.AUDIT_HASH_KEY.

    The audit trail stores this instead of the value, so an auditor can find every lookup of a
    full mobile or email without the table becoming a second copy of the PII. The key keeps the
    hashes from being reversed by hashing every possible phone number.
    """
    key = str(settings.AUDIT_HASH_KEY).encode()
    return hmac.new(key, normalise_identifier(value).encode(), hashlib.sha256).hexdigest()


# An address, also URL-encoded (`%40`) as it appears in a logged query string.
EMAIL_IN_TEXT = re.compile(r"[^\s@,;:<>()\[\]\"'&?=/]+(?:@|%40)[^\s@,;:<>()\[\]\"'&?=/]+")
# A phone number however it is written: nine or more digits with up to three characters that
# are neither letters nor digits between any two (`_`, `:`, `--`, U+2011, a middle dot, `/`...),
# after an optional `+` or `(` (`00` is digits). Read after `readable()`, so full-width and
# other scripts' digits count too. `+1 (555) 123-4567`, `91.9999.000001`, `0091 99990 00001`,
# `919999000001/919999000002`, `0091+99990+00001`, `9199_9900_0001`.
PHONE = r"\+?\(?\d(?:[\W_]{0,3}\d){8,}"
# In stored free text, anywhere, letters around it or not: `ref919999000001`.
PHONE_IN_TEXT = re.compile(PHONE)
# In logs, not a run inside a longer word: hex request ids (`ad810289559c4...`) must stay
# traceable. Nor a path segment: `/customers/123456789/` is a customer id, which logs must keep.
DIGITS_IN_TEXT = re.compile(rf"(?<![0-9A-Za-z/]){PHONE}(?![0-9A-Za-z])")
# An IPv4 address has twelve digits and dots too; logs keep it.
IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
# So has a date and time (`2026-12-07 16:00:00`): logs keep it, whole.
DATE_TIME = re.compile(
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    r"(?:[ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:[+-]\d{2}:?\d{2})?)?"
)


# A URL's query string in a log line (runserver's request lines): dropped whole, since an
# identifier in it can be encoded in more ways than a pattern can follow (%2B, %20, full-width).
QUERY_IN_URL = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


# The development server's request line: '"<request line>" <status> <size>'.
RUNSERVER_LINE = '"%s" %s %s'


def _redact_line(text: str) -> str:
    """A log line without URL query strings, its identifiers masked."""
    return _redact(QUERY_IN_URL.sub(r"\1?…", readable(text)))


def redact_text(value: object) -> str:
    """A log message with any email address or phone number masked, request ids and customer
    ids in paths kept whole so the line can still be traced."""
    return _redact(readable(value))


def _redact(text: str) -> str:
    """`text`, already readable(), with its emails and phone numbers masked."""
    text = _mask_emails(text)
    return DIGITS_IN_TEXT.sub(
        lambda match: match[0] if _kept_in_logs(match[0]) else mask_mobile(match[0]), text
    )


def _kept_in_logs(found: str) -> bool:
    """An IPv4 address, or a date and time as the logs write them: not a phone number."""
    return bool(IPV4.fullmatch(found) or DATE_TIME.fullmatch(found))


def _mask_emails(text: str, pattern: re.Pattern[str] = EMAIL_IN_TEXT) -> str:
    return pattern.sub(lambda match: mask_email(match[0].replace("%40", "@")), text)


# Any address an RFC allows, `/`, `=`, `&` and `'` in its local part included: stored text has
# no query strings whose parameters must stay readable.
ANY_EMAIL_IN_TEXT = re.compile(r"[^\s@,;:<>()\[\]\"]+@[^\s@,;:<>()\[\]\"'&?=/]+")


def redact_for_audit(value: object) -> str:
    """Free text the audit trail keeps (a reason, a detail) with every email address and every
    phone number masked, however it is written and whatever surrounds it.

    Staff type reasons like "member called about 919999000001" or "ref+1 (555) 123-4567"; the
    audit trail must not keep the number. Stricter than the logs: nothing here needs a request
    id traced.
    """
    # Percent-escapes decoded first: an export's filters are a query string, and `%2B1%20555`
    # is a number too.
    text = _mask_emails(readable(unquote(readable(value))), ANY_EMAIL_IN_TEXT)
    return PHONE_IN_TEXT.sub(lambda match: mask_mobile(match[0]), text)


# What a source, an accountId, an identifier's or a block's name looks like: a short token.
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}")


def mask_token(value: object) -> str:
    """A name or id the audit trail keeps (source, accountId, identifier and embed names) as
    given when it has the shape of one and holds no phone number; otherwise masked, keeping
    the last four characters (`identifierName=919999000004` is a mobile typed in the wrong
    field, not a name)."""
    text = plain_text(value).strip()
    if not text or (TOKEN.fullmatch(text) and not PHONE_IN_TEXT.search(readable(unquote(text)))):
        return text
    if is_masked_by_capillary(text):
        return text
    return _keep_last(text, 4)


class RedactingLogFilter(logging.Filter):
    """Masks emails and long numbers in every log record it sees (settings.LOGGING attaches it
    to the console handler): a safety net under code that must not log identifiers anyway, and
    the guard for the development server's request lines, which carry /lookup/ query strings."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == RUNSERVER_LINE and isinstance(record.args, tuple) and record.args:
            # Only the request line can hold an identifier; "200 285314" read as one number
            # would hide the status.
            line, *numbers = record.args
            record.args = (_redact_line(str(line)), *numbers)
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = _redact_line(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info:
            # A traceback can quote an identifier too (an exception's message, a local URL).
            # Formatted here once, redacted line by line, and handed to the formatter as text.
            record.exc_text = _redact(
                readable(logging.Formatter().formatException(record.exc_info))
            )
            record.exc_info = None
        return True
