"""Small checks on what people type into forms and commands, shared by every workflow."""

import unicodedata

MAX_REFERENCE_DIGITS = 9  # far more requests or cases than a trust will ever have


def has_words(text: str) -> bool:
    """Whether text holds anything visible: zero-width spaces, joiners and other invisible marks do not count."""
    return any(unicodedata.category(c)[0] not in ("C", "Z") for c in text)


def parse_reference(text: str, prefix: str) -> int | None:
    """The number in a reference such as "REQ-0042"; None for anything that cannot be one."""
    text = text.strip().upper()
    digits = text[len(prefix):]
    if text.startswith(prefix) and digits.isascii() and digits.isdigit() and len(digits) <= MAX_REFERENCE_DIGITS:
        return int(digits)
    return None
