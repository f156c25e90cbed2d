"""Voucher codes: 95 random bits in Crockford base32 with a mod-37 check character.

A code is 19 random symbols plus one check symbol, printed in five groups of four
(``7K3M-Q9XD-2HPA-V0CE-JN4T``). Crockford's alphabet leaves out I, L, O and U so a code
can be read aloud; look-ups forgive case, spaces, dashes and the letters I/L (read as 1)
and O (read as 0). The check symbol is the code's value modulo 37 (Crockford's check);
37 is prime, so every single wrong symbol and every swap of two neighbours is caught
before the database is asked. Codes whose check value would need one of Crockford's five
extra check symbols (``*~$=U``) are drawn again, so a printed code is always plain
letters and digits; this costs log2(37/32) = 0.2 of the 95 random bits.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 19
CODE_LENGTH = RANDOM_SYMBOLS + 1
GROUP = 4
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
# A code as the API takes it: 20 symbols of the alphabet or their aliases, any case, with
# spaces and dashes anywhere (the check symbol is checked by ``normalize_code``).
CODE_PATTERN = r"^[ -]*(?:[0-9A-TV-Za-tv-z][ -]*){20}$"


class InvalidCode(ValueError):
    """A code that cannot be a voucher code: ``reason`` is ``format`` or ``checksum``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_value(symbols: str) -> int:
    value = 0
    for symbol in symbols:
        value = (value * 32 + _VALUES[symbol]) % 37
    return value


def generate_code() -> str:
    """A new normalised code (no dashes)."""
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
        check = check_value(body)
        if check < len(ALPHABET):
            return body + ALPHABET[check]


def normalize_code(raw: str) -> str:
    """The stored form of a typed code, or ``InvalidCode`` (no database look-up needed)."""
    if not isinstance(raw, str):
        raise InvalidCode("format")
    code = "".join(raw.split()).replace("-", "").upper().translate(_ALIASES)
    if len(code) != CODE_LENGTH or any(symbol not in _VALUES for symbol in code):
        raise InvalidCode("format")
    if check_value(code[:-1]) != _VALUES[code[-1]]:
        raise InvalidCode("checksum")
    return code


def format_code(code: str) -> str:
    return "-".join(code[index : index + GROUP] for index in range(0, len(code), GROUP))
