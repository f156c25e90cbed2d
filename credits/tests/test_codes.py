"""Voucher codes: entropy, alphabet, grouping and a check character that catches typos."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credits.codes import (
    ALPHABET,
    CODE_LENGTH,
    InvalidCode,
    check_value,
    format_code,
    generate_code,
    normalize_code,
)


def test_generated_codes_are_plain_crockford_with_a_valid_check():
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == CODE_LENGTH == 20
        assert set(code) <= set(ALPHABET)
        assert not set(code) & set("ILOU")
        assert normalize_code(code) == code
    # 19 random symbols of 5 bits each, minus the 0.2 bit the check rejection costs.
    assert 19 * 5 - 0.21 >= 80


def test_format_groups_of_four_and_normalise_forgives_case_spaces_dashes_and_aliases():
    code = generate_code()
    printed = format_code(code)
    assert printed.count("-") == 4 and all(len(group) == 4 for group in printed.split("-"))
    assert normalize_code(printed.lower()) == code
    assert normalize_code(" ".join(printed.split("-"))) == code
    typed_with_aliases = code.replace("1", "l").replace("0", "O")
    assert normalize_code(typed_with_aliases) == code


@given(position=st.integers(0, CODE_LENGTH - 1), delta=st.integers(1, 31))
def test_every_single_wrong_symbol_is_caught(position, delta):
    code = generate_code()
    wrong = ALPHABET[(ALPHABET.index(code[position]) + delta) % 32]
    typo = code[:position] + wrong + code[position + 1 :]
    with pytest.raises(InvalidCode) as caught:
        normalize_code(typo)
    assert caught.value.reason == "checksum"


@given(position=st.integers(0, CODE_LENGTH - 2))
def test_every_swap_of_neighbours_is_caught(position):
    code = generate_code()
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    with pytest.raises(InvalidCode):
        normalize_code(swapped)


@pytest.mark.parametrize("raw", ["", "ABC", "U" * 20, "0" * 21, "!" * 20, None])
def test_malformed_codes_are_format_errors(raw):
    with pytest.raises(InvalidCode) as caught:
        normalize_code(raw)
    assert caught.value.reason == "format"


def test_check_value_is_the_number_modulo_37():
    assert check_value("10") == 32 % 37
    assert check_value("Z") == 31
    body = "7K3MQ9XD2HPAV0CEJN4"
    number = 0
    for symbol in body:
        number = number * 32 + ALPHABET.index(symbol)
    assert check_value(body) == number % 37
