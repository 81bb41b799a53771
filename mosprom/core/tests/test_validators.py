"""INN and OGRN checksums: numbers built by the rule pass, one-digit changes fail."""

from hypothesis import given
from hypothesis import strategies as st

from mosprom.core.validators import inn_complete, inn_is_valid, ogrn_complete, ogrn_is_valid

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def body(n: int):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def mutate(value: str, position: int, delta: int) -> str:
    """Change one digit by ``delta`` (1..9, mod 10), so the result always differs."""
    pos = position % len(value)
    return value[:pos] + str((int(value[pos]) + delta) % 10) + value[pos + 1 :]


@given(body(9))
def test_inn10_built_by_rule_is_valid(b):
    assert inn_is_valid(inn_complete(b))


@given(body(10))
def test_inn12_built_by_rule_is_valid(b):
    assert inn_is_valid(inn_complete(b))


# Checksums of the form (weighted sum mod 11) mod 10 fold the remainder 10 onto 0 (and for
# OGRNIP, mod 13, 10..12 onto 0..2). A one-digit change always moves the raw remainder (11 and
# 13 are prime and no weight is a multiple of them), so it is caught unless the move is between
# two remainders that fold to the same digit. The tests assert exactly that guarantee.


def inn_raw_remainders(value: str) -> tuple[int, ...]:
    if len(value) == 10:
        weights = [(2, 4, 10, 3, 5, 9, 4, 6, 8)]
    else:
        weights = [(7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)]
    return tuple(sum(int(d) * w for d, w in zip(value, ws, strict=False)) % 11 for ws in weights)


def folds_together(a: int, b: int) -> bool:
    return a != b and a % 10 == b % 10


@given(st.sampled_from([9, 10]).flatmap(body), st.integers(0, 11), st.integers(1, 9))
def test_inn_any_single_digit_change_fails(b, position, delta):
    value = inn_complete(b)
    mutated = mutate(value, position, delta)
    if inn_is_valid(mutated):
        # Only a body change whose remainder folded onto the same check digit can pass.
        pairs = zip(inn_raw_remainders(value), inn_raw_remainders(mutated), strict=True)
        assert position % len(value) < len(b)
        assert any(folds_together(x, y) for x, y in pairs)


def test_inn_check_digit_change_always_fails():
    for value in (inn_complete("770708389"), inn_complete("5001234567")):
        for position in range(len(value) - (1 if len(value) == 10 else 2), len(value)):
            for delta in range(1, 10):
                assert not inn_is_valid(mutate(value, position, delta))


@given(st.sampled_from([12, 14]).flatmap(body))
def test_ogrn_built_by_rule_is_valid(b):
    assert ogrn_is_valid(ogrn_complete(b))


@given(st.sampled_from([12, 14]).flatmap(body), st.integers(0, 14), st.integers(1, 9))
def test_ogrn_any_single_digit_change_fails(b, position, delta):
    value = ogrn_complete(b)
    mutated = mutate(value, position, delta)
    if ogrn_is_valid(mutated):
        modulus = 11 if len(value) == 13 else 13
        old, new = int(value[:-1]) % modulus, int(mutated[:-1]) % modulus
        assert position % len(value) < len(b)
        assert folds_together(old, new)


def test_known_real_numbers():
    # Published registration numbers of well-known companies (Sberbank, Yandex).
    assert inn_is_valid("7707083893")
    assert ogrn_is_valid("1027700132195")
    assert inn_is_valid("7736207543")
    assert ogrn_is_valid("1027700229193")


def test_rejects_wrong_lengths_and_non_digits():
    for bad in ["", "123", "77070838931", "770708389X", "７７０７０８３８９３", "1027700132195"]:
        assert not inn_is_valid(bad), bad
    for bad in ["", "102770013219", "10277001321951", "102770013219A"]:
        assert not ogrn_is_valid(bad), bad
